"""A short link and its daily counts.

A link says what it counts for with a label its owner chooses (``kind`` + ``ref`` + an
optional ``channel``: "event"/"42", "campaign"/"7"/"shequ", "blast"/"19"), so this app knows
nothing of events, campaigns or blasts. A count is a number per link and day: nothing about
the person who followed the link is stored (no address, no browser, no cookie).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShortLink(models.Model):
    """A short ASCII code on our own domain (``/s/<code>``) that leads to one of our pages."""

    code = models.CharField(_("短码"), max_length=12, unique=True)
    target_path = models.CharField(
        _("目标路径"), max_length=500, help_text=_("本站路径，以 / 开头。")
    )
    kind = models.CharField(_("用途"), max_length=20)
    ref = models.CharField(_("对象编号"), max_length=40)
    channel = models.CharField(_("渠道"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("短链接")
        verbose_name_plural = _("短链接")
        constraints = [
            # link_for() is idempotent: one link per label and target.
            models.UniqueConstraint(
                fields=["kind", "ref", "channel", "target_path"], name="shortlink_label_once"
            )
        ]
        indexes = [models.Index(fields=["kind", "ref"])]

    def __str__(self):
        return f"/s/{self.code} → {self.target_path}"


class DailyCount(models.Model):
    """How many times one link was followed on one day (Asia/Shanghai). Nothing else."""

    link = models.ForeignKey(ShortLink, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("次数"), default=0)

    class Meta:
        verbose_name = _("每日访问次数")
        verbose_name_plural = _("每日访问次数")
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="shortlink_count_per_day")
        ]

    def __str__(self):
        return f"{self.link.code} {self.day}: {self.count}"
