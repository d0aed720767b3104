"""The admin's own furniture in Chinese and on our own server: the help menu points at the
office's staff guide instead of Wagtail's English online guide, and nothing in the admin
calls another site (update checks, "what's new" banners and avatars are off in settings)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from website.core.admin_panels import add_own_drafts_panel
from website.core.admin_views import StaffTemplateView

# Help-menu items that open English pages on wagtail.org.
ONLINE_HELP = ("editor-guide", "whats-new-in-wagtail-")


class StaffGuideView(StaffTemplateView):
    permission_required = "wagtailadmin.access_admin"
    template_name = "core/admin/staff_guide.html"
    page_title = _("工作手册")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("guide/", StaffGuideView.as_view(), name="fangfei_staff_guide")]


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
