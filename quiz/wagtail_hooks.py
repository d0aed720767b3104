"""The question bank as a snippet, and the 知识测试 admin menu: bank, import/export and
the statistics reports (each item shown only to users who may use it)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from quiz import admin_views as views
from quiz.models import Question


class QuestionFilterSet(WagtailFilterSet):
    class Meta:
        model = Question
        fields = ["kind", "difficulty", "hallmark", "active", "live", "audiences"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("题库")
    add_to_admin_menu = False
    # The status column says whether a question is public yet or has changes awaiting review.
    list_display = [
        "code",
        "stem",
        "kind",
        "difficulty",
        "hallmark",
        "active",
        LiveStatusTagColumn(),
    ]
    list_filter = None
    filterset_class = QuestionFilterSet
    # The model's own index (stem, scenario, code) answers searches: naming fields here makes
    # the SQLite backend query FTS columns that do not exist (a 500 once anything is indexed).
    ordering = ["code"]
    copy_view_enabled = True


register_snippet(QuestionViewSet)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    urls = [
        path("reports/", views.OverviewView.as_view(), name="overview"),
        path("reports/items/", views.ItemsView.as_view(), name="items"),
        path("reports/effect/", views.EffectView.as_view(), name="effect"),
        path("questions/import/", views.ImportView.as_view(), name="import"),
        path("questions/export/", views.ExportView.as_view(), name="export"),
    ]
    return [path("quiz/", include((urls, "quiz_reports"), namespace="quiz_reports"))]


class LazyUrlMenuItem(PermissionMenuItem):
    """A menu item whose URL is reversed when shown (URLconf is not ready at import)."""

    def __init__(self, label, url_name, **kwargs):
        self.url_name = url_name
        super().__init__(label, "", **kwargs)

    def render_component(self, request):
        self.url = reverse(self.url_name)
        return super().render_component(request)


quiz_menu = Menu(
    items=[
        LazyUrlMenuItem(
            _("题库"),
            "wagtailsnippets_quiz_question:list",
            permission="quiz.view_question",
            icon_name="help",
            order=100,
        ),
        LazyUrlMenuItem(
            _("导入题目"),
            "quiz_reports:import",
            permission="quiz.change_question",
            icon_name="upload",
            order=200,
        ),
        LazyUrlMenuItem(
            _("统计：参与与得分"),
            "quiz_reports:overview",
            permission=views.REPORT_PERMISSION,
            icon_name="table",
            order=300,
        ),
        LazyUrlMenuItem(
            _("统计：题目分析"),
            "quiz_reports:items",
            permission=views.REPORT_PERMISSION,
            icon_name="list-ul",
            order=400,
        ),
        LazyUrlMenuItem(
            _("统计：宣传效果"),
            "quiz_reports:effect",
            permission=views.REPORT_PERMISSION,
            icon_name="pick",
            order=500,
        ),
    ]
)


class QuizSubmenu(SubmenuMenuItem):
    def is_shown(self, request):
        return any(item.is_shown(request) for item in quiz_menu.initial_menu_items)


@hooks.register("register_admin_menu_item")
def register_quiz_menu():
    return QuizSubmenu(_("知识测试"), quiz_menu, icon_name="help", name="quiz", order=310)
