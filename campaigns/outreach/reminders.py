"""Reminders to event organisers, OUTREACH_REMINDER_HOURS before the start (24 h, 2 h).

Exactly once, like the blast pipeline: a beat tick plans one ledger row per (event, offset)
(unique, so a second tick or a second beat cannot plan it again), claims rows with
SELECT … FOR UPDATE SKIP LOCKED, submits through the one sending layer with the row id as
idempotency key, and settles rows a dead worker left "submitting" against the gateway's
records (``lookup``): found means sent, never resend. The claim / record / settle cycle is
the shared engine of ``campaigns.sms.ledger``.

    queued ──claim──▶ submitting ──accepted──▶ sent
                          │ rejected ─▶ failed;  retry / not at gateway ─▶ queued again
                          └ event cancelled or started by claim time ─▶ skipped

Organiser reminders are operational: quiet hours do not apply.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import EventReminder, OutreachEvent, StaffAlert
from campaigns.phone import mobile_e164
from campaigns.sms import sending
from campaigns.sms.ledger import CACHE_DOWN, Ledger
from campaigns.sms.sending import Message
from website.core import notify

logger = logging.getLogger(__name__)
Status = EventReminder.Status
ACTIVE = (OutreachEvent.Status.PLANNED, OutreachEvent.Status.CONFIRMED)


def phone_for(event):
    """Return the mobile a reminder for ``event`` goes to: the contact's, else that of the
    member of staff whose e-mail is the contact's and who chose SMS (account settings), else
    None (the reminder is e-mailed)."""
    phone = mobile_e164(event.contact_phone)
    if phone or not event.contact_email:
        return phone
    staff = get_user_model().objects.filter(email__iexact=event.contact_email, is_active=True)
    for _user, chosen in notify.split_by_channel(staff)[1]:
        return mobile_e164(chosen)
    return None


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
            if phone_for(event)
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


# A reminder retries every 10 s instead of backing off: one message, due within hours.
LEDGER = Ledger(
    EventReminder,
    "r",
    Status.SENT,
    done_at="sent_at",
    error="error",
    settle_limit=500,
    retry_after=lambda attempts: 10,
)


def claim(size=50, now=None):
    """Claim up to ``size`` queued reminders; return [(row, event)].

    Rows whose event was cancelled or has started are marked skipped instead.
    """
    now = now or timezone.now()

    def still_ahead(rows):
        events = OutreachEvent.objects.in_bulk([r.event_id for r in rows])
        wanted, unwanted = [], {}
        for row in rows:
            event = events.get(row.event_id)
            if event is None or event.status not in ACTIVE or event.start_at <= now:
                unwanted[row.pk] = "event_changed"
            else:
                wanted.append((row.pk, (row, event)))
        return wanted, unwanted

    return LEDGER.claim(size, still_ahead, now=now)


def send_due(now=None):
    """Claim and send every due reminder; return how many were claimed."""
    total = 0
    while True:
        claimed = claim(now=now)
        if not claimed:
            return total
        total += len(claimed)
        phones = {row.pk: phone_for(event) for row, event in claimed if row.via == "sms"}
        sms = [(row, event) for row, event in claimed if phones.get(row.pk)]
        # A staff contact who switched SMS off since planning is e-mailed instead.
        mail = [(row, event) for row, event in claimed if not phones.get(row.pk)]
        if sms:
            messages = [Message(row.key, phones[row.pk], text_for(event)) for row, event in sms]
            LEDGER.record(sending.send(messages), now)
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
    against the gateway's records; return (found, requeued). E-mail has no lookup: such a
    row fails rather than mail twice."""
    return LEDGER.settle(
        sending.get_backend(),
        now,
        no_lookup=~Q(via=EventReminder.Via.SMS),
        no_lookup_error="email_unknown",
    )


def tick(now=None):
    """One beat tick: plan, settle, send; return how many reminders were claimed. Safe to
    run any number of times at once.

    While the shared cache (settle lock, rate limit) is unreachable nothing is sent: the
    reminders wait, queued, for a tick that finds it back.
    """
    plan_due(now)
    try:
        settle_in_flight(now)
        return send_due(now)
    except CACHE_DOWN as exc:
        logger.warning("reminders: cache unreachable (%s); sending paused", exc)
        return 0


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
