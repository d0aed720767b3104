"""报表: every report the site offers, listed on one admin page (报表 › 全部报表).

The kernel cannot import the apps above it, so each app names its reports through the
``register_fangfei_reports`` Wagtail hook: a function returning Report entries. The reports'
code stays in their apps; this module only lists what the signed-in user may open. It also
fills the lines every form sent upward carries (``filing_for``).
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from website.core.admin_views import has_permissions
from website.core.tabular import Filing

HOOK = "register_fangfei_reports"


@dataclass(frozen=True)
class Report:
    """One report: its name, where it opens (a URL name), who may open it (one permission or
    a tuple, all needed), the group it is listed under, what it answers, and the download
    formats it offers ("XLSX", "CSV"). ``order`` sorts groups and reports within them."""

    label: str
    url_name: str
    permission: object
    group: str
    description: str = ""
    formats: tuple = ()
    order: int = 0

    @property
    def url(self):
        return reverse(self.url_name)


def all_reports():
    """Return every registered Report, by group order then its own order."""
    found = []
    for fn in hooks.get_hooks(HOOK):
        found.extend(fn())
    return sorted(found, key=lambda r: (r.order // 100, r.order, str(r.label)))


def reports_for(user):
    """Return [(group, [Report…])] of the reports ``user`` may open, groups in order."""
    groups = {}
    for report in all_reports():
        if has_permissions(user, report.permission):
            groups.setdefault(str(report.group), []).append(report)
    return list(groups.items())


def user_name(user):
    """Return the name a form gives for ``user``: family name first for a Chinese name
    (张 三 -> 张三), else the full name, else the user name."""
    first, last = (user.first_name or "").strip(), (user.last_name or "").strip()
    if any(ord(ch) > 0x2E7F for ch in first + last):
        return f"{last}{first}"
    return user.get_full_name().strip() or user.get_username()


def filing_for(request):
    """Return the Filing lines for a form exported in ``request``: the office (举报渠道
    settings' 单位名称) as 填报单位, the signed-in user as 填报人, the reviewer and office
    phone from 网站信息 settings, today (Asia/Shanghai) as 填报日期."""
    from website.core.models import ReportingSettings, SiteSettings

    reporting = ReportingSettings.for_request(request)
    site = SiteSettings.for_request(request)
    return Filing(
        unit=reporting.office_name,
        preparer=user_name(request.user),
        reviewer=site.report_reviewer,
        phone=site.office_phone,
        date=timezone.localdate(),
    )
