"""Site-wide settings editable in the admin (设置 › 举报渠道)."""

from django.conf import settings
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


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What every page's head and footer carry besides the reporting channels: the two
    guides, the privacy notice, the identifiers a Chinese government site shows, and the
    picture a shared link gets when a page has none of its own."""

    after_paying_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("“已经投了钱怎么办”指南"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("首页、每个案例和风险提示都链接到这一页。"),
    )
    verify_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("“怎样核实一个项目”指南"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("隐私声明页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    site_code = models.CharField(
        _("网站标识码"), max_length=20, blank=True, help_text=_("政府网站标识码，如 4313000001。")
    )
    icp_number = models.CharField(
        _("ICP备案号"), max_length=40, blank=True, help_text=_("如：湘ICP备12345678号-1。")
    )
    police_number = models.CharField(
        _("公安机关备案号"),
        max_length=40,
        blank=True,
        help_text=_("如：湘公网安备 43130002000001号。"),
    )
    correction_email = models.EmailField(
        _("纠错邮箱"),
        blank=True,
        help_text=_("页脚“纠错”链接写信到这里；留空则用举报邮箱。"),
    )
    office_phone = models.CharField(
        _("办公电话"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("上报统计报表“联系电话”一行填写的号码，如 0731-88888888。"),
    )
    report_reviewer = models.CharField(
        _("报表审核人"),
        max_length=20,
        blank=True,
        help_text=_("上报统计报表“审核人”一行填写的姓名；留空则留出签字的横线。"),
    )
    share_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("默认分享图片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("页面没有自己的图片时，微信、QQ 等分享卡片显示这张图；留空用本站标志。"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("after_paying_page"), FieldPanel("verify_page")],
            heading=_("指南"),
        ),
        FieldPanel("privacy_page"),
        MultiFieldPanel(
            [FieldPanel("site_code"), FieldPanel("icp_number"), FieldPanel("police_number")],
            heading=_("网站标识"),
        ),
        FieldPanel("correction_email"),
        MultiFieldPanel(
            [FieldPanel("office_phone"), FieldPanel("report_reviewer")],
            heading=_("上报报表"),
            help_text=_("填报单位取自“举报渠道”设置里的单位名称，填报人是导出报表的人。"),
        ),
        FieldPanel("share_image"),
    ]

    class Meta:
        verbose_name = _("网站信息")


class StaffNotificationPreference(models.Model):
    """How a member of staff wants to hear that work waits for them (a page to review, a blast
    to approve, a system alert): by e-mail, by SMS, both, or not at all (the dashboard still
    lists everything). The number is a mainland mobile in E.164, shown masked."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")
        BOTH = "both", _("邮件和短信")
        NONE = "none", _("都不要（只看工作台）")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    channel = models.CharField(
        _("通知方式"), max_length=5, choices=Channel.choices, default=Channel.EMAIL
    )
    phone = models.CharField(_("接收短信的手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("通知方式")
        verbose_name_plural = _("通知方式")

    def __str__(self):
        return self.get_channel_display()

    @property
    def by_email(self):
        return self.channel in (self.Channel.EMAIL, self.Channel.BOTH)

    @property
    def by_sms(self):
        return self.channel in (self.Channel.SMS, self.Channel.BOTH) and bool(self.phone)
