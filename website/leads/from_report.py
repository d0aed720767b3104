"""A tip-off (``tipoffs.Report``) that staff have taken up becomes a lead of the ledger,
pre-filled with what the reporter told: the firm, the amount (yuan → 万元), the people, the
region, the pretext and whether it happened online. Staff complete the rest in the lead's
edit form.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from website.leads.models import Lead, LeadSettings, current_period
from website.tipoffs.models import Report

# 核实中 and later: a report still at intake (受理登记) has not been looked at yet.
CONVERTIBLE = (Report.Status.VERIFYING, Report.Status.TRANSFERRED, Report.Status.CLOSED)
OFFLINE_CHANNELS = {
    Report.Channel.OFFLINE,
    Report.Channel.PHONE,
    Report.Channel.SMS,
    Report.Channel.OTHER,
}
TEN_THOUSAND = Decimal("10000")
CENT = Decimal("0.01")


class NotConvertible(Exception):
    """The report cannot become a lead; ``str()`` says why, for staff."""


def convertible(reports=None):
    """Return the reports that may become leads and have not yet (a queryset)."""
    reports = Report.objects.all() if reports is None else reports
    return reports.filter(status__in=CONVERTIBLE, duplicate_of__isnull=True).exclude(
        pk__in=Lead.objects.filter(source_report__isnull=False).values("source_report_id")
    )


def to_wan(yuan):
    """Return ``yuan`` in 万元 to two decimals (0.00 when unknown)."""
    if yuan is None:
        return Decimal("0.00")
    return (Decimal(yuan) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def lead_from_report(report_id, user=None):
    """Return (lead, created): the lead made from report ``report_id``, or the one made
    before (a report becomes one lead only).

    Raises NotConvertible when the report does not exist, is still at intake, is a duplicate
    of another report, or names no region and the settings give no default one.
    """
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("region", "pretext", "department")
            .filter(pk=report_id)
            .first()
        )
        if report is None:
            raise NotConvertible(_("找不到这条举报。"))
        existing = Lead.objects.filter(source_report=report).first()
        if existing is not None:
            return existing, False
        if report.status not in CONVERTIBLE:
            raise NotConvertible(_("举报还在受理登记阶段，核实后才能转为风险线索。"))
        if report.duplicate_of_id:
            raise NotConvertible(_("这是一条重复举报，请转换它所重复的那一条。"))
        region = report.region or LeadSettings.load().screening_root
        if region is None:
            raise NotConvertible(_("举报没有填写发生地区，请先在举报中补上地区。"))
        amount = to_wan(report.amount_yuan)
        transferred = report.department.name if report.department_id else ""
        lead = Lead(
            source_report=report,
            period=current_period(),
            region=region,
            firm_name=report.firm_name[:100],
            scheme=report.pretext.name[:80] if report.pretext_id else "",
            internet=Lead.Internet.OFFLINE
            if report.channel in OFFLINE_CHANNELS
            else Lead.Internet.ONLINE,
            amount=amount,
            people=report.people_count or 0,
            # What is still owed is not known from a tip-off; staff fill it in.
            unpaid=amount,
            measures=_("已移交%(d)s") % {"d": transferred} if transferred else "",
            outcome=_("移送公安") if "公安" in transferred else "",
            note=_("举报 %(ref)s") % {"ref": report.reference},
            created_by=user,
        )
        lead.full_clean()
        lead.save()
        return lead, True
