"""Delivering a blast: plan the ledger, claim small batches, submit, record, settle.

The ledger (SmsDelivery) is the single source of truth. Every step is a short transaction
that moves rows between states, so a worker may die at any instant:

    queued ──claim──▶ submitting ──accepted──▶ submitted ──receipt──▶ delivered / failed
      ▲                    │ rejected ─▶ failed
      └──not at gateway────┤ unknown (timeout, 5xx) or worker died ─▶ settled by lookup
                           └ subscriber opted out at claim time ─▶ skipped

The claim / record / settle cycle is the shared engine in ``campaigns.sms.ledger``; this
module adds what is particular to blasts: planning, the opt-out check, quiet hours, the
per-blast worker slots. A row is only ever resent after the gateway has said it does not
have it.
"""

import contextlib
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
from campaigns.sms.ledger import CACHE_DOWN, Ledger
from campaigns.sms.sending import Message

logger = logging.getLogger(__name__)
Status = SmsDelivery.Status


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
LEDGER = Ledger(SmsDelivery, "d", Status.SUBMITTED, done_at="submitted_at", error="error_code")


def claim_batch(blast_id, size, now=None):
    """Claim up to ``size`` queued rows of a sending blast; return [(row_id, phone)].

    Rows whose subscriber has opted out since planning are marked skipped instead. Nothing
    is claimed while the blast is paused or cancelled.
    """
    with transaction.atomic():
        if not SmsBlast.objects.filter(pk=blast_id, status=SmsBlast.Status.SENDING).exists():
            return []
        return LEDGER.claim(
            size,
            _still_subscribed,
            now=now,
            scope=Q(blast_id=blast_id),
            fields=("id", "subscriber_id"),
        )


def _still_subscribed(rows):
    """Split claimed (row id, subscriber id) pairs into the wanted (row id, (row id, phone))
    and the unwanted {row id: None} whose subscriber has opted out."""
    people = {
        pk: (phone, state)
        for pk, phone, state in Subscriber.objects.filter(pk__in=[s for _, s in rows]).values_list(
            "pk", "phone", "status"
        )
    }
    wanted, unwanted = [], {}
    for row_id, subscriber_id in rows:
        phone, state = people[subscriber_id]
        if state == Subscriber.Status.ACTIVE:
            wanted.append((row_id, (row_id, phone)))
        else:
            unwanted[row_id] = None
    return wanted, unwanted


def record_results(results, now=None):
    """Write the gateway's answers into the ledger (rows must be 'submitting')."""
    LEDGER.record(results, now)


def send_one_batch(blast, size=None):
    """Claim, submit and record one batch of ``blast``; return how many were claimed.

    Raises one of ``CACHE_DOWN`` before claiming anything when the shared cache (the
    global rate limit) is unreachable.
    """
    backend = sending.get_backend()
    size = size or min(settings.SMS_BATCH_SIZE, backend.batch_size)
    # Take the rate budget before claiming, so that the time between claim and gateway
    # answer is one HTTP call: the settler's stale limit is far above that.
    sending.acquire(size)
    claimed = claim_batch(blast.pk, size)
    if not claimed:
        return 0
    text = blast.outgoing_text()  # the approved text, the same for every recipient
    messages = [Message(LEDGER.key(row_id), phone, text) for row_id, phone in claimed]
    record_results(backend.send_batch(messages))
    return len(claimed)


def send_blast(blast_id, slot, budget_seconds=None):
    """Send batches of one blast until it is done, paused, in quiet hours or the time is up;
    return how many rows were claimed.

    With the shared cache unreachable the loop stops before claiming: the blast waits,
    queued, for a dispatcher tick that finds the cache back.
    """
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
    except CACHE_DOWN as exc:
        logger.warning("blast %s: cache unreachable (%s); sending paused", blast_id, exc)
    finally:
        with contextlib.suppress(*CACHE_DOWN):  # else the slot key expires by itself
            cache.delete(slot_key)
    return sent


# -- settling rows left in flight ------------------------------------------------------------
def settle_in_flight(now=None):
    """Resolve 'submitting' rows nobody is working on against the gateway's records;
    return (found, requeued). Raises one of ``CACHE_DOWN`` while the cache is unreachable."""
    return LEDGER.settle(sending.get_backend(), now)


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
