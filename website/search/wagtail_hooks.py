"""设置 › 搜索同义词: the synonym dictionary as a Wagtail snippet.

Wagtail's snippet views check the model permissions (view/add/change/delete
``site_search.synonymgroup``), which migration 0002 grants to 审核员.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from website.search.models import SynonymGroup


class SynonymFilterSet(WagtailFilterSet):
    class Meta:
        model = SynonymGroup
        fields = ["one_way", "enabled"]


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("搜索同义词")
    menu_name = "search-synonyms"
    add_to_settings_menu = True
    # Ticks and crosses, not the words True / False.
    list_display = [
        "words",
        BooleanColumn("one_way", label=SynonymGroup._meta.get_field("one_way").verbose_name),
        BooleanColumn("enabled", label=SynonymGroup._meta.get_field("enabled").verbose_name),
        "note",
    ]
    filterset_class = SynonymFilterSet
    search_fields = ["words", "note"]
    search_backend_name = None  # a plain ORM lookup: the dictionary is small and unindexed


register_snippet(SynonymGroupViewSet)
