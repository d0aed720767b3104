from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "website.search"
    label = "site_search"
    verbose_name = _("站内搜索")

    def ready(self):
        from website.search import signals  # noqa: F401 - connects the receivers
