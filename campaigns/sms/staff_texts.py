"""Text messages to staff who chose SMS (``website.core.notify`` hands them over through the
``send_staff_sms`` hook): page reviews, blasts awaiting approval, system alerts.

The same exactly-once ledger as every other message (``campaigns.sms.ledger``): queuing writes
one row per notice and person (unique, so a signal fired twice texts once), the dispatcher tick
claims, submits through the one sending layer (its global rate limit) and settles rows a dead
worker left in flight against the gateway's records. Each person gets at most
STAFF_SMS_PER_HOUR texts (a burst of fifty submissions must not buzz a phone fifty times: the
dashboard lists them all); the rest are recorded as skipped. Review notices wait for the end of
quiet hours; alerts do not. Numbers never reach the log.

    queued ──claim──▶ submitting ──accepted──▶ sent
                          │ rejected ─▶ failed;  retry / not at gateway ─▶ queued again
                          └ person deactivated by claim time ─▶ skipped
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from campaigns.models import StaffSms
from campaigns.phone import mobile_e164
from campaigns.sms import sending
from campaigns.sms import text as sms_text
from campaigns.sms.ledger import Ledger
from campaigns.sms.sending import Message
from website.core import limits

logger = logging.getLogger(__name__)
Status = StaffSms.Status

LEDGER = Ledger(StaffSms, "st", Status.SENT, done_at="sent_at", error="error", settle_limit=200)


def per_hour():
    return getattr(settings, "STAFF_SMS_PER_HOUR", 10)


def _within_limit(phone):
    try:
        return limits.hit("staff-sms", phone, (per_hour(), 3600)).allowed
    except limits.CacheUnavailable:
        # The global sending limit still holds; a notice is worth more than this cap.
        return True


def queue(texts):
    """Queue ``texts`` (``website.core.notify.StaffText``); return how many will be sent.

    Registered as the ``send_staff_sms`` hook. Texts to numbers that are not mainland mobiles
    are dropped; a notice already queued for a person is not queued again.
    """
    texts = list(texts)
    # A notice already queued is not charged to the person's hourly allowance again.
    known = set(
        StaffSms.objects.filter(notice__in=[t.key[:120] for t in texts]).values_list(
            "notice", flat=True
        )
    )
    rows = []
    for text in texts:
        if text.key[:120] in known:
            continue
        phone = mobile_e164(text.phone)
        if not phone:
            logger.warning("staff SMS %s: the number is not a mobile; not sent", text.key)
            continue
        allowed = _within_limit(phone)
        rows.append(
            StaffSms(
                user=text.user,
                phone=phone,
                text=sms_text.signature() + text.text,
                notice=text.key[:120],
                urgent=text.urgent,
                status=Status.QUEUED if allowed else Status.SKIPPED,
                error="" if allowed else "rate_limited",
            )
        )
    # ignore_conflicts: the unique notice is the guard against a notice queued twice.
    StaffSms.objects.bulk_create(rows, ignore_conflicts=True)
    return sum(1 for r in rows if r.status == Status.QUEUED)


def claim(size=50, now=None, *, urgent_only=False):
    """Claim up to ``size`` queued texts (only urgent ones with ``urgent_only``); return rows.

    Rows whose person has been deactivated meanwhile are marked skipped instead.
    """
    now = now or timezone.now()

    def still_staff(rows):
        ids = {r.user_id for r in rows if r.user_id}
        active = set(
            get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", flat=True)
        )
        wanted, unwanted = [], {}
        for row in rows:
            if row.user_id and row.user_id not in active:
                unwanted[row.pk] = "inactive"
            else:
                wanted.append((row.pk, row))
        return wanted, unwanted

    return LEDGER.claim(size, still_staff, now=now, scope=Q(urgent=True) if urgent_only else None)


def send_due(now=None, *, quiet=False):
    """Claim and send every due text (only urgent ones when ``quiet``); return how many."""
    total = 0
    while True:
        claimed = claim(now=now, urgent_only=quiet)
        if not claimed:
            return total
        total += len(claimed)
        messages = [Message(row.key, row.phone, row.text) for row in claimed]
        LEDGER.record(sending.send(messages), now)


def settle_in_flight(now=None):
    """Resolve texts left "submitting" against the gateway's records; return (found, requeued)."""
    return LEDGER.settle(sending.get_backend(), now)
