from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "website.pages"
    label = "pages"
    verbose_name = _("页面")
    default_auto_field = "django.db.models.BigAutoField"
