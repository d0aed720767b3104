"""Wagtail hooks of 七进 outreach: the 七进活动 admin menu, its viewsets and URLs, and
page-cache invalidation when events change."""

from django.db.models.signals import post_delete, post_save
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from campaigns.models import OutreachEvent
from campaigns.outreach import admin_views as views
from campaigns.outreach import paper_admin, print_views
from campaigns.outreach.panels import add_missing_records_panel
from website.core.admin_menu import permission_submenu
from website.core.cache import bump_content_version
from website.core.reports import Report

event_viewset = views.EventViewSet()
target_viewset = views.TargetViewSet()
register_snippet(views.ChannelViewSet)


hooks.register("construct_homepage_panels", add_missing_records_panel)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [event_viewset, target_viewset]


@hooks.register("register_admin_urls")
def register_outreach_urls():
    urls = [
        path("calendar/", views.CalendarView.as_view(), name="calendar"),
        path("coverage/", views.CoverageView.as_view(), name="coverage"),
        path("reports/", views.ReportIndexView.as_view(), name="reports"),
        path("reports/<int:pk>/", views.CampaignReportView.as_view(), name="report"),
        path("reports/<int:pk>/export.<str:fmt>", views.export_report, name="report_export"),
        path("import/", views.ImportView.as_view(), name="import"),
        path("import/template.<str:fmt>", views.import_template, name="import_template"),
        path("paper/", paper_admin.PaperIndexView.as_view(), name="paper_index"),
        path("paper/<int:pk>/", paper_admin.EventPaperView.as_view(), name="paper"),
        path("paper/<int:pk>/paper.pdf", paper_admin.paper_pdf, name="paper_pdf"),
        *print_urls(),
    ]
    return [path("outreach-tools/", include((urls, "outreach_admin"), namespace="outreach_admin"))]


def print_urls():
    # The batch paths come first: "print/<kind>/<pk>/" would take "print/batches/1/" too.
    return [
        path("print/batches/<int:pk>/", print_views.BatchView.as_view(), name="batch"),
        path("print/batches/<int:pk>/progress/", print_views.batch_progress, name="batch_progress"),
        path("print/batches/<int:pk>/download/", print_views.batch_download, name="batch_download"),
        path(
            "print/campaign/<int:pk>/batch/",
            print_views.StartBatchView.as_view(),
            name="batch_start",
        ),
        path(
            "print/<str:kind>/<int:pk>/",
            print_views.MaterialsView.as_view(),
            name="materials",
        ),
        path(
            "print/<str:kind>/<int:pk>/<str:key>.pdf",
            print_views.material_pdf,
            name="material_pdf",
        ),
    ]


@hooks.register("register_page_header_buttons")
def print_materials_button(page, user, view_name, next_url=None):
    """宣传品 in the header menu of a notice, case or campaign page, for those who may."""
    from wagtail.admin.widgets import Button

    from campaigns.outreach.materials import subject_kind_of

    kind = subject_kind_of(page)
    if kind and page.live and print_views.may_print(user, kind, page.pk):
        yield Button(
            _("宣传品（海报、折页、提示牌）"),
            print_views.materials_url(kind, page.pk),
            icon_name="doc-full",
            priority=90,
        )


@hooks.register("register_admin_menu_item")
def register_outreach_menu():
    view = "campaigns.view_outreachevent"
    return permission_submenu(
        _("七进活动"),
        "outreach",
        "date",
        460,
        [
            (_("活动列表"), "outreach_events:index", view, "outreach-events", "list-ul"),
            (_("活动日历"), "outreach_admin:calendar", view, "outreach-calendar", "date"),
            (
                _("批量导入"),
                "outreach_admin:import",
                "campaigns.add_outreachevent",
                "outreach-import",
                "upload",
            ),
            (_("覆盖计划"), "outreach_admin:coverage", view, "outreach-coverage", "tasks"),
            (
                _("覆盖目标"),
                "outreach_targets:index",
                "campaigns.view_coveragetarget",
                "outreach-targets",
                "pick",
            ),
            (_("统计报送"), "outreach_admin:reports", view, "outreach-reports", "doc-full"),
            (_("纸质测试"), "outreach_admin:paper_index", view, "outreach-paper", "form"),
        ],
    )


@hooks.register("register_fangfei_reports")
def register_outreach_reports():
    view = "campaigns.view_outreachevent"
    group = _("宣传活动与七进")
    return [
        Report(
            _("宣传活动统计报表"),
            "outreach_admin:reports",
            view,
            group,
            _(
                "每个宣传活动的七进场次、参与人数、发放资料和扫码，对照按活动期间折算的目标；附活动明细。"
            ),
            ("XLSX", "CSV"),
            order=100,
        ),
        Report(
            _("年度覆盖计划"),
            "outreach_admin:coverage",
            view,
            group,
            _("全年各渠道、各县（区）已举办场次与年度目标的差距。"),
            order=110,
        ),
    ]


def _events_changed(sender, **kwargs):
    # Public campaign pages and feeds list events: serve no cached copy once they change.
    bump_content_version()


post_save.connect(_events_changed, sender=OutreachEvent, dispatch_uid="outreach-event-saved")
post_delete.connect(_events_changed, sender=OutreachEvent, dispatch_uid="outreach-event-deleted")
