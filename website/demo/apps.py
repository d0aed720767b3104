from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content and the one-command local site (``load_demo``, ``run_site``). It may
    import every app; nothing imports it."""

    name = "website.demo"
    label = "demo"
    verbose_name = _("演示内容")
