"""Site-wide settings editable in the admin (设置 › 举报渠道)."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

phone_validator = RegexValidator(
    r"^[0-9\-\s()+]{3,30}$", _("请输入电话号码，只能包含数字、空格、括号和连字符。")
)


@register_setting(icon="warning")
class ReportingSettings(BaseSiteSetting):
    """How the public reports illegal fundraising: shown on every page's footer and home."""

    office_name = models.CharField(
        _("单位名称"), max_length=80, default="示范市防范和处置非法集资工作领导小组办公室"
    )
    hotline = models.CharField(
        _("举报电话"), max_length=30, blank=True, validators=[phone_validator]
    )
    email = models.EmailField(_("举报邮箱"), blank=True)
    address = models.CharField(_("来信地址"), max_length=200, blank=True)
    reporting_note = models.TextField(
        _("举报须知"),
        blank=True,
        help_text=_("例如：对举报人信息严格保密；经查证属实的按规定给予奖励。"),
    )
    report_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("“如何举报”页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("office_name"),
        MultiFieldPanel(
            [FieldPanel("hotline"), FieldPanel("email"), FieldPanel("address")],
            heading=_("举报渠道"),
        ),
        FieldPanel("reporting_note"),
        FieldPanel("report_page"),
    ]

    class Meta:
        verbose_name = _("举报渠道")
