"""Screening reminders: planned once per region and month from a few days before the due
day, only for regions that have not filed, sent through the one sending layer, never at
night."""

import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from campaigns.sms.sending.backends import locmem
from tests.leads import factories as lf
from website.leads import reminders, tasks
from website.leads.models import ScreeningReminder

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return timezone.make_aware(datetime.datetime(2026, 11, day, hour, 0))


@pytest.fixture
def villages():
    lf.screen_villages_under("430922", due_day=23, days=3)
    lf.contact("430922100001", phone="13900000001")
    lf.contact("430922100201", phone="13900000002")
    lf.contact("430922101201", phone="0737-1234567")  # a desk phone cannot take an SMS


def test_reminders_go_once_to_regions_that_have_not_filed(villages):
    lf.filing("430922100201")
    assert reminders.tick(at(19)) == 0  # before the window opens (20th)
    assert not ScreeningReminder.objects.exists()
    reminders.tick(at(20))
    reminders.tick(at(20, 11))
    reminders.tick(at(22))
    assert [(m.key, m.to) for m in locmem.outbox] == [
        (ScreeningReminder.objects.get(region__code="430922100001").key, "+8613900000001")
    ]
    text = locmem.outbox[0].text
    assert "桃花江社区" in text and "11月23日" in text and "零报送" in text
    rows = dict(ScreeningReminder.objects.values_list("region__code", "status"))
    assert rows == {"430922100001": "sent", "430922101201": "skipped"}
    assert ScreeningReminder.objects.get(region__code="430922101201").error == "no_contact"


def test_nothing_is_planned_after_the_due_day(villages):
    assert reminders.plan_due(at(24)) == 0


def test_a_region_that_files_before_the_send_is_not_reminded(villages):
    reminders.plan_due(at(21))
    lf.filing("430922100001")
    reminders.send_due(at(21))
    row = ScreeningReminder.objects.get(region__code="430922100001")
    assert (row.status, row.error) == ("skipped", "filed")
    assert [m.to for m in locmem.outbox] == ["+8613900000002"]


@override_settings(SMS_QUIET_HOURS=("21:00", "08:00"))
def test_reminders_wait_for_the_morning(villages):
    reminders.tick(at(20, 22))
    assert ScreeningReminder.objects.filter(status="queued").count() == 2
    assert locmem.outbox == []
    reminders.tick(at(21, 7))
    assert locmem.outbox == []
    reminders.tick(at(21, 9))
    assert len(locmem.outbox) == 2


def test_a_row_left_submitting_is_settled_not_sent_twice(villages):
    reminders.plan_due(at(20))
    claimed = reminders.claim(size=1, now=at(20))
    assert len(claimed) == 1
    row, message = claimed[0]
    # The worker died after the gateway accepted it but before recording the answer.
    from campaigns.sms import sending

    sending.get_backend().send_batch([message])
    later = at(20) + datetime.timedelta(minutes=10)
    reminders.tick(later)
    reminders.tick(later + datetime.timedelta(minutes=1))
    assert sorted(m.key for m in locmem.outbox) == sorted(
        r.key for r in ScreeningReminder.objects.filter(status="sent")
    )
    assert len(locmem.outbox) == 2  # the one in flight was found at the gateway, not resent
    assert ScreeningReminder.objects.get(pk=row.pk).status == "sent"


def test_the_beat_task_runs_the_tick(villages, monkeypatch):
    calls = []
    monkeypatch.setattr(reminders, "tick", lambda now=None: calls.append(now) or 0)
    tasks.screening_reminder_tick.apply()  # in-process, whatever the tier's eager setting
    assert calls == [None]
