"""The 短信 admin menu (群发, 订阅者, 系统提醒) and its URLs."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem

from . import admin_urls


class PermissionMenuItem(MenuItem):
    """A menu item shown only to users holding ``permission``."""

    def __init__(self, label, url, permission, **kwargs):
        super().__init__(label, url, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("sms/", include(admin_urls, namespace="campaigns_admin"))]


@hooks.register("register_admin_menu_item")
def register_sms_menu():
    menu = Menu(
        items=[
            PermissionMenuItem(
                _("短信群发"),
                reverse_lazy("campaigns_admin:blasts"),
                "campaigns.view_smsblast",
                name="sms-blasts",
                icon_name="mail",
                order=100,
            ),
            PermissionMenuItem(
                _("订阅者"),
                reverse_lazy("campaigns_admin:subscribers"),
                "campaigns.view_subscriber",
                name="sms-subscribers",
                icon_name="group",
                order=200,
            ),
            PermissionMenuItem(
                _("系统提醒"),
                reverse_lazy("campaigns_admin:alerts"),
                "campaigns.view_staffalert",
                name="sms-alerts",
                icon_name="warning",
                order=300,
            ),
        ]
    )
    return SubmenuMenuItem(_("短信"), menu, name="sms", icon_name="mail", order=450)


from . import outreach_hooks  # noqa: E402,F401  七进 outreach: menu, viewsets, campaign slot
