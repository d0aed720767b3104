"""Reminders to event organisers, OUTREACH_REMINDER_HOURS before the start (24 h, 2 h).

Exactly once, like the blast pipeline: a beat tick plans one ledger row per (event, offset)
(unique, so a second tick or a second beat cannot plan it again), claims rows with
SELECT … FOR UPDATE SKIP LOCKED, submits through the one sending layer with the row id as
idempotency key, and settles rows a dead worker left "submitting" against the gateway's
records (``lookup``): found means sent, never resend.

    queued ──claim──▶ submitting ──accepted──▶ sent
                          │ rejected ─▶ failed;  retry / not at gateway ─▶ queued again
                          └ event cancelled or started by claim time ─▶ skipped

Organiser reminders are operational: quiet hours do not apply.
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import EventReminder, OutreachEvent, StaffAlert
from campaigns.phone import mobile_e164
from campaigns.sms import sending
from campaigns.sms.sending import Message, Result

logger = logging.getLogger(__name__)
Status = EventReminder.Status
ACTIVE = (OutreachEvent.Status.PLANNED, OutreachEvent.Status.CONFIRMED)
SETTLE_LOCK = "outreach-reminder-settle-lock"


def offsets():
    return sorted({int(h) for h in settings.OUTREACH_REMINDER_HOURS}, reverse=True)


def plan_due(now=None):
    """Create the ledger rows of reminders now due; return how many were created.

    A reminder is due once its event starts within ``offset`` hours and has not started.
    When several offsets are due at once (an event planned late), only the nearest is sent;
    the others are recorded as skipped so they are never sent later either.
    """
    now = now or timezone.now()
    hours = offsets()
    if not hours:
        return 0
    horizon = now + datetime.timedelta(hours=max(hours))
    events = OutreachEvent.objects.filter(
        status__in=ACTIVE, start_at__gt=now, start_at__lte=horizon
    )
    planned = set(
        EventReminder.objects.filter(event__in=events).values_list("event_id", "offset_hours")
    )
    rows = []
    for event in events.only("pk", "start_at", "contact_phone", "contact_email"):
        due = [h for h in hours if event.start_at - datetime.timedelta(hours=h) <= now]
        if not due:
            continue
        nearest = min(due)
        via = (
            EventReminder.Via.SMS
            if mobile_e164(event.contact_phone)
            else EventReminder.Via.EMAIL
            if event.contact_email
            else EventReminder.Via.NONE
        )
        for h in due:
            if (event.pk, h) in planned:
                continue
            skipped = h != nearest or via == EventReminder.Via.NONE
            rows.append(
                EventReminder(
                    event=event,
                    offset_hours=h,
                    via=via,
                    status=Status.SKIPPED if skipped else Status.QUEUED,
                    error=("superseded" if h != nearest else "no_contact") if skipped else "",
                )
            )
    # ignore_conflicts: the unique (event, offset) index is the guard against two ticks.
    EventReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def text_for(event):
    start = timezone.localtime(event.start_at)
    return _(
        "【%(sig)s】活动提醒：您组织的“%(title)s”将于%(when)s在%(venue)s开始，请做好准备。"
    ) % {
        "sig": settings.SMS_SIGNATURE,
        "title": event.title,
        "when": f"{start.month}月{start.day}日 {start:%H:%M}",
        "venue": event.venue,
    }


def claim(size=50, now=None):
    """Claim up to ``size`` queued reminders; return [(row, event)].

    Rows whose event was cancelled or has started are marked skipped instead.
    """
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            EventReminder.objects.select_for_update(skip_locked=True)
            .filter(status=Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("id")[:size]
        )
        if not rows:
            return []
        events = OutreachEvent.objects.in_bulk([r.event_id for r in rows])
        claimed, skipped = [], []
        for row in rows:
            event = events.get(row.event_id)
            if event is None or event.status not in ACTIVE or event.start_at <= now:
                skipped.append(row.pk)
            else:
                claimed.append((row, event))
        if skipped:
            EventReminder.objects.filter(pk__in=skipped).update(
                status=Status.SKIPPED, error="event_changed"
            )
        if claimed:
            EventReminder.objects.filter(pk__in=[r.pk for r, _ in claimed]).update(
                status=Status.SUBMITTING,
                claimed_at=now,
                next_attempt_at=None,
                attempts=F("attempts") + 1,
            )
    return claimed


def _requeue(pks, now, error):
    rows = EventReminder.objects.filter(pk__in=pks, status=Status.SUBMITTING)
    rows.filter(attempts__gte=settings.SMS_MAX_ATTEMPTS).update(
        status=Status.FAILED, error=f"{error}_gave_up"[:40]
    )
    rows.filter(attempts__lt=settings.SMS_MAX_ATTEMPTS).update(
        status=Status.QUEUED, error=error, next_attempt_at=now + datetime.timedelta(seconds=10)
    )


def record(results, now=None):
    now = now or timezone.now()
    for r in results:
        pk = int(r.key[1:])
        row = EventReminder.objects.filter(pk=pk, status=Status.SUBMITTING)
        if r.status == Result.ACCEPTED:
            row.update(status=Status.SENT, sent_at=now, gateway_id=r.gateway_id[:64], error="")
        elif r.status == Result.REJECTED:
            row.update(status=Status.FAILED, error=(r.error or "rejected")[:40])
        elif r.status == Result.RETRY:
            _requeue([pk], now, "gateway_retry")
        else:  # unknown: the settler asks the gateway once its answer is final
            row.update(
                error="unknown",
                next_attempt_at=now + datetime.timedelta(seconds=settings.SMS_SETTLE_DELAY_SECONDS),
            )


def send_due(now=None):
    """Claim and send every due reminder; return how many were claimed."""
    total = 0
    while True:
        claimed = claim(now=now)
        if not claimed:
            return total
        total += len(claimed)
        sms = [(row, event) for row, event in claimed if row.via == EventReminder.Via.SMS]
        mail = [(row, event) for row, event in claimed if row.via == EventReminder.Via.EMAIL]
        if sms:
            messages = [
                Message(row.key, mobile_e164(event.contact_phone), text_for(event))
                for row, event in sms
            ]
            record(sending.send(messages), now)
        for row, event in mail:
            # E-mail has no lookup: at most once. A worker dying here leaves the row
            # "submitting"; the settler marks it failed rather than mailing twice.
            try:
                send_mail(
                    _("七进活动提醒：%(title)s") % {"title": event.title},
                    text_for(event),
                    None,
                    [event.contact_email],
                )
            except Exception:
                logger.exception("reminder %s: e-mail failed", row.pk)
                EventReminder.objects.filter(pk=row.pk).update(
                    status=Status.FAILED, error="email_failed"
                )
            else:
                EventReminder.objects.filter(pk=row.pk).update(
                    status=Status.SENT, sent_at=timezone.now()
                )


def settle_in_flight(now=None):
    """Resolve reminders left "submitting" by a dead worker or an ambiguous gateway answer
    against the gateway's records. Returns (found, requeued)."""
    now = now or timezone.now()
    if not cache.add(SETTLE_LOCK, 1, 60):
        return 0, 0
    try:
        stale_before = now - datetime.timedelta(seconds=settings.SMS_STALE_SECONDS)
        rows = list(
            EventReminder.objects.filter(status=Status.SUBMITTING)
            .filter(Q(claimed_at__lte=stale_before) | Q(next_attempt_at__lte=now))
            .values_list("id", "via")[:500]
        )
        if not rows:
            return 0, 0
        mail = [pk for pk, via in rows if via != EventReminder.Via.SMS]
        EventReminder.objects.filter(pk__in=mail, status=Status.SUBMITTING).update(
            status=Status.FAILED, error="email_unknown"
        )
        sms = [pk for pk, via in rows if via == EventReminder.Via.SMS]
        if not sms:
            return 0, 0
        found = sending.get_backend().lookup([f"r{pk}" for pk in sms])
        with transaction.atomic():
            still = set(
                EventReminder.objects.select_for_update()
                .filter(pk__in=sms, status=Status.SUBMITTING)
                .values_list("id", flat=True)
            )
            for key, gateway_id in found.items():
                pk = int(key[1:])
                if pk in still:
                    EventReminder.objects.filter(pk=pk).update(
                        status=Status.SENT,
                        sent_at=now,
                        gateway_id=(gateway_id or "")[:64],
                        error="",
                    )
            _requeue(
                [pk for pk in sms if f"r{pk}" not in found and pk in still], now, "not_at_gateway"
            )
        logger.warning("settled %s reminders: %s at gateway", len(sms), len(found))
        return len(found), len(sms) - len(found)
    finally:
        cache.delete(SETTLE_LOCK)


def tick(now=None):
    """One beat tick: plan, settle, send. Safe to run any number of times at once."""
    plan_due(now)
    settle_in_flight(now)
    return send_due(now)


def flag_missing_records(now=None):
    """Flag events past their end without an after-event record; post one StaffAlert a day
    listing them. Returns the flagged events."""
    now = now or timezone.now()
    events = list(
        OutreachEvent.objects.missing_record(now)
        .select_related("region", "channel")
        .order_by("end_at")
    )
    if not events:
        return []
    OutreachEvent.objects.filter(
        pk__in=[e.pk for e in events], record_missing_since__isnull=True
    ).update(record_missing_since=now)
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if not StaffAlert.objects.filter(
        kind="outreach_record_missing", created_at__gte=start
    ).exists():
        lines = [
            f"{timezone.localtime(e.start_at):%m-%d %H:%M} {e.region.name} 进{e.channel.name}：{e.title}（{e.organiser}）"
            for e in events
        ]
        StaffAlert.objects.create(
            kind="outreach_record_missing",
            message=_("%(n)s 场七进活动已结束但未填写活动记录：\n%(list)s")
            % {"n": len(events), "list": "\n".join(lines)},
        )
    return events
