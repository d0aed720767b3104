from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ShortLinksConfig(AppConfig):
    name = "website.shortlinks"
    label = "shortlinks"
    verbose_name = _("短链接")
    default_auto_field = "django.db.models.BigAutoField"
