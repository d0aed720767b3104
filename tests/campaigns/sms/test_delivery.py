"""The delivery engine on the in-memory gateway: planning, claiming, recording, settling."""

import datetime

import pytest
from django.utils import timezone

from campaigns.models import SmsBlast, SmsDelivery, Subscriber
from campaigns.sms import delivery
from campaigns.sms.sending import Result
from campaigns.sms.sending.backends import locmem
from tests.campaigns.sms import factories

pytestmark = pytest.mark.django_db
Status = SmsDelivery.Status


def approved_blast(**kw):
    return factories.blast(status=SmsBlast.Status.APPROVED, **kw)


def run_to_completion(blast):
    delivery.plan_blast(blast.pk)
    while delivery.send_one_batch(SmsBlast.objects.get(pk=blast.pk), size=3):
        pass
    delivery.finish_blasts()
    blast.refresh_from_db()
    return blast


def test_plan_selects_active_subscribers_by_audience_and_region_subtree():
    elderly_village = factories.subscriber(("elderly",), "430922100201")
    factories.subscriber(("elderly",), "430104")  # other county
    factories.subscriber(("students",), "430922100")  # other audience
    factories.subscriber(("elderly",), "430922101", status="unsubscribed")
    both = factories.subscriber(("elderly", "rural"), "430922")
    blast = approved_blast(audiences=["elderly", "rural"], regions=["430922"])
    assert delivery.plan_blast(blast.pk) == 2
    assert set(SmsDelivery.objects.values_list("subscriber_id", flat=True)) == {
        elderly_village.pk,
        both.pk,
    }
    blast.refresh_from_db()
    assert blast.status == SmsBlast.Status.SENDING and blast.planned_count == 2


def test_planning_twice_adds_nothing():
    factories.subscriber()
    blast = approved_blast()
    assert delivery.plan_blast(blast.pk) == 1
    SmsBlast.objects.filter(pk=blast.pk).update(status=SmsBlast.Status.APPROVED)
    assert delivery.plan_blast(blast.pk) == 0  # planned_at says it is done
    assert SmsDelivery.objects.count() == 1


def test_a_forced_second_plan_fails_instead_of_duplicating():
    from django.db import IntegrityError

    factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    SmsBlast.objects.filter(pk=blast.pk).update(status=SmsBlast.Status.APPROVED, planned_at=None)
    with pytest.raises(IntegrityError):
        delivery.plan_blast(blast.pk)
    assert SmsDelivery.objects.count() == 1


def test_unapproved_blast_is_never_planned():
    factories.subscriber()
    for status in ["draft", "pending", "cancelled"]:
        blast = factories.blast(status=status)
        assert delivery.plan_blast(blast.pk) == 0
    assert not SmsDelivery.objects.exists()


def test_blast_end_to_end_sends_each_recipient_once_with_signature_and_opt_out():
    people = [factories.subscriber() for _ in range(7)]
    blast = run_to_completion(approved_blast())
    assert blast.status == SmsBlast.Status.COMPLETED
    assert sorted(m.to for m in locmem.outbox) == sorted(p.phone for p in people)
    assert len({m.key for m in locmem.outbox}) == 7
    text = locmem.outbox[0].text
    assert text.startswith("【防非】警惕以养老服务为名的非法集资。")
    assert text.endswith("回T退订")
    assert blast.progress()["submitted"] == 7 and blast.progress()["percent"] == 100


def test_every_recipient_gets_the_approved_text_and_a_reply_of_t_unsubscribes():
    from campaigns.sms.webhooks import inbound

    people = [factories.subscriber() for _ in range(2)]
    blast = approved_blast()
    SmsBlast.objects.filter(pk=blast.pk).update(approved_text="【防非】批准的文字。回T退订")
    run_to_completion(blast)
    assert [m.text for m in locmem.outbox] == ["【防非】批准的文字。回T退订"] * 2
    assert inbound([{"from": people[0].phone, "text": "t"}])["unsubscribed"] == 1
    assert Subscriber.objects.get(pk=people[0].pk).status == Subscriber.Status.UNSUBSCRIBED


def test_opt_out_after_planning_is_skipped_at_claim_time():
    stays, leaves = factories.subscriber(), factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    leaves.unsubscribe(via="reply")
    blast = run_to_completion(blast)
    assert [m.to for m in locmem.outbox] == [stays.phone]
    assert blast.progress()["skipped"] == 1


def test_paused_blast_claims_nothing_and_resumes():
    for _ in range(4):
        factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    SmsBlast.objects.filter(pk=blast.pk).update(status=SmsBlast.Status.PAUSED)
    assert delivery.claim_batch(blast.pk, 10) == []
    SmsBlast.objects.filter(pk=blast.pk).update(status=SmsBlast.Status.SENDING)
    assert len(delivery.claim_batch(blast.pk, 10)) == 4


def test_rejected_messages_fail_permanently_and_retries_back_off():
    factories.subscriber(), factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    claimed = delivery.claim_batch(blast.pk, 10)
    (ra, _), (rb, _) = claimed
    now = timezone.now()
    delivery.record_results(
        [Result(f"d{ra}", Result.REJECTED, error="blacklisted"), Result(f"d{rb}", Result.RETRY)],
        now,
    )
    row_a, row_b = SmsDelivery.objects.get(pk=ra), SmsDelivery.objects.get(pk=rb)
    assert row_a.status == Status.FAILED and row_a.error_code == "blacklisted"
    assert row_b.status == Status.QUEUED and row_b.next_attempt_at > now
    assert delivery.claim_batch(blast.pk, 10, now=now) == []  # not before its backoff
    assert len(delivery.claim_batch(blast.pk, 10, now=now + datetime.timedelta(seconds=11))) == 1
    assert blast.error_breakdown() == [{"error_code": "blacklisted", "n": 1}]


def test_retries_stop_after_max_attempts(settings):
    settings.SMS_MAX_ATTEMPTS = 2
    factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    later = timezone.now()
    for _ in range(2):
        later += datetime.timedelta(hours=1)
        ((row, _),) = delivery.claim_batch(blast.pk, 10, now=later)
        delivery.record_results([Result(f"d{row}", Result.RETRY)], later)
    assert SmsDelivery.objects.get().status == Status.FAILED


def test_dead_workers_rows_found_at_gateway_are_marked_submitted_not_resent(settings):
    factories.subscriber(), factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    claimed = delivery.claim_batch(blast.pk, 10)
    # The worker sent the first message, then died before recording anything.
    locmem.LocmemBackend().send_batch([delivery.Message(f"d{claimed[0][0]}", claimed[0][1], "x")])
    later = timezone.now() + datetime.timedelta(seconds=settings.SMS_STALE_SECONDS + 1)
    assert delivery.settle_in_flight(now=later) == (1, 1)
    statuses = dict(SmsDelivery.objects.values_list("pk", "status"))
    assert statuses[claimed[0][0]] == Status.SUBMITTED
    assert statuses[claimed[1][0]] == Status.QUEUED
    assert len(locmem.outbox) == 1


def test_rows_of_a_live_worker_are_left_alone():
    factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    delivery.claim_batch(blast.pk, 10)
    assert delivery.settle_in_flight() == (0, 0)
    assert SmsDelivery.objects.get().status == Status.SUBMITTING


def test_ambiguous_answer_is_settled_by_lookup_after_the_delay(settings):
    factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    ((row, phone),) = delivery.claim_batch(blast.pk, 10)
    locmem.LocmemBackend().send_batch([delivery.Message(f"d{row}", phone, "x")])  # it did arrive
    now = timezone.now()
    delivery.record_results([Result(f"d{row}", Result.UNKNOWN, error="timeout")], now)
    assert delivery.settle_in_flight(now=now) == (0, 0)
    later = now + datetime.timedelta(seconds=settings.SMS_SETTLE_DELAY_SECONDS + 1)
    assert delivery.settle_in_flight(now=later) == (1, 0)
    assert SmsDelivery.objects.get().status == Status.SUBMITTED


@pytest.mark.parametrize(
    "clock,quiet",
    [
        ("21:00", True),
        ("23:59", True),
        ("03:00", True),
        ("07:59", True),
        ("08:00", False),
        ("12:00", False),
        ("20:59", False),
    ],
)
def test_quiet_hours_cross_midnight(settings, clock, quiet):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    hour, minute = map(int, clock.split(":"))
    local = timezone.localtime().replace(hour=hour, minute=minute)
    assert delivery.in_quiet_hours(local) is quiet


def test_quiet_hours_end_is_the_next_morning(settings):
    settings.SMS_QUIET_HOURS = ("21:00", "08:00")
    night = timezone.localtime().replace(hour=22, minute=0)
    end = delivery.quiet_hours_end(night)
    assert (end.hour, end.minute) == (8, 0) and end > night


def test_send_loop_stops_in_quiet_hours(settings):
    settings.SMS_QUIET_HOURS = ("00:00", "23:59")
    factories.subscriber()
    blast = approved_blast()
    delivery.plan_blast(blast.pk)
    assert delivery.send_blast(blast.pk, 0, budget_seconds=1) == 0
    assert locmem.outbox == []


def test_unsubscribe_records_consent_evidence():
    person = factories.subscriber()
    assert person.unsubscribe(via="link")
    assert not person.unsubscribe(via="link")
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED
    assert person.consents.get().action == "unsubscribe"


def test_signature_check_refuses_non_ascii_without_crashing():
    from campaigns.sms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign, verify

    headers = sign(b"{}", "secret")
    assert verify(b"{}", headers[TIMESTAMP_HEADER], headers[SIGNATURE_HEADER], "secret")
    assert not verify(b"{}", headers[TIMESTAMP_HEADER], "签名" * 32, "secret")


def test_every_message_carries_the_linked_page_url():
    from tests import factories as page_factories

    notice = page_factories.notice("养老诈骗风险提示")
    for _ in range(3):
        factories.subscriber()
    blast = approved_blast(link_page=notice)
    run_to_completion(blast)
    # The page goes out as this blast's short link, which leads to it.
    from website.shortlinks.models import ShortLink
    from website.shortlinks.service import short_url, target_of

    link = ShortLink.objects.get(kind="blast", ref=str(blast.pk))
    url = short_url(link)
    assert target_of(link.code) == notice.url
    assert url and len(locmem.outbox) == 3
    assert all(f" {url} " in m.text for m in locmem.outbox)
