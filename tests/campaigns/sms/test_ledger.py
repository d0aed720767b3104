"""The one ledger engine (campaigns/sms/ledger.py) on both of its ledgers: what it does to
rows no longer in flight, and the parts each ledger sets differently."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import EventReminder, SmsBlast, SmsDelivery
from campaigns.outreach import reminders
from campaigns.sms import delivery
from campaigns.sms.ledger import backoff
from campaigns.sms.sending import Result
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db
Status = SmsDelivery.Status


def claimed_rows(n):
    for _ in range(n):
        factories.subscriber()
    blast = factories.blast(status=SmsBlast.Status.APPROVED)
    delivery.plan_blast(blast.pk)
    return [row_id for row_id, _ in delivery.claim_batch(blast.pk, n)]


def test_gateway_answers_only_move_rows_still_in_flight():
    (row,) = claimed_rows(1)
    now = timezone.now()
    delivery.LEDGER.requeue([row], now, error="not_at_gateway")  # the settler got there first
    delivery.record_results([Result(f"d{row}", Result.ACCEPTED, gateway_id="g1")], now)
    delivery.record_results([Result(f"d{row}", Result.REJECTED, error="late")], now)
    assert SmsDelivery.objects.get(pk=row).status == Status.QUEUED


def test_acceptance_clears_the_error_of_an_earlier_attempt_and_keeps_the_gateway_id():
    (row,) = claimed_rows(1)
    now = timezone.now()
    delivery.record_results([Result(f"d{row}", Result.UNKNOWN, error="timeout")], now)
    assert SmsDelivery.objects.get(pk=row).error_code == "unknown"
    delivery.record_results([Result(f"d{row}", Result.ACCEPTED, gateway_id="g" * 80)], now)
    done = SmsDelivery.objects.get(pk=row)
    assert (done.status, done.error_code, done.gateway_id) == (Status.SUBMITTED, "", "g" * 64)
    assert done.submitted_at == now


def test_a_rejection_without_a_reason_is_recorded_as_rejected():
    (row,) = claimed_rows(1)
    delivery.record_results([Result(f"d{row}", Result.REJECTED)])
    assert SmsDelivery.objects.get(pk=row).error_code == "rejected"


def test_blasts_back_off_and_reminders_retry_every_ten_seconds(settings):
    assert [backoff(n) for n in (1, 2, 3, 4, 8, 20)] == [10, 20, 40, 80, 600, 600]
    settings.OUTREACH_REMINDER_HOURS = (2,)
    now = timezone.now()
    of.event(start=now + datetime.timedelta(hours=1))
    reminders.plan_due(now)
    for _attempt in range(3):
        ((row, _),) = reminders.claim(now=now)
        reminders.LEDGER.record([Result(row.key, Result.RETRY)], now)
        row.refresh_from_db()
        assert row.next_attempt_at == now + datetime.timedelta(seconds=10)
        now = row.next_attempt_at
    assert row.status == EventReminder.Status.QUEUED and row.attempts == 3


def test_each_ledger_settles_under_its_own_lock(settings):
    from django.core.cache import cache

    cache.add(delivery.LEDGER.settle_lock, 1, 60)  # a blast settler is at work elsewhere
    assert delivery.LEDGER.settle_lock != reminders.LEDGER.settle_lock
    settings.SMS_STALE_SECONDS = 0
    (row,) = claimed_rows(1)
    assert delivery.settle_in_flight(timezone.now() + datetime.timedelta(seconds=1)) == (0, 0)
    assert SmsDelivery.objects.get(pk=row).status == Status.SUBMITTING
    assert reminders.settle_in_flight() == (0, 0)  # nothing in flight, but not locked out
    assert not cache.add(delivery.LEDGER.settle_lock, 1, 60)
