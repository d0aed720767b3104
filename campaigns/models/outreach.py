"""七进 outreach: channels (editable), events with an after-event record, yearly coverage
targets and the reminder ledger (one row per event and offset, unique: sent exactly once)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from campaigns.models.ledger_rows import QueuedMessage
from website.taxonomy.models import Audience, Region
from website.taxonomy.widgets import RegionSelect

# The seven channels a new site starts with (localities rename or add their own).
CHANNEL_SEED = [
    ("机关", "jiguan"),
    ("学校", "xuexiao"),
    ("企业", "qiye"),
    ("社区", "shequ"),
    ("村组", "cunzu"),
    ("家庭", "jiating"),
    ("金融网点", "jinrong"),
]


class OutreachChannel(models.Model):
    """One of the 七进 channels (进机关, 进学校 …)."""

    name = models.CharField(_("名称"), max_length=20, unique=True)
    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("启用"), default=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("七进渠道")
        verbose_name_plural = _("七进渠道")

    def __str__(self):
        return self.name


class EventQuerySet(models.QuerySet):
    def public(self):
        """Events anyone may see: marked public and not cancelled."""
        return self.filter(is_public=True).exclude(status=OutreachEvent.Status.CANCELLED)

    def in_region(self, region):
        """Events in ``region`` or anywhere under it."""
        return self.filter(region__path__startswith=region.path)

    def missing_record(self, now=None):
        """Events that have ended, were not cancelled, and have no after-event record."""
        now = now or timezone.now()
        return self.filter(end_at__lt=now, attendance__isnull=True).exclude(
            status=OutreachEvent.Status.CANCELLED
        )


class OutreachEvent(ClusterableModel):
    """七进活动: one outreach event at one venue. Contact details are for staff only."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        CONFIRMED = "confirmed", _("已确认")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    # Allowed status changes: planned → confirmed → done, or cancelled before done.
    TRANSITIONS = {
        "planned": {"planned", "confirmed", "cancelled", "done"},
        "confirmed": {"confirmed", "done", "cancelled", "planned"},
        "done": {"done"},
        "cancelled": {"cancelled", "planned"},
    }

    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        verbose_name=_("所属宣传活动"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    channel = models.ForeignKey(
        OutreachChannel, verbose_name=_("渠道"), on_delete=models.PROTECT, related_name="events"
    )
    title = models.CharField(_("活动名称"), max_length=120)
    venue = models.CharField(_("场所"), max_length=120)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    start_at = models.DateTimeField(_("开始时间"))
    end_at = models.DateTimeField(_("结束时间"))
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("重点人群"), blank=True, related_name="+"
    )
    organiser = models.CharField(_("组织单位"), max_length=120)
    contact_person = models.CharField(_("联系人"), max_length=40)
    contact_phone = models.CharField(
        _("联系电话"),
        max_length=30,
        help_text=_("手机或固定电话，如 13812345678、0737-1234567；不对外公开。"),
    )
    contact_email = models.EmailField(
        _("联系邮箱"), blank=True, help_text=_("联系电话不是手机时，活动提醒发到这个邮箱。")
    )
    planned_materials = models.PositiveIntegerField(_("计划发放资料（份）"), default=0)
    is_public = models.BooleanField(
        _("对外公开"), default=True, help_text=_("公开的活动显示在宣传活动页面和日历订阅中。")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    # After the event
    attendance = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    materials_handed_out = models.PositiveIntegerField(_("发放资料（份）"), null=True, blank=True)
    summary = models.TextField(_("活动小结"), blank=True)
    record_missing_since = models.DateTimeField(
        _("缺活动记录提醒时间"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The paper quiz handed out at the event (campaigns.outreach.paper), drawn and stored once
    # so it can be printed again and its answers entered against the same questions.
    paper_quiz = models.OneToOneField(
        "quiz.QuizPaper",
        verbose_name=_("纸质测试卷"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="event",
    )
    # iCalendar SEQUENCE: subscribed calendars replace their copy only when it grows.
    sequence = models.PositiveIntegerField(_("修订次数"), default=0, editable=False)

    objects = EventQuerySet.as_manager()

    # What a subscribed calendar shows: a change to any of these is a new revision.
    CALENDAR_FIELDS = (
        "title",
        "venue",
        "address",
        "region_id",
        "channel_id",
        "start_at",
        "end_at",
        "status",
    )

    panels = [
        FieldPanel("title"),
        FieldRowPanel(
            [
                FieldPanel("campaign", widget=forms.Select),
                FieldPanel("channel", widget=forms.Select),
            ]
        ),
        FieldRowPanel([FieldPanel("start_at"), FieldPanel("end_at")]),
        FieldPanel("region", widget=RegionSelect),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("address")]),
        FieldPanel("audiences"),
        MultiFieldPanel(
            [
                FieldPanel("organiser"),
                FieldRowPanel([FieldPanel("contact_person"), FieldPanel("contact_phone")]),
                FieldPanel("contact_email"),
            ],
            heading=_("组织与联系（不公开）"),
        ),
        FieldRowPanel(
            [FieldPanel("planned_materials"), FieldPanel("is_public"), FieldPanel("status")]
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("attendance"), FieldPanel("materials_handed_out")]),
                FieldPanel("summary"),
                InlinePanel("photos", label=_("照片")),
            ],
            heading=_("活动记录（活动结束后填写）"),
        ),
    ]

    class Meta:
        ordering = ["start_at", "pk"]
        verbose_name = _("七进活动")
        verbose_name_plural = _("七进活动")
        indexes = [models.Index(fields=["status", "start_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            old = type(self).objects.filter(pk=self.pk).values(*self.CALENDAR_FIELDS, "sequence")
            old = old.first()
            if old is not None and any(
                old[name] != getattr(self, name) for name in self.CALENDAR_FIELDS
            ):
                self.sequence = old["sequence"] + 1
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = {*kwargs["update_fields"], "sequence", "updated_at"}
        super().save(*args, **kwargs)

    # -- validation -----------------------------------------------------------------------
    def clean(self):
        from campaigns.phone import validate_contact_phone

        errors = {}
        if self.start_at and self.end_at and self.end_at <= self.start_at:
            errors["end_at"] = _("结束时间必须晚于开始时间。")
        if self.contact_phone:
            try:
                self.contact_phone = validate_contact_phone(self.contact_phone)
            except ValidationError as exc:
                errors["contact_phone"] = exc.messages
        if self.pk:
            old = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if old and self.status not in self.TRANSITIONS.get(old, {old}):
                errors["status"] = _("状态不能从“%(old)s”改为“%(new)s”。") % {
                    "old": self.Status(old).label,
                    "new": self.Status(self.status).label,
                }
        if self.status == self.Status.DONE and self.start_at and self.start_at > timezone.now():
            errors.setdefault("status", _("活动尚未开始，不能标为已完成。"))
        if errors:
            raise ValidationError(errors)

    def warnings(self):
        """Return problems worth a warning that do not stop saving (outside campaign dates)."""
        found = []
        campaign = self.campaign
        if campaign and self.start_at and self.end_at:
            start = timezone.localtime(self.start_at).date()
            end = timezone.localtime(self.end_at).date()
            if start < campaign.start_date or end > campaign.end_date:
                found.append(
                    _("活动时间不在宣传活动“%(title)s”的日期（%(start)s 至 %(end)s）内。")
                    % {
                        "title": campaign.title,
                        "start": campaign.start_date,
                        "end": campaign.end_date,
                    }
                )
        return found

    # -- display --------------------------------------------------------------------------
    @property
    def masked_phone(self):
        from campaigns.phone import mask_contact_phone

        return mask_contact_phone(self.contact_phone)

    @property
    def has_record(self):
        return self.attendance is not None

    @property
    def local_start(self):
        return timezone.localtime(self.start_at)

    @property
    def local_end(self):
        return timezone.localtime(self.end_at)


class OutreachEventPhoto(Orderable):
    event = ParentalKey(OutreachEvent, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("照片"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("说明"), max_length=120, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class CoverageTarget(models.Model):
    """A yearly target: how many events of one channel a region should hold (e.g. every 村
    of a county reached once: the number of its villages)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    channel = models.ForeignKey(OutreachChannel, verbose_name=_("渠道"), on_delete=models.CASCADE)
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), on_delete=models.CASCADE, related_name="+"
    )
    target_count = models.PositiveIntegerField(_("目标场次"))
    note = models.CharField(_("说明"), max_length=120, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("year"), FieldPanel("channel"), FieldPanel("region")]),
        FieldPanel("target_count"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-year", "region__path", "channel__sort_order"]
        verbose_name = _("覆盖目标")
        verbose_name_plural = _("覆盖目标")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "channel", "region"], name="coverage_target_unique"
            )
        ]

    def __str__(self):
        return f"{self.year} {self.region} {self.channel}: {self.target_count}"


class EventReminder(QueuedMessage):
    """The reminder ledger: one row per (event, offset), unique. Its id is the idempotency
    key (``r<id>``) at the gateway, so a reminder is sent exactly once."""

    KEY_PREFIX = "r"

    class Via(models.TextChoices):
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")
        NONE = "none", _("无联系方式")

    event = models.ForeignKey(OutreachEvent, on_delete=models.CASCADE, related_name="reminders")
    offset_hours = models.PositiveSmallIntegerField(_("提前小时数"))
    via = models.CharField(_("方式"), max_length=6, choices=Via.choices)

    class Meta:
        verbose_name = _("活动提醒")
        verbose_name_plural = _("活动提醒")
        constraints = [
            models.UniqueConstraint(fields=["event", "offset_hours"], name="event_reminder_once")
        ]
        indexes = [models.Index(fields=["status", "id"])]


__all__ = [
    "CHANNEL_SEED",
    "CoverageTarget",
    "EventReminder",
    "OutreachChannel",
    "OutreachEvent",
    "OutreachEventPhoto",
]
