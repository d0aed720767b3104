"""The rules and methods as snippets (rules under review), the try-out page, and the 风险信号
admin menu."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from website.core.admin_menu import permission_submenu
from website.redflags import admin_views
from website.redflags.models import Method, Rule


class RuleFilterSet(WagtailFilterSet):
    class Meta:
        model = Rule
        fields = ["feature", "method", "live"]


class RuleViewSet(SnippetViewSet):
    model = Rule
    icon = "warning"
    menu_label = _("规则")
    add_to_admin_menu = False
    list_display = ["name", "key", "feature", "method", "tag", LiveStatusTagColumn()]
    list_filter = None
    filterset_class = RuleFilterSet
    ordering = ["feature", "key"]
    copy_view_enabled = True


class MethodViewSet(SnippetViewSet):
    model = Method
    icon = "list-ul"
    menu_label = _("常见手法")
    add_to_admin_menu = False
    list_display = ["name", "sort_order"]
    ordering = ["sort_order", "name"]


register_snippet(RuleViewSet)
register_snippet(MethodViewSet)


@hooks.register("register_admin_urls")
def register_redflags_admin_urls():
    urls = [path("try/", admin_views.TryRulesView.as_view(), name="try")]
    return [path("redflags/", include((urls, "redflags_admin"), namespace="redflags_admin"))]


@hooks.register("register_admin_menu_item")
def register_redflags_menu():
    return permission_submenu(
        _("风险信号"),
        "redflags",
        "warning",
        320,
        [
            (
                _("规则"),
                "wagtailsnippets_redflags_rule:list",
                "redflags.view_rule",
                "rf-rules",
                "warning",
            ),
            (
                _("常见手法"),
                "wagtailsnippets_redflags_method:list",
                "redflags.view_method",
                "rf-methods",
                "list-ul",
            ),
            (_("试用规则"), "redflags_admin:try", "redflags.change_rule", "rf-try", "search"),
        ],
    )
