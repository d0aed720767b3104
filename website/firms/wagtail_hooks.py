"""The lists in the admin: entities as snippets under review, their kinds, the import, and the
名单 menu (each item shown only to those who may use it)."""

import django_filters
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from website.core.admin_menu import permission_submenu
from website.firms import admin_views
from website.firms.models import Entity, EntityKind
from website.taxonomy.models import Region
from website.taxonomy.widgets import RegionSelect


class EntityFilterSet(WagtailFilterSet):
    region = django_filters.ModelChoiceFilter(
        label=_("地区"), queryset=Region.objects.all(), widget=RegionSelect
    )

    class Meta:
        model = Entity
        fields = ["kind", "status", "live", "region"]


class EntityViewSet(SnippetViewSet):
    model = Entity
    icon = "warning"
    menu_label = _("名单机构")
    add_to_admin_menu = False
    list_display = ["name", "kind", "credit_code", "status", "source_date", LiveStatusTagColumn()]
    list_filter = None
    filterset_class = EntityFilterSet
    # Searched in the database (icontains), not through the site's search index: 100,000
    # entities need no second copy there, and the lookup has its own index.
    search_fields = ["name", "former_names", "aliases", "credit_code"]
    search_backend_name = None
    ordering = ["name"]
    copy_view_enabled = False


class EntityKindViewSet(SnippetViewSet):
    model = EntityKind
    icon = "list-ul"
    menu_label = _("名单类别")
    add_to_admin_menu = False
    list_display = ["name", "role", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(EntityViewSet)
register_snippet(EntityKindViewSet)


@hooks.register("register_admin_urls")
def register_firms_admin_urls():
    urls = [
        path("import/", admin_views.ImportView.as_view(), name="import"),
        path("import/template/", admin_views.TemplateDownloadView.as_view(), name="template"),
    ]
    return [path("firms/", include((urls, "firms_admin"), namespace="firms_admin"))]


@hooks.register("register_admin_menu_item")
def register_firms_menu():
    return permission_submenu(
        _("警示名单"),
        "firms",
        "warning",
        320,
        [
            (
                _("名单机构"),
                "wagtailsnippets_firms_entity:list",
                "firms.view_entity",
                "firms-entities",
                "warning",
            ),
            (
                _("导入名单"),
                "firms_admin:import",
                admin_views.IMPORT_PERMISSION,
                "firms-import",
                "upload",
            ),
            (
                _("名单类别"),
                "wagtailsnippets_firms_entitykind:list",
                "firms.change_entitykind",
                "firms-kinds",
                "list-ul",
            ),
        ],
    )
