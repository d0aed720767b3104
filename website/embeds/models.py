"""How often partners' pages showed our widgets: one counter per day, framing site and widget.

Deliberately coarse: no IP address, no full URL, no user agent, nothing that identifies a
reader, so the figures are not personal data and can be kept and reported upward freely.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The longest host name DNS allows.
HOST_MAX_LENGTH = 253


class Impression(models.Model):
    class Widget(models.TextChoices):
        NOTICES = "notices", _("风险提示列表")
        KIOSK = "kiosk", _("大屏轮播")
        PAGE = "page", _("单篇提示或案例")
        QUIZ = "quiz", _("知识测试")

    day = models.DateField(_("日期"))
    host = models.CharField(
        _("来源网站"),
        max_length=HOST_MAX_LENGTH,
        blank=True,
        help_text=_("嵌入页面所在网站的域名；浏览器未告知来源时为空。"),
    )
    widget = models.CharField(_("组件"), max_length=10, choices=Widget.choices)
    count = models.PositiveIntegerField(_("展示次数"), default=0)

    class Meta:
        verbose_name = _("合作媒体嵌入展示")
        verbose_name_plural = _("合作媒体嵌入展示")
        constraints = [
            # impressions.record upserts against exactly these columns.
            models.UniqueConstraint(fields=["day", "host", "widget"], name="embeds_impression_once")
        ]

    def __str__(self):
        return f"{self.day} {self.host or '-'} {self.widget}: {self.count}"
