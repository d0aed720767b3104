"""The 短信 admin menu (群发, 模板, 分群, 订阅者, 系统提醒), its URLs, the dashboard's panels,
the 通知方式 account settings (whose phone also takes test sends) and the staff texts' way
into the sending layer."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from campaigns.sms import admin_tools, admin_urls, staff_texts
from campaigns.sms.panels import (
    add_alerts_panel,
    add_blasts_awaiting_approval_panel,
    add_own_blast_drafts_panel,
)
from campaigns.sms.staff_settings import account_settings_panel
from website.core.admin_menu import permission_submenu


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("sms/", include(admin_urls, namespace="campaigns_admin"))]


segment_viewset = admin_tools.SegmentViewSet()
template_viewset = admin_tools.TemplateViewSet()


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [segment_viewset, template_viewset]


@hooks.register("register_admin_menu_item")
def register_sms_menu():
    return permission_submenu(
        _("短信"),
        "sms",
        "mail",
        450,
        [
            (
                _("短信群发"),
                "campaigns_admin:blasts",
                "campaigns.view_smsblast",
                "sms-blasts",
                "mail",
            ),
            (
                _("短信模板"),
                "sms_templates:index",
                "campaigns.view_smstemplate",
                "sms-templates",
                "doc-full",
            ),
            (
                _("短信分群"),
                "sms_segments:index",
                "campaigns.view_smssegment",
                "sms-segments",
                "group",
            ),
            (
                _("订阅者"),
                "campaigns_admin:subscribers",
                "campaigns.view_subscriber",
                "sms-subscribers",
                "group",
            ),
            (
                _("系统提醒"),
                "campaigns_admin:alerts",
                "campaigns.view_staffalert",
                "sms-alerts",
                "warning",
            ),
        ],
    )


hooks.register("construct_homepage_panels", add_alerts_panel)
hooks.register("construct_homepage_panels", add_blasts_awaiting_approval_panel)
hooks.register("construct_homepage_panels", add_own_blast_drafts_panel)
hooks.register("register_account_settings_panel", account_settings_panel)
# website.core.notify hands staff texts to the sending layer through this hook.
hooks.register("send_staff_sms", staff_texts.queue)
