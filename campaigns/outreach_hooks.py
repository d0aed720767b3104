"""Wagtail hooks of 七进 outreach: the 七进活动 admin menu, its viewsets and URLs, the home
page's campaign slot, and page-cache invalidation when events change."""

from django.db.models.signals import post_delete, post_save
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet

from website.core.cache import bump_content_version

from . import outreach_admin as views
from .models import OutreachEvent
from .models.campaign_pages import current_campaign

event_viewset = views.EventViewSet()
target_viewset = views.TargetViewSet()
register_snippet(views.ChannelViewSet)


class PermissionMenuItem(MenuItem):
    def __init__(self, label, url, permission, **kwargs):
        super().__init__(label, url, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


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
    ]
    return [path("outreach-tools/", include((urls, "outreach_admin"), namespace="outreach_admin"))]


@hooks.register("register_admin_menu_item")
def register_outreach_menu():
    view = "campaigns.view_outreachevent"
    items = [
        PermissionMenuItem(
            _("活动列表"),
            reverse_lazy("outreach_events:index"),
            view,
            name="outreach-events",
            icon_name="list-ul",
            order=100,
        ),
        PermissionMenuItem(
            _("活动日历"),
            reverse_lazy("outreach_admin:calendar"),
            view,
            name="outreach-calendar",
            icon_name="date",
            order=200,
        ),
        PermissionMenuItem(
            _("批量导入"),
            reverse_lazy("outreach_admin:import"),
            "campaigns.add_outreachevent",
            name="outreach-import",
            icon_name="upload",
            order=300,
        ),
        PermissionMenuItem(
            _("覆盖计划"),
            reverse_lazy("outreach_admin:coverage"),
            view,
            name="outreach-coverage",
            icon_name="tasks",
            order=400,
        ),
        PermissionMenuItem(
            _("覆盖目标"),
            reverse_lazy("outreach_targets:index"),
            "campaigns.view_coveragetarget",
            name="outreach-targets",
            icon_name="pick",
            order=500,
        ),
        PermissionMenuItem(
            _("统计报送"),
            reverse_lazy("outreach_admin:reports"),
            view,
            name="outreach-reports",
            icon_name="doc-full",
            order=600,
        ),
    ]
    return SubmenuMenuItem(
        _("七进活动"), Menu(items=items), name="outreach", icon_name="date", order=460
    )


@hooks.register("current_campaign")
def campaign_for_home(request):
    return current_campaign(request)


def _events_changed(sender, **kwargs):
    # Public campaign pages and feeds list events: serve no cached copy once they change.
    bump_content_version()


post_save.connect(_events_changed, sender=OutreachEvent, dispatch_uid="outreach-event-saved")
post_delete.connect(_events_changed, sender=OutreachEvent, dispatch_uid="outreach-event-deleted")
