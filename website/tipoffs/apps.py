from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipoffsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "website.tipoffs"
    label = "tipoffs"
    verbose_name = _("举报")
