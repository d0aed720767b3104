"""Delivering a blast: plan the ledger, claim small batches, submit, record, settle.

The ledger (SmsDelivery) is the single source of truth. Every step is a short transaction
that moves rows between states, so a worker may die at any instant:

    queued ──claim──▶ submitting ──accepted──▶ submitted ──receipt──▶ delivered / failed
      ▲                    │ rejected ─▶ failed
      └──not at gateway────┤ unknown (timeout, 5xx) or worker died ─▶ settled by lookup
                           └ subscriber opted out at claim time ─▶ skipped

A row is only ever resent after the gateway has said it does not have it.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from campaigns.models import SmsBlast, SmsDelivery, Subscriber
from campaigns.sms import sending
from campaigns.sms.sending import Message, Result

logger = logging.getLogger(__name__)
Status = SmsDelivery.Status
SETTLE_LOCK = "sms-settle-lock"


# -- quiet hours -----------------------------------------------------------------------
def _parse(hhmm):
    hours, minutes = (int(x) for x in hhmm.split(":"))
    return datetime.time(hours, minutes)


def in_quiet_hours(now=None):
    """Return True when ``now`` (default: the current time) falls in SMS_QUIET_HOURS."""
    window = settings.SMS_QUIET_HOURS
    if not window:
        return False
    start, end = (_parse(t) for t in window)
    local = timezone.localtime(now).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # the window crosses midnight (21:00–08:00)


def quiet_hours_end(now=None):
    """Return when the current quiet period ends (a local datetime)."""
    local = timezone.localtime(now)
    end = _parse(settings.SMS_QUIET_HOURS[1])
    candidate = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return candidate if candidate > local else candidate + datetime.timedelta(days=1)


# -- planning ---------------------------------------------------------------------------
def plan_blast(blast_id):
    """Write one ledger row per recipient with a single INSERT … SELECT; return how many.

    Runs once per blast: the blast row is locked and must be approved and unplanned, and
    the whole plan commits with the blast's new status or not at all. The unique
    (blast, subscriber) index is the last guard: a second plan would fail, never duplicate.
    (An ON CONFLICT clause would double the time of a million-row plan.)
    """
    with transaction.atomic():
        blast = SmsBlast.objects.select_for_update().filter(pk=blast_id).first()
        if blast is None or blast.status != SmsBlast.Status.APPROVED or blast.planned_at:
            return 0
        recipients = blast.recipients().annotate(rid=F("pk")).values("rid")
        select_sql, params = recipients.query.sql_with_params()
        table = SmsDelivery._meta.db_table
        sql = (
            f"INSERT INTO {table} (blast_id, subscriber_id, status, attempts, gateway_id, error_code) "
            f"SELECT %s, r.rid, %s, 0, '', '' FROM ({select_sql}) r"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [blast.pk, Status.QUEUED, *params])
            count = cursor.rowcount
        SmsBlast.objects.filter(pk=blast.pk).update(
            status=SmsBlast.Status.SENDING, planned_at=timezone.now(), planned_count=count
        )
    if connection.vendor == "postgresql" and count > 10_000:
        # Fresh statistics, or the claim query may sort the whole queue instead of walking
        # the (blast, status, id) index until autovacuum gets round to it.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    logger.info("blast %s planned: %s recipients", blast_id, count)
    return count


# -- claiming and submitting -------------------------------------------------------------
def claim_batch(blast_id, size, now=None):
    """Claim up to ``size`` queued rows of a sending blast; return [(row_id, phone, token)].

    Rows whose subscriber has opted out since planning are marked skipped instead. Nothing
    is claimed while the blast is paused or cancelled. Concurrent workers never claim the
    same row (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite has a single writer).
    """
    now = now or timezone.now()
    with transaction.atomic():
        if not SmsBlast.objects.filter(pk=blast_id, status=SmsBlast.Status.SENDING).exists():
            return []
        rows = list(
            SmsDelivery.objects.select_for_update(skip_locked=True)
            .filter(blast_id=blast_id, status=Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("id")
            .values_list("id", "subscriber_id")[:size]
        )
        if not rows:
            return []
        people = {
            pk: (phone, state, token)
            for pk, phone, state, token in Subscriber.objects.filter(
                pk__in=[s for _, s in rows]
            ).values_list("pk", "phone", "status", "unsubscribe_token")
        }
        claimed, skipped = [], []
        for row_id, subscriber_id in rows:
            phone, state, token = people[subscriber_id]
            if state == Subscriber.Status.ACTIVE:
                claimed.append((row_id, phone, token))
            else:
                skipped.append(row_id)
        if skipped:
            SmsDelivery.objects.filter(pk__in=skipped).update(status=Status.SKIPPED)
        if claimed:
            SmsDelivery.objects.filter(pk__in=[c[0] for c in claimed]).update(
                status=Status.SUBMITTING,
                claimed_at=now,
                next_attempt_at=None,
                attempts=F("attempts") + 1,
            )
    return claimed


def backoff(attempts):
    """Seconds to wait before attempt ``attempts + 1``: 10 s, 20 s, 40 s … capped at 10 min."""
    return min(600, 10 * 2 ** max(0, attempts - 1))


def record_results(results, now=None):
    """Write the gateway's answers into the ledger (rows must be 'submitting')."""
    now = now or timezone.now()
    ids = {r.key: int(r.key[1:]) for r in results}
    accepted = [r for r in results if r.status == Result.ACCEPTED]
    rejected = [r for r in results if r.status == Result.REJECTED]
    retry = [ids[r.key] for r in results if r.status == Result.RETRY]
    unknown = [ids[r.key] for r in results if r.status == Result.UNKNOWN]
    with transaction.atomic():
        if accepted:
            _mark_submitted([(ids[r.key], r.gateway_id) for r in accepted], now)
        for r in rejected:
            SmsDelivery.objects.filter(pk=ids[r.key]).update(
                status=Status.FAILED, error_code=r.error[:40]
            )
        if retry:
            _requeue(retry, now, error="gateway_retry")
        if unknown:
            # Leave them "submitting"; the settler asks the gateway once its answer is final.
            SmsDelivery.objects.filter(pk__in=unknown).update(
                next_attempt_at=now + datetime.timedelta(seconds=settings.SMS_SETTLE_DELAY_SECONDS),
                error_code="unknown",
            )


def _mark_submitted(pairs, now):
    """Set status, gateway id and time for many rows in one statement.

    Django's bulk_update builds a CASE per row and costs half a second per 200 rows; an
    UPDATE … FROM a VALUES list (PostgreSQL, SQLite ≥ 3.33) costs milliseconds.
    """
    table = SmsDelivery._meta.db_table
    values = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (
        f"WITH v(id, gid) AS (VALUES {values}) "
        f"UPDATE {table} SET status = %s, gateway_id = v.gid, submitted_at = %s "
        f"FROM v WHERE {table}.id = v.id AND {table}.status = %s"
    )
    params = [x for pair in pairs for x in pair] + [Status.SUBMITTED, now, Status.SUBMITTING]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _requeue(row_ids, now, error):
    """Put rows back in the queue with backoff, or fail them after SMS_MAX_ATTEMPTS."""
    max_attempts = settings.SMS_MAX_ATTEMPTS
    rows = SmsDelivery.objects.filter(pk__in=row_ids)
    rows.filter(attempts__gte=max_attempts).update(
        status=Status.FAILED, error_code=f"{error}_gave_up"[:40]
    )
    for attempts in set(rows.filter(attempts__lt=max_attempts).values_list("attempts", flat=True)):
        rows.filter(attempts=attempts).update(
            status=Status.QUEUED,
            error_code=error,
            next_attempt_at=now + datetime.timedelta(seconds=backoff(attempts)),
        )


def send_one_batch(blast, size=None):
    """Claim, submit and record one batch of ``blast``; return how many were claimed."""
    backend = sending.get_backend()
    size = size or min(settings.SMS_BATCH_SIZE, backend.batch_size)
    # Take the rate budget before claiming, so that the time between claim and gateway
    # answer is one HTTP call: the settler's stale limit is far above that.
    sending.acquire(size)
    claimed = claim_batch(blast.pk, size)
    if not claimed:
        return 0
    link = blast.link_url()  # the page's URL costs a site lookup: once per batch
    messages = [
        Message(f"d{row_id}", phone, blast.text_for(token, link))
        for row_id, phone, token in claimed
    ]
    record_results(backend.send_batch(messages))
    return len(claimed)


def send_blast(blast_id, slot, budget_seconds=None):
    """Send batches of one blast until it is done, paused, in quiet hours or the time is up."""
    budget = budget_seconds or settings.SMS_TASK_SECONDS
    deadline = time.monotonic() + budget
    slot_key = f"sms-slot:{blast_id}:{slot}"
    sent = 0
    try:
        blast = SmsBlast.objects.select_related("link_page").filter(pk=blast_id).first()
        while blast is not None and time.monotonic() < deadline and not in_quiet_hours():
            cache.set(slot_key, 1, settings.SMS_SLOT_SECONDS)  # still alive
            claimed = send_one_batch(blast)
            if not claimed:
                break
            sent += claimed
    finally:
        cache.delete(slot_key)
    return sent


# -- settling rows left in flight ------------------------------------------------------------
def settle_in_flight(now=None, limit=2000):
    """Resolve 'submitting' rows nobody is working on against the gateway's records.

    Rows are settled when their worker has been silent for SMS_STALE_SECONDS (it died) or
    the gateway's answer was ambiguous and SMS_SETTLE_DELAY_SECONDS have passed. Found at
    the gateway: submitted. Not found: queued again (or failed after SMS_MAX_ATTEMPTS).
    Returns (found, requeued).
    """
    now = now or timezone.now()
    if not cache.add(SETTLE_LOCK, 1, 60):
        return 0, 0
    try:
        stale_before = now - datetime.timedelta(seconds=settings.SMS_STALE_SECONDS)
        rows = list(
            SmsDelivery.objects.filter(status=Status.SUBMITTING)
            .filter(Q(claimed_at__lte=stale_before) | Q(next_attempt_at__lte=now))
            .order_by("id")
            .values_list("id", flat=True)[:limit]
        )
        if not rows:
            return 0, 0
        found = sending.get_backend().lookup([f"d{pk}" for pk in rows])
        accepted = [Result(key, Result.ACCEPTED, gateway_id=gid) for key, gid in found.items()]
        missing = [pk for pk in rows if f"d{pk}" not in found]
        with transaction.atomic():
            still = set(
                SmsDelivery.objects.select_for_update()
                .filter(pk__in=rows, status=Status.SUBMITTING)
                .values_list("id", flat=True)
            )
            record_results([r for r in accepted if int(r.key[1:]) in still], now)
            _requeue([pk for pk in missing if pk in still], now, error="not_at_gateway")
        logger.warning(
            "settled %s in-flight SMS rows: %s at gateway, %s requeued",
            len(rows),
            len(found),
            len(missing),
        )
        return len(found), len(missing)
    finally:
        cache.delete(SETTLE_LOCK)


def finish_blasts():
    """Mark sending blasts with nothing queued or in flight as completed."""
    for blast_id in SmsBlast.objects.filter(status=SmsBlast.Status.SENDING).values_list(
        "pk", flat=True
    ):
        open_rows = SmsDelivery.objects.filter(
            blast_id=blast_id, status__in=[Status.QUEUED, Status.SUBMITTING]
        )
        if not open_rows.exists():
            SmsBlast.objects.filter(pk=blast_id, status=SmsBlast.Status.SENDING).update(
                status=SmsBlast.Status.COMPLETED, completed_at=timezone.now()
            )
            logger.info("blast %s completed", blast_id)


def due_blasts(now=None):
    now = now or timezone.now()
    return SmsBlast.objects.filter(status=SmsBlast.Status.APPROVED).filter(
        Q(send_at__isnull=True) | Q(send_at__lte=now)
    )
