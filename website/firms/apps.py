from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FirmsConfig(AppConfig):
    name = "website.firms"
    label = "firms"
    verbose_name = _("警示名单与持牌机构")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from website.firms import signals  # noqa: F401
