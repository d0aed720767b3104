import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models.ledger_rows import QueuedMessage
from campaigns.phone import mask
from website.taxonomy.models import Audience, Region

# 9 random bytes = 72 bits, 12 URL-safe characters. Every character of the link is paid for
# in every SMS, and with POST /u/ limited per address 72 bits cannot be guessed. Tokens
# issued before (8 characters) stay valid until the person re-subscribes.
UNSUBSCRIBE_TOKEN_BYTES = 9
UNSUBSCRIBE_TOKEN_LENGTH = 12
# Room for longer tokens later without another migration; the URL pattern allows the same.
UNSUBSCRIBE_TOKEN_MAX_LENGTH = 32


def new_unsubscribe_token():
    """Return a fresh unsubscribe token: UNSUBSCRIBE_TOKEN_LENGTH URL-safe characters."""
    return secrets.token_urlsafe(UNSUBSCRIBE_TOKEN_BYTES)


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscriber.Status.ACTIVE)


class Subscriber(models.Model):
    """A person who asked for warnings by SMS. The number is personal data: shown masked."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待验证")
        ACTIVE = "active", _("已订阅")
        UNSUBSCRIBED = "unsubscribed", _("已退订")

    phone = models.CharField(_("手机号码"), max_length=20, unique=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    region = models.ForeignKey(
        Region, verbose_name=_("地区"), null=True, blank=True, on_delete=models.SET_NULL
    )
    audiences = models.ManyToManyField(Audience, verbose_name=_("人群"), blank=True)
    unsubscribe_token = models.CharField(
        max_length=UNSUBSCRIBE_TOKEN_MAX_LENGTH, unique=True, default=new_unsubscribe_token
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("退订时间"), null=True, blank=True)
    unsubscribed_via = models.CharField(_("退订方式"), max_length=20, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        verbose_name = _("短信订阅者")
        verbose_name_plural = _("短信订阅者")
        permissions = [("export_subscriber_phones", _("可导出完整手机号码"))]

    def __str__(self):
        return self.masked_phone

    @property
    def masked_phone(self):
        return mask(self.phone)

    def rotate_unsubscribe_token(self):
        """Give the person a new unsubscribe token (not saved); return it.

        Called when someone who had left signs up again, so links in messages they got
        before (which may have been forwarded or leaked) no longer act on the new sign-up.
        """
        self.unsubscribe_token = new_unsubscribe_token()
        return self.unsubscribe_token

    def unsubscribe(self, via):
        """Opt out at once; any running blast skips this person from its next claim on."""
        if self.status == self.Status.UNSUBSCRIBED:
            return False
        self.status = self.Status.UNSUBSCRIBED
        self.unsubscribed_at = timezone.now()
        self.unsubscribed_via = via
        self.save(update_fields=["status", "unsubscribed_at", "unsubscribed_via"])
        ConsentRecord.objects.create(
            subscriber=self, action=ConsentRecord.Action.UNSUBSCRIBE, source=via
        )
        return True


class ConsentRecord(models.Model):
    """Evidence of consent: what the person agreed to, when, and from which page."""

    class Action(models.TextChoices):
        SUBSCRIBE = "subscribe", _("同意订阅")
        UNSUBSCRIBE = "unsubscribe", _("退订")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(_("动作"), max_length=12, choices=Action.choices)
    text = models.TextField(_("同意的内容"), blank=True)
    source = models.CharField(_("来源页面或渠道"), max_length=300, blank=True)
    ip_hash = models.CharField(_("IP 摘要"), max_length=24, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("同意记录")
        verbose_name_plural = _("同意记录")

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class VerificationCode(models.Model):
    """A 6-digit code sent by SMS to confirm a number (double opt-in).

    Only a hash of the code is stored; the pending sign-up choices travel in ``payload``
    and take effect when the code is confirmed.
    """

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    consumed_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("验证码")
        verbose_name_plural = _("验证码")

    def __str__(self):
        return f"code {self.pk}"


class WelcomeMessage(QueuedMessage):
    """The welcome SMS ledger: one row per confirmed sign-up (unique on its consent record),
    so the message saying how to opt out goes out exactly once, through the one sending
    layer, outside quiet hours. Its id is the idempotency key (``w<id>``)."""

    KEY_PREFIX = "w"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="welcomes")
    consent = models.OneToOneField(ConsentRecord, on_delete=models.CASCADE, related_name="welcome")

    class Meta:
        verbose_name = _("订阅欢迎短信")
        verbose_name_plural = _("订阅欢迎短信")
        indexes = [models.Index(fields=["status", "id"], name="campaigns_welcome_status")]


class StaffAlertQuerySet(models.QuerySet):
    def open(self):
        """Alerts nobody has marked as dealt with yet."""
        return self.filter(resolved_at__isnull=True)


class StaffAlert(models.Model):
    """Something staff must look at (e.g. the day's verification-code cap was reached). It stays
    on the dashboard until someone marks it resolved, so an alert seen and handled by one
    person stops asking everyone else."""

    kind = models.CharField(_("类型"), max_length=40)
    message = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = StaffAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("系统提醒")
        verbose_name_plural = _("系统提醒")
        indexes = [
            models.Index(
                fields=["-created_at"],
                name="campaigns_alert_open",
                condition=models.Q(resolved_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.message[:60]

    @property
    def is_open(self):
        return self.resolved_at is None

    def resolve(self, user):
        """Mark the alert as dealt with by ``user``; return False when it already was."""
        done = StaffAlert.objects.filter(pk=self.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=user
        )
        return bool(done)
