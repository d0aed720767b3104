"""Text messages to staff (a page to review, a blast to approve, a system alert), for those who
chose SMS in their account settings: a ledger like every other message the office sends."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campaigns.models.ledger_rows import QueuedMessage
from campaigns.phone import mask


class StaffSms(QueuedMessage):
    """One text to one member of staff, unique on ``notice`` (what it is about and for whom:
    ``review-task:17:u3``), so a signal fired twice still texts once. The row id is the
    gateway's idempotency key (``st<id>``)."""

    KEY_PREFIX = "st"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("收信人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(_("手机号码"), max_length=20)
    text = models.TextField(_("内容"))
    notice = models.CharField(_("通知"), max_length=120, unique=True)
    # Alerts (a code flood) go out at any hour; review notices wait for the end of quiet hours.
    urgent = models.BooleanField(_("紧急"), default=False)

    class Meta:
        verbose_name = _("工作人员短信通知")
        verbose_name_plural = _("工作人员短信通知")
        indexes = [models.Index(fields=["status", "id"], name="campaigns_staffsms_status")]

    def __str__(self):
        return f"{self.notice} → {mask(self.phone)}"
