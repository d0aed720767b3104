from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "website.api"
    label = "site_api"
    verbose_name = _("只读接口")
