"""SMS reminders to the contacts of regions that have not filed the month's screening.

Exactly once, on the shared ledger engine (``campaigns.sms.ledger``), like the 七进 organiser
reminders: a beat tick plans one row per (region, month) from ``remind_from`` up to the due
day (unique, so a second tick or a second beat cannot plan it twice), claims rows with
SELECT … FOR UPDATE SKIP LOCKED, submits through the one sending layer with the row id as
idempotency key, and settles rows a dead worker left "submitting" against the gateway.

    queued ──claim──▶ submitting ──accepted──▶ sent
                          │ rejected ─▶ failed;  retry / not at gateway ─▶ queued again
                          └ filed meanwhile, or contact gone, by claim time ─▶ skipped

These are not urgent: during quiet hours rows are planned but wait, queued, until morning.
"""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.phone import mobile_e164
from campaigns.sms import sending
from campaigns.sms.delivery import in_quiet_hours
from campaigns.sms.ledger import CACHE_DOWN, Ledger
from campaigns.sms.sending import Message
from website.leads.models import (
    LeadSettings,
    RegionContact,
    ScreeningFiling,
    ScreeningReminder,
    current_period,
)
from website.leads.screening import missing

logger = logging.getLogger(__name__)
Status = ScreeningReminder.Status

LEDGER = Ledger(
    ScreeningReminder,
    "ls",
    Status.SENT,
    done_at="sent_at",
    error="error",
    settle_limit=500,
)


def plan_due(now=None, config=None):
    """Create the ledger rows of reminders now due; return how many were created.

    Due: today lies between ``remind_from`` and the due day (both included) and the region
    has not filed. A region without a mobile contact gets a skipped row, so staff can see it
    was not reminded.
    """
    config = config or LeadSettings.load()
    today = timezone.localdate(now)
    period = current_period(now)
    if not (config.remind_from(period) <= today <= config.due_date(period)):
        return 0
    regions = missing(period, config).exclude(
        pk__in=ScreeningReminder.objects.filter(period=period).values("region_id")
    )
    contacts = {c.region_id: c for c in RegionContact.objects.filter(region__in=regions)}
    rows = []
    for region in regions.only("pk"):
        contact = contacts.get(region.pk)
        reachable = contact is not None and mobile_e164(contact.phone)
        rows.append(
            ScreeningReminder(
                region=region,
                period=period,
                status=Status.QUEUED if reachable else Status.SKIPPED,
                error="" if reachable else "no_contact",
            )
        )
    # ignore_conflicts: the unique (region, period) index is the guard against two ticks.
    ScreeningReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def text_for(region, period, config):
    due = config.due_date(period)
    return _(
        "【%(sig)s】风险排查提醒：%(region)s%(month)s月的非法集资风险排查情况请于%(due)s前报送；"
        "未发现风险的也请零报送。"
    ) % {
        "sig": settings.SMS_SIGNATURE,
        "region": region.name,
        "month": period.month,
        "due": f"{due.month}月{due.day}日",
    }


def claim(size=50, now=None):
    """Claim up to ``size`` queued reminders; return [(row, message)].

    Rows whose region has filed since they were planned, or whose contact has no mobile
    any more, are marked skipped instead.
    """
    config = LeadSettings.load()

    def still_wanted(rows):
        filed = set(
            ScreeningFiling.objects.filter(
                region_id__in=[r.region_id for r in rows],
                period__in={r.period for r in rows},
            ).values_list("region_id", "period")
        )
        contacts = {
            c.region_id: c
            for c in RegionContact.objects.select_related("region").filter(
                region_id__in=[r.region_id for r in rows]
            )
        }
        wanted, unwanted = [], {}
        for row in rows:
            contact = contacts.get(row.region_id)
            to = mobile_e164(contact.phone) if contact else None
            if (row.region_id, row.period) in filed:
                unwanted[row.pk] = "filed"
            elif not to:
                unwanted[row.pk] = "no_contact"
            else:
                text = text_for(contact.region, row.period, config)
                wanted.append((row.pk, (row, Message(row.key, to, text))))
        return wanted, unwanted

    return LEDGER.claim(size, still_wanted, now=now)


def send_due(now=None):
    """Claim and send every due reminder; return how many were claimed."""
    total = 0
    while True:
        claimed = claim(now=now)
        if not claimed:
            return total
        total += len(claimed)
        LEDGER.record(sending.send([message for _row, message in claimed]), now)


def tick(now=None):
    """One beat tick: plan, then (outside quiet hours) settle and send; return how many
    reminders were claimed. Safe to run any number of times at once.

    While the shared cache (settle lock, rate limit) is unreachable nothing is sent: the
    reminders wait, queued, for a tick that finds it back.
    """
    plan_due(now)
    if in_quiet_hours(now):
        return 0
    try:
        LEDGER.settle(sending.get_backend(), now)
        return send_due(now)
    except CACHE_DOWN as exc:
        logger.warning("screening reminders: cache unreachable (%s); sending paused", exc)
        return 0
