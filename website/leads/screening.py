"""Who has filed the month's screening and who has not: the list staff chase, the dashboard
panel and the reminders all read it from here."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from website.leads.models import (
    LeadSettings,
    RegionContact,
    ScreeningFiling,
    ScreeningReminder,
    current_period,
)


@dataclass
class RegionStatus:
    region: object
    filing: object  # ScreeningFiling or None
    contact: object  # RegionContact or None
    due: object  # the month's due date
    reminder: object = None  # ScreeningReminder or None

    @property
    def filed(self):
        return self.filing is not None

    @property
    def late(self):
        """Return whether the filing came after the due day."""
        return self.filed and timezone.localdate(self.filing.filed_at) > self.due


def missing(period, config=None):
    """Return a queryset of the regions that must file ``period`` and have not."""
    config = config or LeadSettings.load()
    filed = ScreeningFiling.objects.filter(region=OuterRef("pk"), period=period)
    return config.screening_regions().filter(~Exists(filed))


def statuses(period, config=None):
    """Return a RegionStatus for every region that must file ``period``: the missing ones
    first, then the filed ones, each group in tree order. Four queries."""
    config = config or LeadSettings.load()
    regions = list(config.screening_regions())
    filings = {
        f.region_id: f
        for f in ScreeningFiling.objects.filter(period=period, region__in=regions)
        .select_related("filed_by")
        .annotate(lead_count=Count("leads"))
    }
    contacts = {c.region_id: c for c in RegionContact.objects.filter(region__in=regions)}
    reminders = {
        r.region_id: r for r in ScreeningReminder.objects.filter(period=period, region__in=regions)
    }
    due = config.due_date(period)
    rows = [
        RegionStatus(r, filings.get(r.pk), contacts.get(r.pk), due, reminders.get(r.pk))
        for r in regions
    ]
    return [r for r in rows if not r.filed] + [r for r in rows if r.filed]


def summary(period=None, config=None):
    """Return (period, due date, number that must file, number missing) for the dashboard."""
    config = config or LeadSettings.load()
    period = period or current_period()
    total = config.screening_regions().count()
    return period, config.due_date(period), total, missing(period, config).count()
