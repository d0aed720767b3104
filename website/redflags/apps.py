from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RedflagsConfig(AppConfig):
    name = "website.redflags"
    label = "redflags"
    verbose_name = _("风险信号检查")
    default_auto_field = "django.db.models.BigAutoField"
