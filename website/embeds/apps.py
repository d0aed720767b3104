from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmbedsConfig(AppConfig):
    name = "website.embeds"
    label = "embeds"
    verbose_name = _("嵌入与合作媒体")
