"""Organiser reminders in-process: planning, exactly once across repeated ticks, skipping,
settling rows left in flight, e-mail fallback, and the daily missing-record alert."""

import datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from campaigns.models import EventReminder, OutreachEvent, StaffAlert
from campaigns.outreach import reminders
from campaigns.sms.sending.backends import locmem
from tests.campaigns.outreach import factories as of

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def sent_keys():
    return [m.key for m in locmem.outbox]


@override_settings(OUTREACH_REMINDER_HOURS=(24, 2))
def test_24h_then_2h_reminders_each_sent_once():
    now = timezone.now()
    event = of.event(start=now + 30 * H)
    assert reminders.tick(now) == 0  # not due yet
    reminders.tick(now + 7 * H)  # 23 h before: the 24 h reminder
    reminders.tick(now + 7 * H)
    assert len(locmem.outbox) == 1
    assert locmem.outbox[0].to == "+8613812345678"
    assert event.title in locmem.outbox[0].text
    reminders.tick(now + 28.5 * H)  # 1.5 h before: the 2 h reminder
    reminders.tick(now + 29 * H)
    rows = EventReminder.objects.filter(event=event).order_by("-offset_hours")
    assert [(r.offset_hours, r.status) for r in rows] == [(24, "sent"), (2, "sent")]
    assert sent_keys() == [f"r{r.pk}" for r in rows]


@override_settings(OUTREACH_REMINDER_HOURS=(24, 2))
def test_late_planned_event_gets_only_the_nearest_reminder():
    now = timezone.now()
    event = of.event(start=now + H)
    reminders.tick(now)
    statuses = dict(EventReminder.objects.filter(event=event).values_list("offset_hours", "status"))
    assert statuses == {24: "skipped", 2: "sent"}
    assert len(locmem.outbox) == 1


def test_cancelled_and_started_events_get_nothing():
    now = timezone.now()
    cancelled = of.event(start=now + H, status="cancelled")
    started = of.event(start=now - H)
    reminders.tick(now)
    assert locmem.outbox == []
    assert not EventReminder.objects.filter(event__in=[cancelled, started]).exists()


def test_cancelled_after_planning_is_skipped_at_claim_time():
    now = timezone.now()
    event = of.event(start=now + H)
    reminders.plan_due(now)
    OutreachEvent.objects.filter(pk=event.pk).update(status="cancelled")
    reminders.send_due(now)
    assert locmem.outbox == []
    assert EventReminder.objects.get(event=event, offset_hours=2).status == "skipped"


def test_fixed_line_falls_back_to_email_or_is_skipped():
    now = timezone.now()
    with_mail = of.event(start=now + H, phone="0737-1234567", email="org@example.org")
    without = of.event(start=now + H, phone="0737-7654321")
    reminders.tick(now)
    assert locmem.outbox == []
    assert [m.to for m in mail.outbox] == [["org@example.org"]]
    assert EventReminder.objects.get(event=with_mail, offset_hours=2).status == "sent"
    assert EventReminder.objects.get(event=without, offset_hours=2).status == "skipped"


@override_settings(SMS_STALE_SECONDS=60)
def test_row_left_in_flight_is_settled_by_lookup_never_resent():
    now = timezone.now()
    event = of.event(start=now + H)
    reminders.plan_due(now)
    # A worker claims and submits, then dies before recording the answer.
    ((row, _),) = reminders.claim(now=now)
    from campaigns.sms import sending

    sending.send([sending.Message(row.key, "+8613812345678", "x")])
    assert EventReminder.objects.get(pk=row.pk).status == "submitting"
    reminders.tick(now + datetime.timedelta(seconds=30))  # not stale yet: left alone
    assert EventReminder.objects.get(pk=row.pk).status == "submitting"
    reminders.tick(now + datetime.timedelta(seconds=120))
    assert EventReminder.objects.get(pk=row.pk).status == "sent"
    assert sent_keys() == [row.key]
    assert event.reminders.count() == 2


@override_settings(SMS_STALE_SECONDS=60)
def test_row_claimed_but_never_submitted_is_sent_after_settling():
    now = timezone.now()
    of.event(start=now + H)
    reminders.plan_due(now)
    ((row, _),) = reminders.claim(now=now)  # the worker dies before submitting
    reminders.tick(now + datetime.timedelta(seconds=120))  # settle: not at gateway, requeue
    reminders.tick(now + datetime.timedelta(seconds=140))
    assert EventReminder.objects.get(pk=row.pk).status == "sent"
    assert sent_keys() == [row.key]


def test_missing_records_flagged_once_a_day():
    now = timezone.now()
    late = of.event(start=now - 5 * H, title="忘了填记录的活动")
    of.event(start=now - 5 * H, attendance=12, status="done")
    assert reminders.flag_missing_records(now) == [late]
    reminders.flag_missing_records(now)
    (alert,) = StaffAlert.objects.filter(kind="outreach_record_missing")
    assert "忘了填记录的活动" in alert.message and "1 场" in alert.message
    late.refresh_from_db()
    assert late.record_missing_since is not None


@override_settings(OUTREACH_REMINDER_HOURS=(2,))
def test_a_staff_contact_who_chose_sms_is_texted_instead_of_mailed():
    """Issue 13 §2: the reminder that fell back to e-mail follows the contact's own choice."""
    from tests import factories
    from website.core.models import StaffNotificationPreference

    organiser = factories.staff("zuzhi", "编辑")
    organiser.email = "zuzhi@example.gov.cn"
    organiser.save()
    StaffNotificationPreference.objects.create(
        user=organiser, channel="sms", phone="+8613800138077"
    )
    now = timezone.now()
    event = of.event(
        start=now + datetime.timedelta(hours=1), phone="0737-1234567", email="ZUZHI@example.gov.cn"
    )
    reminders.plan_due(now)
    assert reminders.send_due(now) == 1
    assert [m.to for m in locmem.outbox] == ["+8613800138077"]
    assert mail.outbox == []
    assert EventReminder.objects.get(event=event).status == "sent"
