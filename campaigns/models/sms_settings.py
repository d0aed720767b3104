"""What staff may change about SMS without a deploy: which replies mean "stop"."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# What people actually reply to "回复TD退订", beyond the words the message names. Matched
# whole (never as part of a longer text), ignoring case, full/half width, spaces and
# punctuation around them.
DEFAULT_OPT_OUT_REPLIES = [
    "TD",
    "T",
    "N",
    "退订",
    "取消",
    "退订短信",
    "回复TD",
    "TD退订",
    "退订TD",
    "回复TD退订",
    "取消订阅",
    "不再接收",
]


@register_setting(icon="mail")
class SmsSettings(BaseGenericSetting):
    opt_out_replies = models.TextField(
        _("表示退订的回复"),
        default="\n".join(DEFAULT_OPT_OUT_REPLIES),
        help_text=_(
            "每行一个。订阅者回复的短信与其中任一行完全相同（不区分大小写、全角半角，"
            "忽略前后的空格和标点）即退订。TD 和“退订”始终有效，因为每条短信都这样告诉订阅者。"
        ),
    )

    panels = [FieldPanel("opt_out_replies")]

    class Meta:
        verbose_name = _("短信设置")
        verbose_name_plural = _("短信设置")
