"""What every exactly-once message ledger row holds (``campaigns.sms.ledger.Ledger``):
organiser reminders, welcome texts, tip-off status texts, screening reminders.

A concrete ledger says what its message is about (an event and an offset, a consent record, a
status change, a region and month), its unique constraint (so no second tick can plan the same
message), its Meta (names, and the ``(status, id)`` index the claim query walks) and
``KEY_PREFIX``: the row's id behind that prefix is the gateway's idempotency key.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class QueuedMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SUBMITTING = "submitting", _("提交中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        SKIPPED = "skipped", _("未发送")

    KEY_PREFIX = ""

    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    gateway_id = models.CharField(max_length=64, blank=True)
    error = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.key

    @property
    def key(self):
        """The gateway's idempotency key for this message."""
        return f"{self.KEY_PREFIX}{self.pk}"
