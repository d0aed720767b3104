"""Wagtail hooks of the risk-lead ledger: the 风险线索 admin menu, its viewsets and pages, and
the dashboard panel of regions that have not filed the month's screening."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from website.core.admin_menu import permission_submenu
from website.core.reports import Report
from website.leads import admin_views as views
from website.leads.panels import add_screening_panel

lead_viewset = views.LeadViewSet()
filing_viewset = views.FilingViewSet()
contact_viewset = views.ContactViewSet()


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [lead_viewset, filing_viewset, contact_viewset]


@hooks.register("register_admin_urls")
def register_leads_urls():
    urls = [
        path("export/", views.ExportView.as_view(), name="export"),
        path("screening/status/", views.MissingView.as_view(), name="missing"),
        path("from-reports/", views.ReportsToConvertView.as_view(), name="reports"),
        path(
            "from-reports/<int:report_id>/",
            views.ConvertReportView.as_view(),
            name="from_report",
        ),
    ]
    return [path("leads-tools/", include((urls, "leads_admin"), namespace="leads_admin"))]


@hooks.register("register_admin_menu_item")
def register_leads_menu():
    return permission_submenu(
        _("风险线索"),
        "leads",
        "warning",
        470,
        [
            (_("线索台账"), "leads:index", "leads.view_lead", "leads-ledger", "list-ul"),
            (_("导出统计表"), "leads_admin:export", "leads.view_lead", "leads-export", "download"),
            (
                _("举报转线索"),
                "leads_admin:reports",
                views.CONVERT_PERMISSIONS,
                "leads-from-reports",
                "warning",
            ),
            (
                _("月度排查"),
                "screening:index",
                "leads.view_screeningfiling",
                "leads-screening",
                "tasks",
            ),
            (
                _("报送情况"),
                "leads_admin:missing",
                "leads.view_screeningfiling",
                "leads-missing",
                "time",
            ),
            (
                _("排查联系人"),
                "screening_contacts:index",
                "leads.view_regioncontact",
                "leads-contacts",
                "user",
            ),
        ],
    )


hooks.register("construct_homepage_panels", add_screening_panel)


@hooks.register("register_fangfei_reports")
def register_leads_reports():
    group = _("风险线索")
    return [
        Report(
            _("重点风险线索统计表"),
            "leads_admin:export",
            "leads.view_lead",
            group,
            _("按上级规定的格式（附件2）导出的线索台账，可直接上报。"),
            ("XLSX",),
            order=400,
        ),
        Report(
            _("月度风险排查报送情况"),
            "leads_admin:missing",
            "leads.view_screeningfiling",
            group,
            _("各村（社区）本月是否已报送风险排查（含零报送）。"),
            order=410,
        ),
    ]
