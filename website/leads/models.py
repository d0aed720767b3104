"""The risk-lead ledger (重点风险线索统计表, seed 002 附件2) and the monthly screening (风险排查)
that every village or community files by the due day, "nothing found" (零报送) included.

Amounts are in 万元 with two decimals, as the form's note asks; a period is a month, stored as
its first day.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from campaigns.models.ledger_rows import QueuedMessage
from campaigns.phone import mask_contact_phone, validate_contact_phone
from website.core.models import phone_validator
from website.taxonomy.models import Region

ZERO = Decimal("0")
HUNDRED = Decimal("100")


def month_start(day):
    """Return the first day of ``day``'s month (a date)."""
    return day.replace(day=1)


def next_month(period):
    """Return the first day of the month after ``period``."""
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def current_period(now=None):
    """Return the first day of the current month in the site's time zone."""
    return month_start(timezone.localdate(now))


def month_label(period):
    """Return ``period`` as 2026年11月."""
    return f"{period.year}年{period.month}月"


# -- settings ---------------------------------------------------------------------------------
@register_setting(icon="list-ol")
class LeadSettings(BaseGenericSetting):
    """Who signs the ledger, and which regions file the monthly screening by which day."""

    filing_unit = models.CharField(
        _("填报单位"),
        max_length=80,
        default="示范镇防范和处置非法集资工作领导小组办公室",
        help_text=_("统计表表头“填报单位”一行显示的名称。"),
    )
    preparer = models.CharField(_("填报人"), max_length=20, blank=True)
    head = models.CharField(_("负责人"), max_length=20, blank=True)
    phone = models.CharField(_("电话"), max_length=30, blank=True, validators=[phone_validator])
    screening_level = models.PositiveSmallIntegerField(
        _("报送排查的区划层级"),
        choices=Region.Level.choices,
        default=Region.Level.VILLAGE,
        help_text=_("这一层级的每个区划每月都要报送风险排查情况，一般为村（社区）。"),
    )
    screening_root = models.ForeignKey(
        Region,
        verbose_name=_("排查范围"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("只统计这个区划之下的单位；留空则统计全部。"),
    )
    due_day = models.PositiveSmallIntegerField(
        _("每月报送截止日"),
        default=23,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("每月这一天（含）之前报送，默认 23 日。"),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("提前几天短信提醒"),
        default=3,
        validators=[MaxValueValidator(27)],
        help_text=_("截止日前这么多天起，给尚未报送的单位联系人发一次提醒短信；0 表示截止日当天。"),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("filing_unit"),
                FieldRowPanel([FieldPanel("preparer"), FieldPanel("head"), FieldPanel("phone")]),
            ],
            heading=_("统计表落款"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("screening_level"),
                FieldPanel("screening_root"),
                FieldRowPanel([FieldPanel("due_day"), FieldPanel("reminder_days")]),
            ],
            heading=_("月度风险排查"),
        ),
    ]

    class Meta:
        verbose_name = _("风险线索与排查")

    def due_date(self, period):
        """Return the date by which ``period``'s screening is due."""
        return period.replace(day=self.due_day)

    def remind_from(self, period):
        """Return the first day reminders for ``period`` may go out."""
        return max(period, self.due_date(period) - datetime.timedelta(days=self.reminder_days))

    def screening_regions(self):
        """Return the regions that must file each month (a queryset, ordered by path)."""
        regions = Region.objects.filter(level=self.screening_level)
        if self.screening_root_id:
            regions = regions.filter(path__startswith=self.screening_root.path)
        return regions.order_by("path")


# -- leads --------------------------------------------------------------------------------------
money = {
    "max_digits": 14,
    "decimal_places": 2,
    "validators": [MinValueValidator(ZERO)],
}

OUTCOME_SUGGESTIONS = [_("正在整改并正常营业"), _("停业整改"), _("移送公安")]


class Lead(models.Model):
    """One row of the 重点风险线索统计表: a firm suspected of illegal fundraising, what is known
    of it and what has been done about it, in the month and region it was reported for."""

    class Internet(models.TextChoices):
        ONLINE = "online", _("线上")
        OFFLINE = "offline", _("线下")
        BOTH = "both", _("线上线下")

    class Refund(models.TextChoices):
        REFUNDING = "refunding", _("正在清退")
        DONE = "done", _("清退完毕")

    period = models.DateField(_("所属月份"), help_text=_("填该月任意一天即可，按月统计。"))
    region = models.ForeignKey(
        Region, verbose_name=_("所属地区"), on_delete=models.PROTECT, related_name="+"
    )
    firm_name = models.CharField(_("企业名称"), max_length=100)
    industry = models.CharField(_("所属行业"), max_length=40, blank=True)
    scheme = models.CharField(
        _("集资模式"),
        max_length=80,
        blank=True,
        help_text=_("如：高息借款、消费返利、养老床位认购"),
    )
    internet = models.CharField(_("是否通过互联网"), max_length=8, choices=Internet.choices)
    amount = models.DecimalField(_("涉及金额（万元）"), **money)
    people = models.PositiveIntegerField(_("涉及人数"))
    unpaid = models.DecimalField(_("未兑付资金（万元）"), **money)
    cross_region = models.BooleanField(_("是否跨省、市"), default=False)
    measures = models.TextField(_("采取的工作措施"), blank=True)
    refund_status = models.CharField(
        _("资金清退情况"), max_length=10, choices=Refund.choices, blank=True
    )
    refund_percent = models.DecimalField(
        _("清退比例（%）"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(ZERO), MaxValueValidator(HUNDRED)],
        help_text=_("仅“正在清退”时填写，如 35.50。"),
    )
    outcome = models.CharField(
        _("处理结果"),
        max_length=60,
        blank=True,
        help_text=_("企业现状，如：正在整改并正常营业、停业整改、移送公安。"),
    )
    notice = models.TextField(_("省际间风险通报情况"), blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    source_report = models.ForeignKey(
        "tipoffs.Report",
        verbose_name=_("来源举报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-period", "region__path", "id"]
        verbose_name = _("风险线索")
        verbose_name_plural = _("风险线索")
        indexes = [models.Index(fields=["period", "region"])]

    def __str__(self):
        return f"{self.firm_name}（{month_label(self.period)}）" if self.period else self.firm_name

    def save(self, *args, **kwargs):
        if self.period:
            self.period = month_start(self.period)
        super().save(*args, **kwargs)

    def clean(self):
        if self.period:
            self.period = month_start(self.period)
        errors = {}
        if self.refund_status == self.Refund.REFUNDING:
            if self.refund_percent is None:
                errors["refund_percent"] = _("正在清退的，请写明已清退的比例。")
            elif self.refund_percent >= HUNDRED:
                errors["refund_percent"] = _("已清退 100%，请选择“清退完毕”。")
        elif self.refund_percent is not None:
            errors["refund_percent"] = _("只有“正在清退”时才填写清退比例。")
        if self.amount is not None and self.unpaid is not None and self.unpaid > self.amount:
            errors["unpaid"] = _("未兑付资金不能大于涉及金额。")
        if errors:
            raise ValidationError(errors)

    @property
    def refund_text(self):
        """Return the 资金清退情况 cell: 正在清退（已清退35.50%）, 清退完毕, or ""."""
        if self.refund_status == self.Refund.REFUNDING and self.refund_percent is not None:
            return str(_("正在清退（已清退%(p)s%%）")) % {"p": f"{self.refund_percent:.2f}"}
        if self.refund_status == self.Refund.DONE:
            return str(_("清退完毕（100.00%）"))
        return self.get_refund_status_display()


# -- monthly screening -------------------------------------------------------------------------
class RegionContact(models.Model):
    """Who answers for a region's monthly screening: the person reminders go to by SMS, and
    the admin accounts (网格员) that may file for the region."""

    region = models.OneToOneField(
        Region, verbose_name=_("区划"), on_delete=models.CASCADE, related_name="screening_contact"
    )
    name = models.CharField(_("联系人"), max_length=20)
    phone = models.CharField(
        _("手机号码"), max_length=20, help_text=_("提醒短信发到这个号码，须为手机号码。")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("网格员账号"),
        blank=True,
        related_name="screening_regions",
        help_text=_("这些后台账号可以为本区划报送排查情况。"),
    )

    class Meta:
        ordering = ["region__path"]
        verbose_name = _("排查联系人")
        verbose_name_plural = _("排查联系人")

    def __str__(self):
        return f"{self.region.name} {self.name}"

    def clean(self):
        try:
            self.phone = validate_contact_phone(self.phone)
        except ValidationError as exc:
            raise ValidationError({"phone": exc.messages}) from None

    @property
    def masked_phone(self):
        return mask_contact_phone(self.phone)


class ScreeningFiling(models.Model):
    """One region's screening for one month; "nothing found" (零报送) is a filing too."""

    region = models.ForeignKey(
        Region, verbose_name=_("报送单位"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.DateField(_("排查月份"), help_text=_("填该月任意一天即可。"))
    nothing_found = models.BooleanField(
        _("零报送"), default=False, help_text=_("本月排查未发现非法集资风险线索。")
    )
    summary = models.TextField(
        _("排查情况"), blank=True, help_text=_("排查了哪些行业、场所，发现了什么。")
    )
    leads = models.ManyToManyField(
        Lead, verbose_name=_("发现的风险线索"), blank=True, related_name="filings"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    filed_at = models.DateTimeField(_("报送时间"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-period", "region__path"]
        verbose_name = _("月度风险排查")
        verbose_name_plural = _("月度风险排查")
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="screening_once_a_month")
        ]
        permissions = [("file_any_region", _("可为任何区划报送排查"))]

    def __str__(self):
        return f"{self.region} {month_label(self.period)}" if self.period else str(self.region)

    def save(self, *args, **kwargs):
        if self.period:
            self.period = month_start(self.period)
        super().save(*args, **kwargs)

    def clean(self):
        if self.period:
            self.period = month_start(self.period)
        if not self.nothing_found and not self.summary.strip():
            raise ValidationError(
                {"summary": _("请填写排查情况；本月没有发现风险线索的，请勾选“零报送”。")}
            )

    def is_late(self, config=None):
        """Return whether it was filed after its month's due day (``config``: the
        LeadSettings, loaded when not given)."""
        due = (config or LeadSettings.load()).due_date(self.period)
        return timezone.localdate(self.filed_at) > due


class ScreeningReminder(QueuedMessage):
    """The reminder ledger: one row per (region, month), unique. Its id is the idempotency
    key (``ls<id>``) at the gateway, so a region's contact is reminded once a month at most."""

    KEY_PREFIX = "ls"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("排查月份"))

    class Meta:
        verbose_name = _("排查提醒")
        verbose_name_plural = _("排查提醒")
        constraints = [
            models.UniqueConstraint(fields=["region", "period"], name="screening_reminder_once")
        ]
        indexes = [models.Index(fields=["status", "id"])]
