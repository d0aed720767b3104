"""The admin's own furniture in Chinese and on our own server: the help menu points at the
office's staff guide instead of Wagtail's English online guide, and nothing in the admin
calls another site (update checks, "what's new" banners and avatars are off in settings).
Wagtail's 报告 menu is the one place for reports: it is called 报表, and its first entry lists
every report the apps register (website.core.reports)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from website.core import reports
from website.core.admin_panels import add_own_drafts_panel
from website.core.admin_views import StaffTemplateView

# Help-menu items that open English pages on wagtail.org.
ONLINE_HELP = ("editor-guide", "whats-new-in-wagtail-")


class StaffGuideView(StaffTemplateView):
    permission_required = "wagtailadmin.access_admin"
    template_name = "core/admin/staff_guide.html"
    page_title = _("工作手册")


class ReportsIndexView(StaffTemplateView):
    """Every report the user may open, grouped by the work it comes from."""

    permission_required = "wagtailadmin.access_admin"
    template_name = "core/admin/reports.html"
    page_title = _("全部报表")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        return super().get_context_data(groups=reports.reports_for(self.request.user), **kwargs)


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(reports.reports_for(request.user))


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("guide/", StaffGuideView.as_view(), name="fangfei_staff_guide"),
        path("all-reports/", ReportsIndexView.as_view(), name="fangfei_reports"),
    ]


@hooks.register("register_reports_menu_item")
def register_reports_index_menu_item():
    return ReportsMenuItem(
        _("全部报表"),
        reverse("fangfei_reports"),
        icon_name="table",
        order=1,
        name="all-reports",
    )


@hooks.register("register_help_menu_item")
def register_staff_guide_menu_item():
    return MenuItem(
        _("工作手册"),
        reverse("fangfei_staff_guide"),
        icon_name="help",
        order=1050,
        name="staff-guide",
    )


@hooks.register("construct_help_menu")
def drop_online_help(request, menu_items):
    menu_items[:] = [
        item for item in menu_items if not any(item.name.startswith(n) for n in ONLINE_HELP)
    ]


hooks.register("construct_homepage_panels", add_own_drafts_panel)
