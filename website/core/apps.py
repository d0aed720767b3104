from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "website.core"
    label = "core"
    verbose_name = _("站点")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from website.core import signals  # noqa: F401
