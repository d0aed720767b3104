"""Admin views: the statistics reports and the question bank's import/export.

Registered under /admin/quiz/ by ``wagtail_hooks``; Wagtail's admin wrapper turns away
anyone without admin access, and each view checks its own permission on top.
"""

import datetime
import hashlib
import json

from django import forms
from django.apps import apps
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quiz import exchange, reports, stats
from quiz.forms import SafeModelChoiceField, SafeModelMultipleChoiceField
from quiz.leaderboard import anomalies as leaderboard_anomalies
from quiz.models import PaperTally, QuizPage
from website.core import tabular
from website.core.admin_views import StaffTemplateView, local_time
from website.core.params import clean_param
from website.taxonomy.models import Audience, Region

REPORT_PERMISSION = "quiz.view_quiz_reports"
# The ranked list shows this many questions until staff ask for all of them.
FLAGS_SHOWN = 5
DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


class ReportFilterForm(forms.Form):
    quiz = SafeModelChoiceField(
        label=_("测试"), queryset=QuizPage.objects.all(), required=False, empty_label=_("全部测试")
    )
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DATE_WIDGET)
    min_count = forms.IntegerField(
        label=_("最少人次"),
        min_value=1,
        max_value=10000,
        required=False,
        initial=stats.DEFAULT_MIN_COUNT,
        help_text=_("人次少于这个数的格子不显示。"),
    )

    def values(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "quiz": data.get("quiz"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "min_count": max(data.get("min_count") or stats.DEFAULT_MIN_COUNT, 1),
        }


class ItemFilterForm(ReportFilterForm):
    quiz = SafeModelChoiceField(
        label=_("测试"), queryset=QuizPage.objects.all(), required=False, empty_label=None
    )


class EffectForm(forms.Form):
    start = forms.DateField(label=_("宣传开始日期"), widget=DATE_WIDGET)
    end = forms.DateField(label=_("宣传结束日期（或“之后”的截止日期）"), widget=DATE_WIDGET)
    baseline_from = forms.DateField(
        label=_("宣传前从哪天算起"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("留空则取宣传开始前同样长的一段时间。"),
    )
    audiences = SafeModelMultipleChoiceField(
        label=_("目标人群"),
        queryset=Audience.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("不选表示所有人群。"),
    )
    regions = SafeModelMultipleChoiceField(
        label=_("目标地区（含下级）"),
        queryset=Region.objects.filter(level__lte=Region.Level.TOWNSHIP),
        required=False,
        help_text=_("不选表示全辖区。"),
    )
    quiz = SafeModelChoiceField(
        label=_("测试"), queryset=QuizPage.objects.all(), required=False, empty_label=_("全部测试")
    )
    min_count = forms.IntegerField(
        label=_("每组最少人次"), min_value=1, max_value=10000, initial=stats.DEFAULT_MIN_COUNT
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        base = cleaned.get("baseline_from")
        if base and start and base >= start:
            raise forms.ValidationError(_("“宣传前”必须早于宣传开始日期。"))
        return cleaned


class QuizAdminView(StaffTemplateView):
    """Base: permission check, Wagtail admin chrome, CSV/XLSX export via ?export=."""

    permission_required = REPORT_PERMISSION
    header_icon = "table"
    export_name = "quiz"

    def get_context_data(self, **kwargs):
        return super().get_context_data(nav=report_nav(self.request), **kwargs)

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        fmt = request.GET.get("export")
        if fmt in ("csv", "xlsx") and context.get("tables"):
            return reports.export_response(context["tables"], fmt, self.export_name)
        return self.render_to_response(context)


def report_nav(request):
    return [
        (reverse("quiz_reports:overview"), _("参与与得分")),
        (reverse("quiz_reports:items"), _("题目分析")),
        (reverse("quiz_reports:effect"), _("宣传效果")),
    ]


class OverviewView(QuizAdminView):
    template_name = "quiz/admin/report.html"
    page_title = _("知识测试：参与与得分")
    export_name = "quiz-participation"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ReportFilterForm(self.request.GET or None)
        values = form.values()
        attempts = stats.completed_attempts(values["quiz"], values["date_from"], values["date_to"])
        context.update(
            form=form,
            tables=reports.overview_tables(attempts, values["min_count"])
            + [
                reports.cell_table(
                    "source",
                    _("按来源（网上 / 纸质）"),
                    stats.by_source(attempts, values["min_count"]),
                    _("来源"),
                )
            ],
            anomalies=leaderboard_anomalies(values["quiz"]),
            how_to_read=[
                _("达标率：得分达到测试分数线的人次占比，可以看作群众对非法集资的认知率。"),
                _(
                    "图中横线是 95% 区间：真实的达标率大概率落在这个范围里。两组的横线互相重叠"
                    "时，不能说哪组更好；人次越多，横线越短。"
                ),
                _("地区数字包含其下级地区。人次太少的格子显示“—”，以免推断出个人情况。"),
            ],
        )
        return context


class ItemsView(QuizAdminView):
    template_name = "quiz/admin/report.html"
    page_title = _("知识测试：题目分析")
    export_name = "quiz-items"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET.copy() if self.request.GET else None
        form = ItemFilterForm(data)
        values = form.values()
        quiz = values["quiz"] or QuizPage.objects.order_by("path").first()
        tables = []
        if quiz is not None:
            attempts = stats.completed_attempts(quiz, values["date_from"], values["date_to"])
            # Paper totals per question count in the facility and choice shares (not alpha).
            tallies = PaperTally.objects.filter(paper__quiz=quiz)
            if values["date_from"]:
                tallies = tallies.filter(entered_at__gte=stats.local_day_start(values["date_from"]))
            if values["date_to"]:
                tallies = tallies.filter(
                    entered_at__lt=stats.local_day_start(
                        values["date_to"] + datetime.timedelta(days=1)
                    )
                )
            items = stats.item_statistics(attempts, tallies)
            alpha = stats.cronbach_alpha(attempts, items)
            tables = reports.item_tables(items, alpha, attempts.count())
        show_all = self.request.GET.get("flags") == "all"
        fix = next((t for t in tables if t.key == "fix"), None)
        shown = [] if fix is None else (fix.items if show_all else fix.items[:FLAGS_SHOWN])
        query = self.request.GET.copy()
        query.pop("flags", None)
        context.update(
            form=form,
            tables=tables,
            quiz=quiz,
            fixes=[
                (n, item, advice, reports.choice_chart(item))
                for n, (item, advice) in enumerate(shown, start=1)
            ],
            fixes_hidden=0 if fix is None else len(fix.items) - len(shown),
            showing_all=show_all and fix is not None and len(fix.items) > FLAGS_SHOWN,
            query=query.urlencode(),
            how_to_read=[
                _("先看“整套题”的 α 和评价：它说明总分是否可信。"),
                _(
                    "再看“值得修改的题目”：只列出最值得先改的几道，按修改的收益排好了顺序，"
                    "每道题附有选项分布，看看大家都选了什么。"
                ),
                _(
                    "答对率（难度）：答对这题的人占多少。80% 以上算容易，低于 20% 算太难；"
                    "宣传用的测试里有几道容易题没有关系。"
                ),
                _(
                    "区分度：懂得多的人是否更常答对这题，−1 到 1。0.3 以上好；0.2 以下分不出"
                    "懂与不懂；为负说明懂的人反而答错，多半是答案设错或题意含糊。"
                ),
            ],
        )
        return context


def _campaigns():
    return apps.get_model("campaigns", "CampaignPage").objects.live()


def latest_campaign():
    """Return the campaign page that began most recently (today or earlier), or None."""
    return (
        _campaigns()
        .filter(start_date__lte=timezone.localdate())
        .order_by("-start_date", "-pk")
        .first()
    )


def recent_campaigns(limit=20):
    """Return the newest campaigns (those begun first) for the picker."""
    return list(
        _campaigns()
        .filter(start_date__lte=timezone.localdate())
        .order_by("-start_date", "-pk")[:limit]
    )


def campaign_for(raw):
    try:
        pk = int(clean_param(raw, 12))
    except ValueError:
        return None
    return apps.get_model("campaigns", "CampaignPage").objects.filter(pk=pk).first()


def campaign_defaults(raw):
    """Return effect-form data for the campaign page with id ``raw``: its dates, target
    audiences and regions (each a list of strings, as in a query string), or {}."""
    try:
        pk = int(clean_param(raw, 12))
    except ValueError:
        return {}
    campaign = apps.get_model("campaigns", "CampaignPage").objects.filter(pk=pk).first()
    if campaign is None:
        return {}
    return {
        "start": [campaign.start_date.isoformat()],
        "end": [campaign.end_date.isoformat()],
        "audiences": [str(pk) for pk in campaign.audiences.values_list("pk", flat=True)],
        "regions": [str(pk) for pk in campaign.regions.values_list("pk", flat=True)],
        "min_count": [str(stats.DEFAULT_MIN_COUNT)],
    }


class EffectView(QuizAdminView):
    template_name = "quiz/admin/report.html"
    page_title = _("知识测试：宣传效果")
    export_name = "quiz-campaign-effect"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        params = self.request.GET.copy()
        chosen = params.pop("campaign", [""])[-1]
        if not params and not chosen:
            # A first visit shows the newest campaign that has begun, so the page opens on
            # an answer rather than an empty form.
            latest = latest_campaign()
            chosen = str(latest.pk) if latest else ""
        campaign = campaign_for(chosen)
        for name, value in campaign_defaults(chosen).items():
            if name not in params:
                params.setlist(name, value)
        form = EffectForm(
            params or None,
            initial={
                "start": today - datetime.timedelta(days=30),
                "end": today,
                "min_count": stats.DEFAULT_MIN_COUNT,
            },
        )
        tables = []
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            effect = stats.campaign_effect(
                data["start"],
                data["end"],
                audiences=list(data["audiences"]),
                regions=list(data["regions"]),
                quiz=data["quiz"],
                baseline_from=data["baseline_from"],
                min_count=data["min_count"],
            )
            tables = [reports.effect_table(effect)]
            context["effect"] = effect
        context.update(
            form=form,
            tables=tables,
            campaign=campaign,
            campaigns=recent_campaigns(),
            how_to_read=[
                _(
                    "这一页回答：宣传之后，目标人群的认知率（测试达标率）是否比宣传前高。"
                    "选一场宣传活动，日期、人群和地区会自动填好。"
                ),
                _(
                    "“变化”是宣传期间减去宣传前的达标率；95% 区间整个在 0 的右边才算“有可测提升”，"
                    "区间跨过 0 则是“无可测变化”（差别可能只是偶然）。"
                ),
                _(
                    "对照人群是不在目标人群或目标地区的答题人：他们没变而目标人群提升了，"
                    "才更像是宣传的效果，而不是同期的普遍变化。"
                ),
            ],
        )
        return context


# ---------------------------------------------------------------------------------------
# Question bank import / export
# ---------------------------------------------------------------------------------------


IMPORT_SESSION_KEY = "quiz_import_preview"


def _digest(stored):
    return hashlib.sha256(json.dumps(stored, ensure_ascii=False).encode()).hexdigest()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("题库文件（.csv 或 .xlsx）"))


class ImportView(QuizAdminView):
    permission_required = ("quiz.add_question", "quiz.change_question")
    template_name = "quiz/admin/import.html"
    page_title = _("导入题目")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ImportForm())
        context["columns"] = exchange.COLUMNS
        return context

    def post(self, request, *args, **kwargs):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = ImportForm(request.POST, request.FILES)
        context = {"form": form}
        table = (
            tabular.read_upload(form, required=exchange.BASE_COLUMNS) if form.is_valid() else None
        )
        if table is not None:
            preview = exchange.preview_table(table)
            if preview.errors:
                context["errors"] = preview.errors
            elif preview.changes_existing:
                # Nothing is overwritten before the editor has seen what changes: the file
                # waits in the session, bound to this preview by its digest.
                stored = {"header": table.header, "rows": table.rows}
                token = _digest(stored)
                request.session[IMPORT_SESSION_KEY] = {**stored, "token": token}
                counts = {k: preview.count(k) for k in ("new", "changed", "unchanged")}
                context.update(preview=preview, token=token, counts=counts)
                return self.render_to_response(self.get_context_data(**context))
            else:
                return self.run_import(request, table, context)
        return self.render_to_response(self.get_context_data(**context), status=400)

    def confirm(self, request):
        # The session is the server's own: the token only ties the confirmation to the
        # preview last shown (another tab may have previewed another file since).
        stored = request.session.get(IMPORT_SESSION_KEY) or {}
        token = stored.get("token")
        if not token or token != request.POST.get("confirm"):
            messages.error(request, _("导入预览已过期，请重新上传文件。"))
            return HttpResponseRedirect(reverse("quiz_reports:import"))
        del request.session[IMPORT_SESSION_KEY]
        table = tabular.Table(header=stored["header"], rows=stored["rows"])
        return self.run_import(request, table, {"form": ImportForm()})

    def run_import(self, request, table, context):
        if table is not None:
            # Only those who may publish questions skip review, as in the editor.
            publish = request.user.has_perm("quiz.publish_question")
            result = exchange.import_table(table, user=request.user, publish=publish)
            if result.ok:
                done = _("导入完成：新增 %(c)d 道题，更新 %(u)d 道题。") % {
                    "c": result.created,
                    "u": result.updated,
                }
                if not publish:
                    done += _("题目已存为草稿，提交审核并经审核员通过后才会出现在测试中。")
                messages.success(request, done)
                return HttpResponseRedirect(reverse("wagtailsnippets_quiz_question:list"))
            context["errors"] = result.errors
        return self.render_to_response(self.get_context_data(**context), status=400)


class ExportView(QuizAdminView):
    permission_required = "quiz.view_question"

    def get(self, request, *args, **kwargs):
        name = f"quiz-questions-{local_time(timezone.now(), '%Y%m%d')}"
        if request.GET.get("format") == "xlsx":
            return tabular.xlsx_response(exchange.export_xlsx(), f"{name}.xlsx")
        return tabular.attach(
            HttpResponse(exchange.export_csv(), content_type=tabular.CSV_TYPE), f"{name}.csv"
        )
