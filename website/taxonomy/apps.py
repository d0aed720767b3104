from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "website.taxonomy"
    label = "taxonomy"
    verbose_name = _("分类数据")
    default_auto_field = "django.db.models.BigAutoField"
