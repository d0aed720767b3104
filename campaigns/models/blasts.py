import json

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from campaigns.models.subscribers import Subscriber
from campaigns.sms import links as sms_links
from campaigns.sms import text as sms_text
from website.taxonomy.models import Audience, Region


class SmsBlast(models.Model):
    """短信群发: one message to a segment of subscribers, sent under the two-person rule."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准，待发送")
        SENDING = "sending", _("发送中")
        PAUSED = "paused", _("已暂停")
        COMPLETED = "completed", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    title = models.CharField(_("标题（内部）"), max_length=100)
    body = models.TextField(_("短信正文"), max_length=500)
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("附带链接"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("可选：宣传活动或风险提示页面"),
    )
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("人群"), blank=True, help_text=_("不选表示全部人群")
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("地区"), blank=True, help_text=_("含下级地区；不选表示全辖区")
    )
    send_at = models.DateTimeField(
        _("发送时间"), null=True, blank=True, help_text=_("留空表示批准后立即发送")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("撰写人"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("批准人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    planned_at = models.DateTimeField(_("生成名单时间"), null=True, blank=True)
    planned_count = models.PositiveIntegerField(_("计划发送"), default=0)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    approved_text = models.TextField(
        _("批准的短信内容"),
        blank=True,
        help_text=_("批准时记录：发出的就是审核员批准的这段文字。"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("短信群发")
        verbose_name_plural = _("短信群发")
        permissions = [("approve_smsblast", _("可批准短信群发"))]

    def __str__(self):
        return self.title

    # -- message -------------------------------------------------------------------------
    def sent_parts(self):
        """Return (body as sent, attached link as sent): every address of ours is this
        blast's short link (made the first time; the same code every time after)."""
        return sms_links.shorten(self.body, self.link_page, ref=self.pk)

    def preview_text(self):
        """Return the message exactly as it would be sent now (the same for every recipient:
        the opt-out is a reply word, not a personal link)."""
        return sms_text.compose(*self.sent_parts())

    def outgoing_text(self):
        """Return what recipients get: the text the reviewer approved, once there is one."""
        return self.approved_text or self.preview_text()

    @property
    def segments(self):
        return sms_text.segments(self.outgoing_text())

    def fingerprint(self):
        """Return a hex digest of everything that decides what is sent, to whom and when.

        The approve and reject forms carry the digest of the version the reviewer saw, so a
        change made after the page was loaded makes the approval stale.
        """
        payload = {
            "title": self.title,
            # The composed text covers the body, the signature, the short links (a moved page
            # gets a new one) and the opt-out.
            "text": self.preview_text(),
            # Where the short links lead: the one public address.
            "base": settings.FANGFEI_BASE_URL,
            "link_page": self.link_page_id,
            "audiences": sorted(self.audiences.values_list("pk", flat=True)),
            "regions": sorted(self.regions.values_list("pk", flat=True)),
            "send_at": self.send_at.timestamp() if self.send_at else None,
            "created_by": self.created_by_id,
        }
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        return salted_hmac("campaigns.SmsBlast.fingerprint", text, algorithm="sha256").hexdigest()

    # -- recipients ----------------------------------------------------------------------
    def recipients(self):
        """Return the active subscribers this blast reaches now."""
        qs = Subscriber.objects.active()
        audience_ids = list(self.audiences.values_list("pk", flat=True))
        if audience_ids:
            # EXISTS rather than a join: no DISTINCT over a million rows.
            through = Subscriber.audiences.through
            qs = qs.filter(
                models.Exists(
                    through.objects.filter(
                        subscriber_id=models.OuterRef("pk"), audience_id__in=audience_ids
                    )
                )
            )
        paths = list(self.regions.values_list("path", flat=True))
        if paths:
            region_q = models.Q()
            for path in paths:
                region_q |= models.Q(path__startswith=path)
            qs = qs.filter(region__in=Region.objects.filter(region_q).values("pk"))
        return qs

    # -- progress ------------------------------------------------------------------------
    def progress(self):
        """Return counts per delivery status, with totals and a percentage done."""
        rows = SmsDelivery.objects.filter(blast=self).values("status").annotate(n=Count("pk"))
        counts = {s.value: 0 for s in SmsDelivery.Status}
        for row in rows:
            counts[row["status"]] = row["n"]
        total = sum(counts.values())
        done = total - counts[SmsDelivery.Status.QUEUED] - counts[SmsDelivery.Status.SUBMITTING]
        return {
            "planned": total,
            "queued": counts[SmsDelivery.Status.QUEUED],
            "in_flight": counts[SmsDelivery.Status.SUBMITTING],
            "submitted": counts[SmsDelivery.Status.SUBMITTED]
            + counts[SmsDelivery.Status.DELIVERED],
            "delivered": counts[SmsDelivery.Status.DELIVERED],
            "failed": counts[SmsDelivery.Status.FAILED],
            "skipped": counts[SmsDelivery.Status.SKIPPED],
            "percent": round(100 * done / total) if total else (100 if self.planned_at else 0),
        }

    def error_breakdown(self):
        return list(
            SmsDelivery.objects.filter(blast=self, status=SmsDelivery.Status.FAILED)
            .values("error_code")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )


class SmsDelivery(models.Model):
    """The ledger: one row per (blast, recipient). Its id is the gateway idempotency key."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        SUBMITTING = "submitting", _("提交中")
        SUBMITTED = "submitted", _("已提交")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("已跳过（退订）")

    # Planning writes a million rows in one INSERT … SELECT whose SELECT already guarantees
    # both references; per-row FK triggers and extra indexes would triple its time. The
    # unique (blast, subscriber) index serves lookups by blast; deletes cascade in Django.
    blast = models.ForeignKey(
        SmsBlast,
        on_delete=models.CASCADE,
        related_name="deliveries",
        db_index=False,
        db_constraint=False,
    )
    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=64, blank=True)
    error_code = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("短信投递记录")
        verbose_name_plural = _("短信投递记录")
        constraints = [
            models.UniqueConstraint(
                fields=["blast", "subscriber"], name="one_delivery_per_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["blast", "status", "id"], name="delivery_claim_idx"),
            # The dispatcher looks for rows left in flight every tick; only those few rows are
            # indexed, so this costs planning nothing and spares a scan of the whole ledger.
            models.Index(
                fields=["id"],
                name="delivery_in_flight_idx",
                condition=models.Q(status="submitting"),
            ),
            # Receipts look rows up by gateway id; rows not yet sent have none to index.
            models.Index(
                fields=["gateway_id"],
                name="delivery_gateway_idx",
                condition=~models.Q(gateway_id=""),
            ),
        ]

    def __str__(self):
        return f"{self.blast_id}/{self.pk} {self.status}"

    @property
    def idempotency_key(self):
        return f"d{self.pk}"


class BlastAuditLog(models.Model):
    """Who did what to a blast, and when (create, edit, submit, approve, pause …)."""

    blast = models.ForeignKey(SmsBlast, on_delete=models.CASCADE, related_name="audit_log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("动作"), max_length=20)
    detail = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("群发操作记录")
        verbose_name_plural = _("群发操作记录")

    def __str__(self):
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"
