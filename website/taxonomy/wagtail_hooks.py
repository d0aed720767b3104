"""Audiences, regions and tags in the admin, grouped under one 分类数据 menu."""

import django_filters
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from website.taxonomy.models import Audience, Region
from website.taxonomy.widgets import RegionSelect


class AudienceViewSet(SnippetViewSet):
    model = Audience
    icon = "group"
    menu_label = _("重点人群")
    list_display = ["name", "entry_label", "slug", "sort_order"]
    search_fields = ["name"]


class RegionFilterSet(WagtailFilterSet):
    parent = django_filters.ModelChoiceFilter(
        label=_("上级"), queryset=Region.objects.all(), widget=RegionSelect
    )

    class Meta:
        model = Region
        fields = ["level", "parent"]


class RegionChooserViewSet(SnippetChooserViewSet):
    # Regions are chosen with the region picker (website.taxonomy.widgets), registered for
    # every ForeignKey to Region in TaxonomyConfig.ready; the snippet chooser must not
    # replace it.
    register_widget = False


class RegionViewSet(SnippetViewSet):
    model = Region
    chooser_viewset_class = RegionChooserViewSet
    icon = "site"
    menu_label = _("行政区划")
    list_display = ["name", "code", "level", "parent"]
    filterset_class = RegionFilterSet
    search_fields = ["name", "code"]
    ordering = ["path"]


class PretextTagViewSet(SnippetViewSet):
    """Pretexts and industries (幌子/手法) are plain taggit tags shared by all content."""

    model = Tag
    icon = "tag"
    menu_label = _("幌子与行业")
    panels = [FieldPanel("name")]
    list_display = ["name", "slug"]
    search_fields = ["name"]


class TaxonomyGroup(SnippetViewSetGroup):
    items = (AudienceViewSet, RegionViewSet, PretextTagViewSet)
    menu_icon = "tag"
    menu_label = _("分类数据")
    menu_name = "taxonomy"


register_snippet(TaxonomyGroup)
