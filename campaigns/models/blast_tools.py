"""What makes composing a blast quicker: saved segments (a named audience and region filter),
message templates (named texts to start from), and the staff member's own phone for a test
send before approval."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from website.taxonomy.models import Audience, Region


class SmsSegment(models.Model):
    """分群: who a blast reaches, saved under a name. A blast copies the choice when it is
    composed, so editing a segment later never changes a blast already reviewed."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    audiences = models.ManyToManyField(
        Audience, verbose_name=_("人群"), blank=True, help_text=_("不选表示全部人群")
    )
    regions = models.ManyToManyField(
        Region, verbose_name=_("地区"), blank=True, help_text=_("含下级地区；不选表示全辖区")
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("短信分群")
        verbose_name_plural = _("短信分群")

    def __str__(self):
        return self.name


class SmsTemplate(models.Model):
    """短信模板: a text an editor starts a blast from (the signature and opt-out are added
    when the blast is composed, as for any body)."""

    name = models.CharField(_("名称"), max_length=60, unique=True)
    body = models.TextField(_("短信正文"), max_length=500)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("短信模板")
        verbose_name_plural = _("短信模板")

    def __str__(self):
        return self.name
