from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedsConfig(AppConfig):
    name = "website.feeds"
    label = "feeds"
    verbose_name = _("订阅源")
