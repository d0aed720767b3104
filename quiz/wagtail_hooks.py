"""The question bank as a snippet, and the 知识测试 admin menu: bank, import/export and
the statistics reports (each item shown only to users who may use it)."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from quiz import admin_views as views
from quiz.models import Question
from website.core.admin_menu import permission_submenu
from website.core.reports import Report


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
        # A tick or a cross, not the words True / False.
        BooleanColumn("active", label=Question._meta.get_field("active").verbose_name),
        LiveStatusTagColumn(),
    ]
    list_filter = None
    filterset_class = QuestionFilterSet
    # The model's own index (stem, scenario, code) answers searches: naming fields here makes
    # the SQLite backend query FTS columns that do not exist (a 500 once anything is indexed).
    ordering = ["code"]
    copy_view_enabled = True


register_snippet(QuestionViewSet)


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


@hooks.register("register_admin_menu_item")
def register_quiz_menu():
    return permission_submenu(
        _("知识测试"),
        "quiz",
        "help",
        310,
        [
            (
                _("题库"),
                "wagtailsnippets_quiz_question:list",
                "quiz.view_question",
                "quiz-bank",
                "help",
            ),
            (_("导入题目"), "quiz_reports:import", "quiz.change_question", "quiz-import", "upload"),
            (
                _("统计：参与与得分"),
                "quiz_reports:overview",
                views.REPORT_PERMISSION,
                "quiz-overview",
                "table",
            ),
            (
                _("统计：题目分析"),
                "quiz_reports:items",
                views.REPORT_PERMISSION,
                "quiz-items",
                "list-ul",
            ),
            (
                _("统计：宣传效果"),
                "quiz_reports:effect",
                views.REPORT_PERMISSION,
                "quiz-effect",
                "pick",
            ),
        ],
    )


@hooks.register("register_fangfei_reports")
def register_quiz_reports():
    group = _("知识测试")
    permission = views.REPORT_PERMISSION
    return [
        Report(
            _("参与与得分"),
            "quiz_reports:overview",
            permission,
            group,
            _("答题人次、平均分和达标率，按测试、人群和地区。"),
            ("XLSX", "CSV"),
            order=200,
        ),
        Report(
            _("题目分析"),
            "quiz_reports:items",
            permission,
            group,
            _("每道题的答对率和区分度，找出需要修改的题目。"),
            ("XLSX", "CSV"),
            order=210,
        ),
        Report(
            _("宣传效果"),
            "quiz_reports:effect",
            permission,
            group,
            _("宣传活动前后知识测试成绩的对比。"),
            ("XLSX", "CSV"),
            order=220,
        ),
    ]
