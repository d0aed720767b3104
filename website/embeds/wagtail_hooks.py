"""合作媒体嵌入统计 under the admin's Reports menu, for staff with ``embeds.view_impression``."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from website.core.admin_menu import PermissionMenuItem
from website.core.reports import Report
from website.embeds import admin_views


@hooks.register("register_admin_urls")
def register_impressions_url():
    return [
        path("embeds/impressions/", admin_views.impressions_report, name="embeds_impressions"),
    ]


@hooks.register("register_reports_menu_item")
def register_impressions_menu_item():
    return PermissionMenuItem(
        _("合作媒体嵌入统计"),
        reverse("embeds_impressions"),
        admin_views.PERMISSION,
        name="embed-impressions",
        icon_name="site",
        order=1300,
    )


@hooks.register("register_fangfei_reports")
def register_embeds_report():
    return [
        Report(
            _("合作媒体嵌入统计"),
            "embeds_impressions",
            admin_views.PERMISSION,
            _("合作媒体"),
            _("合作网站嵌入的内容被浏览的次数，按网站和日期。"),
            ("CSV",),
            order=500,
        )
    ]
