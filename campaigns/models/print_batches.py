"""A batch of print materials: every event of one campaign, rendered by a Celery worker
into one zip in the private print storage, with progress the admin polls."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrintBatch(models.Model):
    """One request for a campaign's materials as a zip; ``done`` of ``total`` pieces."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    campaign = models.ForeignKey(
        "campaigns.CampaignPage",
        verbose_name=_("宣传活动"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("总份数"), default=0)
    done = models.PositiveIntegerField(_("已完成份数"), default=0)
    file_name = models.CharField(_("文件"), max_length=200, blank=True)
    error = models.CharField(_("错误"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("宣传品批量生成")
        verbose_name_plural = _("宣传品批量生成")

    def __str__(self):
        return f"{self.campaign_id}#{self.pk}"

    @property
    def percent(self):
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)
