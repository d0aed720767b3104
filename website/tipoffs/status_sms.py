"""Status SMS to reporters who confirmed a number: one message per public status change,
exactly once, through the shared ledger engine (``campaigns.sms.ledger``), like the outreach
reminders.

``services.change_status`` plans the row (one per StatusChange, unique) in the transaction
that changes the status; a beat tick claims rows with SELECT … FOR UPDATE SKIP LOCKED, sends
through the one sending layer with ``t<id>`` as idempotency key, and settles rows a dead
worker left "submitting" against the gateway's records: found means sent, never resend.

The text names only the reference and the public status. Quiet hours hold (these go to the
public): rows simply wait, queued, until the morning.
"""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.sms import sending
from campaigns.sms.delivery import in_quiet_hours
from campaigns.sms.ledger import CACHE_DOWN, Ledger
from campaigns.sms.sending import Message
from website.tipoffs import services
from website.tipoffs.models import Report, StatusChange, StatusSms

logger = logging.getLogger(__name__)
Status = StatusSms.Status

LEDGER = Ledger(StatusSms, "t", Status.SENT, done_at="sent_at", error="error", settle_limit=500)


def text_for(reference, status):
    label = dict(Report.Status.choices).get(status, status)
    return _(
        "【%(sig)s】您的举报 %(ref)s 办理进度更新为：%(status)s。"
        "可凭举报编号和查询密码在网站“查询办理进度”页面查看。我们不会让您转账或提供验证码。"
    ) % {"sig": settings.SMS_SIGNATURE, "ref": reference, "status": label}


def claim(size=50, now=None):
    """Claim up to ``size`` queued status SMS; return [(row, phone, text)].

    Rows whose reporter no longer has a confirmed number (identity erased) are skipped.
    """
    now = now or timezone.now()

    def still_wanted(rows):
        changes = StatusChange.objects.select_related("report").in_bulk([r.change_id for r in rows])
        wanted, unwanted = [], {}
        for row in rows:
            change = changes.get(row.change_id)
            report = change.report if change else None
            phone = services.identity_of(report).get("phone") if report else ""
            if not report or not report.phone_confirmed or not phone:
                unwanted[row.pk] = "no_phone"
            else:
                wanted.append((row.pk, (row, phone, text_for(report.reference, change.status))))
        return wanted, unwanted

    return LEDGER.claim(size, still_wanted, now=now)


def send_due(now=None):
    """Claim and send every due status SMS; return how many were claimed."""
    total = 0
    while True:
        claimed = claim(now=now)
        if not claimed:
            return total
        total += len(claimed)
        messages = [Message(f"t{row.pk}", phone, text) for row, phone, text in claimed]
        LEDGER.record(sending.send(messages), now)


def tick(now=None):
    """One beat tick: settle, then send unless in quiet hours; return how many were claimed.
    Safe to run any number of times at once."""
    try:
        LEDGER.settle(sending.get_backend(), now)
        if in_quiet_hours(now):
            return 0
        return send_due(now)
    except CACHE_DOWN as exc:
        logger.warning("tip-off status SMS: cache unreachable (%s); sending paused", exc)
        return 0
