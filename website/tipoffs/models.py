"""Tip-offs (举报) from the public: the report, its evidence, its handling, the reporter's
protected identity and the status SMS ledger.

The reporter's identity and contact never sit in the database in clear: ``identity_token``
holds a Fernet token (see ``website.tipoffs.crypto``). The status secret is stored as an
HMAC digest; the reference number alone opens nothing.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.ledger_rows import QueuedMessage
from website.tipoffs.storage import evidence_storage

#: Letters and digits that cannot be confused when read aloud or typed from a phone screen
#: (no 0/O, 1/I/L, no U/V pair issues): 30 symbols.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"


def new_reference(today=None):
    """Return a fresh reference number such as ``JB-2026-K7QX-M3RT`` (about 39 random bits)."""
    today = today or timezone.localdate()
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"JB-{today.year}-{body[:4]}-{body[4:]}"


class Department(models.Model):
    """A department a report can be handed to (公安、市场监管 …): an editable list."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("移交部门")
        verbose_name_plural = _("移交部门")

    def __str__(self):
        return self.name


class Report(models.Model):
    """One tip-off from the public, from intake (受理登记) to its close (已办结)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("受理登记")
        VERIFYING = "verifying", _("核实中")
        TRANSFERRED = "transferred", _("已移交")
        CLOSED = "closed", _("已办结")

    class Channel(models.TextChoices):
        OFFLINE = "offline", _("线下(上门、讲座、门店)")
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信群或朋友圈")
        QQ = "qq", _("QQ群")
        APP = "app", _("手机APP")
        WEBSITE = "website", _("网站")
        SMS = "sms", _("短信")
        LIVESTREAM = "livestream", _("直播或短视频")
        OTHER = "other", _("其他")

    reference = models.CharField(_("举报编号"), max_length=20, unique=True, editable=False)
    secret_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("办理状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("状态更新时间"), default=timezone.now)

    # What the reporter told us.
    what_happened = models.TextField(_("事情经过"))
    firm_name = models.CharField(_("企业、个人、APP或群名称"), max_length=200)
    firm_key = models.CharField(max_length=200, db_index=True, editable=False)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    pitch = models.TextField(_("宣传话术和承诺"), blank=True)
    amount_yuan = models.DecimalField(
        _("涉及金额(元)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    people_count = models.PositiveIntegerField(_("涉及人数"), null=True, blank=True)
    region = models.ForeignKey(
        "taxonomy.Region",
        verbose_name=_("发生地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place_detail = models.CharField(_("具体地点"), max_length=200, blank=True)
    channel = models.CharField(_("接触渠道"), max_length=12, choices=Channel.choices)
    pretext = models.ForeignKey(
        "taggit.Tag",
        verbose_name=_("幌子"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    about_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("相关页面"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The reporter (protected).
    anonymous = models.BooleanField(_("匿名举报"), default=True)
    identity_token = models.TextField(blank=True, editable=False)
    phone_confirmed = models.BooleanField(_("手机号已验证"), default=False)
    identity_erased_at = models.DateTimeField(_("身份信息删除时间"), null=True, blank=True)

    # Handling.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("移交部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    result = models.TextField(_("办理结果"), blank=True)
    respond_by = models.DateField(_("首次响应期限"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复于"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    # Reward (never public).
    reward_eligible = models.BooleanField(_("符合奖励条件"), null=True, blank=True)
    reward_first_report = models.BooleanField(_("首报"), default=False)
    reward_amount = models.DecimalField(
        _("奖励金额(元)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reward_paid_on = models.DateField(_("奖励发放日期"), null=True, blank=True)
    reward_note = models.TextField(_("奖励说明"), blank=True)

    created_at = models.DateTimeField(_("提交时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        permissions = [
            ("view_reporter_identity", _("可以查看举报人身份和联系方式")),
            ("view_evidence", _("可以查看举报证据")),
            ("view_reward", _("可以查看和登记举报奖励")),
        ]
        indexes = [models.Index(fields=["status", "respond_by"])]

    def __str__(self):
        return self.reference

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    def response_due(self):
        """Return the date by which staff owe a first response (configurable in days)."""
        days = getattr(settings, "TIPOFF_FIRST_RESPONSE_DAYS", 3)
        return timezone.localdate(self.created_at) + datetime.timedelta(days=days)


def evidence_path(instance, filename):
    # The stored name carries no trace of the reporter's own file name.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"tipoffs/{timezone.localdate():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class Evidence(models.Model):
    """A file the reporter attached, kept in private storage (never under MEDIA_URL)."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("图片")
        PDF = "pdf", _("PDF文件")
        AUDIO = "audio", _("录音")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, storage=evidence_storage, max_length=200)
    kind = models.CharField(_("类型"), max_length=6, choices=Kind.choices)
    mime = models.CharField(max_length=60)
    size = models.PositiveIntegerField(_("大小(字节)"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("举报证据")
        verbose_name_plural = _("举报证据")

    def __str__(self):
        return f"{self.report_id}/{self.pk}"


class Note(models.Model):
    """An internal note on a report (never shown to the reporter)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("内部备注")
        verbose_name_plural = _("内部备注")

    def __str__(self):
        return f"{self.report_id}: {self.body[:20]}"


class StatusChange(models.Model):
    """One public status change: the history a report shows staff, and what the status SMS
    ledger plans from."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=Report.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")

    def __str__(self):
        return f"{self.report_id} → {self.status}"


class IdentityAccess(models.Model):
    """The audit trail: who saw or exported a reporter's identity or evidence, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看身份")
        EXPORT = "export", _("导出身份")
        EVIDENCE = "evidence", _("查看证据")

    report = models.ForeignKey(
        Report, null=True, on_delete=models.SET_NULL, related_name="identity_accesses"
    )
    reference = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=8, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("举报人信息访问记录")
        verbose_name_plural = _("举报人信息访问记录")

    def __str__(self):
        return f"{self.username} {self.action} {self.reference}"


class StatusSms(QueuedMessage):
    """The status SMS ledger: one row per public status change, unique, its id the gateway's
    idempotency key (``t<id>``), so each change is texted exactly once."""

    KEY_PREFIX = "t"

    change = models.OneToOneField(StatusChange, on_delete=models.CASCADE, related_name="sms")

    class Meta:
        verbose_name = _("举报状态短信")
        verbose_name_plural = _("举报状态短信")
        indexes = [models.Index(fields=["status", "id"])]
