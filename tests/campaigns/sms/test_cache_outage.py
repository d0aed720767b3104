"""The shared cache (Redis) unreachable: sending pauses with every row still queued, and
resumes by itself once the cache is back. The cache here is a real Redis client pointed at
a port nobody listens on, so the errors are the ones a stopped Redis gives.

tests/services/test_redis_outage.py stops a real Redis under a real worker."""

import datetime
import socket

import pytest
from django.test import override_settings
from django.utils import timezone

from campaigns.models import EventReminder, SmsBlast, SmsDelivery
from campaigns.outreach import reminders
from campaigns.sms import delivery, tasks
from campaigns.sms.sending.backends import locmem
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories
from website.settings.env import cache_from_url

pytestmark = pytest.mark.django_db


def unreachable_cache():
    """Return settings whose default cache is a Redis on a port that refuses connections."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nothing listens
    return override_settings(
        CACHES={"default": cache_from_url(f"redis://127.0.0.1:{port}/0")},
        SMS_RATE_PER_SECOND=100,  # the global rate limit lives in the cache too
    )


def queued(blast):
    return SmsDelivery.objects.filter(blast=blast, status=SmsDelivery.Status.QUEUED).count()


def test_blast_worker_claims_nothing_while_the_cache_is_unreachable_then_finishes():
    people = [factories.subscriber() for _ in range(5)]
    blast = factories.blast(status=SmsBlast.Status.APPROVED)
    delivery.plan_blast(blast.pk)
    with unreachable_cache():
        assert delivery.send_blast(blast.pk, 0, budget_seconds=2) == 0
    assert locmem.outbox == []
    assert queued(blast) == 5  # nothing left 'submitting' for the settler to chase
    assert delivery.send_blast(blast.pk, 0, budget_seconds=5) == 5
    assert sorted(m.to for m in locmem.outbox) == sorted(p.phone for p in people)


def test_dispatcher_pauses_without_error_while_the_cache_is_unreachable_and_resumes(
    monkeypatch,
):
    started = []

    class InlineSendBlast:  # the worker's task, run here whether or not Celery is eager
        @staticmethod
        def delay(blast_id, slot):
            started.append(blast_id)
            delivery.send_blast(blast_id, slot)

    monkeypatch.setattr(tasks, "send_blast", InlineSendBlast)
    people = [factories.subscriber() for _ in range(4)]
    blast = factories.blast(status=SmsBlast.Status.APPROVED)
    with unreachable_cache():
        tasks.dispatch()
        tasks.dispatch()
    assert SmsBlast.objects.get(pk=blast.pk).status == SmsBlast.Status.SENDING
    assert started == [] and locmem.outbox == [] and queued(blast) == 4
    tasks.dispatch()
    tasks.dispatch()
    assert started
    assert SmsBlast.objects.get(pk=blast.pk).status == SmsBlast.Status.COMPLETED
    assert sorted(m.to for m in locmem.outbox) == sorted(p.phone for p in people)


@override_settings(OUTREACH_REMINDER_HOURS=(2,))
def test_reminder_tick_sends_nothing_while_the_cache_is_unreachable_then_sends_once():
    now = timezone.now()
    of.event(start=now + datetime.timedelta(hours=1))
    with unreachable_cache():
        assert reminders.tick(now) == 0
    assert EventReminder.objects.get().status == EventReminder.Status.QUEUED
    assert reminders.tick(now) == 1
    reminders.tick(now)
    assert [m.key for m in locmem.outbox] == [f"r{EventReminder.objects.get().pk}"]
