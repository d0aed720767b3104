from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LeadsConfig(AppConfig):
    name = "website.leads"
    label = "leads"
    verbose_name = _("风险线索与排查")
    default_auto_field = "django.db.models.BigAutoField"
