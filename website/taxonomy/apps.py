from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "website.taxonomy"
    label = "taxonomy"
    verbose_name = _("分类数据")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import models
        from wagtail.admin.forms.models import register_form_field_override

        from website.taxonomy.models import Region
        from website.taxonomy.widgets import RegionSelect

        # One picker wherever an admin form chooses a region (pages, snippets, model views).
        register_form_field_override(
            models.ForeignKey, to=Region, override={"widget": RegionSelect}
        )
