"""Wagtail hooks of tip-offs: the 举报 admin menu, its URLs, the department list and the
overdue panel on the dashboard."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from website.core.admin_menu import permission_submenu
from website.core.reports import Report
from website.tipoffs import admin_views as views
from website.tipoffs.models import Department
from website.tipoffs.panels import add_overdue_panel


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = _("移交部门")
    add_to_admin_menu = False
    list_display = ["name", "sort_order", "active"]


register_snippet(DepartmentViewSet)


@hooks.register("register_admin_urls")
def register_tipoff_urls():
    urls = [
        path("", views.QueueView.as_view(), name="queue"),
        path("<int:pk>/", views.DetailView.as_view(), name="detail"),
        path("<int:pk>/identity/", views.IdentityView.as_view(), name="identity"),
        path("evidence/<int:pk>/", views.EvidenceFileView.as_view(), name="evidence"),
        path("export.xlsx", views.ExportView.as_view(), name="export"),
        path("stats/", views.StatsView.as_view(), name="stats"),
        path("stats/export.xlsx", views.StatsExportView.as_view(), name="stats_export"),
        path("audit/", views.AuditView.as_view(), name="audit"),
    ]
    return [path("tipoffs/", include((urls, "tipoffs_admin"), namespace="tipoffs_admin"))]


@hooks.register("register_admin_menu_item")
def register_tipoff_menu():
    view = views.VIEW
    return permission_submenu(
        _("举报"),
        "tipoffs",
        "warning",
        440,
        [
            (_("举报受理"), "tipoffs_admin:queue", view, "tipoffs-queue", "list-ul"),
            (_("举报统计"), "tipoffs_admin:stats", view, "tipoffs-stats", "doc-full"),
            (
                _("移交部门"),
                "wagtailsnippets_tipoffs_department:list",
                "tipoffs.view_department",
                "tipoffs-departments",
                "group",
            ),
            (
                _("信息访问记录"),
                "tipoffs_admin:audit",
                (view, "tipoffs.view_identityaccess"),
                "tipoffs-audit",
                "view",
            ),
        ],
    )


hooks.register("construct_homepage_panels", add_overdue_panel)


@hooks.register("register_fangfei_reports")
def register_tipoff_reports():
    return [
        Report(
            _("举报统计"),
            "tipoffs_admin:stats",
            views.VIEW,
            _("举报"),
            _("举报数量、类型、地区和办理时限，按月统计。"),
            ("XLSX",),
            order=300,
        )
    ]
