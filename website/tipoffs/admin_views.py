"""Staff views of tip-offs: the queue, one report's handling page, the reporter's identity
(its own permission, every view logged), evidence files, exports and statistics."""

import datetime
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from website.core import charts, tabular
from website.core.admin_views import StaffTemplateView, StaffView, has_permissions, local_time
from website.core.params import clean_param
from website.tipoffs import services
from website.tipoffs.models import Evidence, IdentityAccess, Note, Report

VIEW = "tipoffs.view_report"
CHANGE = "tipoffs.change_report"
IDENTITY = "tipoffs.view_reporter_identity"
EVIDENCE = "tipoffs.view_evidence"
REWARD = "tipoffs.view_reward"
PER_PAGE = 50


def audit(user, reports, action):
    """Record that ``user`` saw (or exported) the identity or evidence of ``reports``."""
    now = timezone.now()
    IdentityAccess.objects.bulk_create(
        IdentityAccess(
            report=r,
            reference=r.reference,
            user=user,
            username=user.get_username(),
            action=action,
            at=now,
        )
        for r in reports
    )


# -- forms --------------------------------------------------------------------------------------
class HandlingForm(forms.ModelForm):
    duplicate_reference = forms.CharField(
        label=gettext_lazy("重复于（填举报编号）"), required=False, max_length=40
    )

    class Meta:
        model = Report
        fields = ["status", "assignee", "department", "respond_by", "result"]
        widgets = {
            "respond_by": forms.DateInput(attrs={"type": "date"}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__permissions__codename="change_report"))
            .distinct()
        )
        self.fields["department"].queryset = self.fields["department"].queryset.filter(active=True)
        if self.instance.duplicate_of_id:
            self.fields["duplicate_reference"].initial = self.instance.duplicate_of.reference

    def clean_duplicate_reference(self):
        ref = services.normalise_code(self.cleaned_data["duplicate_reference"])
        if not ref:
            return None
        other = Report.objects.filter(reference=ref).exclude(pk=self.instance.pk).first()
        if other is None:
            raise forms.ValidationError(_("没有编号为 %(ref)s 的其他举报。") % {"ref": ref})
        return other

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == Report.Status.TRANSFERRED and not data.get("department"):
            self.add_error("department", _("移交时请选择移交部门。"))
        if status == Report.Status.CLOSED and not data.get("result"):
            self.add_error("result", _("办结时请填写办理结果。"))
        return data


class RewardForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["reward_eligible", "reward_amount", "reward_paid_on", "reward_note"]
        widgets = {
            "reward_eligible": forms.NullBooleanSelect,
            "reward_paid_on": forms.DateInput(attrs={"type": "date"}),
            "reward_note": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self):
        data = super().clean()
        first = first_report(self.instance)
        if data.get("reward_eligible") and first != self.instance:
            self.add_error(
                "reward_eligible",
                _("按首报原则，同一线索只奖励最早的举报（%(ref)s）。") % {"ref": first.reference},
            )
        if data.get("reward_paid_on") and not data.get("reward_amount"):
            self.add_error("reward_amount", _("登记发放日期前请填写奖励金额。"))
        return data


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


def first_report(report):
    """Return the earliest report about the same scheme (same firm name or credit code, or
    linked as a duplicate): the one a reward goes to under the first-report rule."""
    root = report
    while root.duplicate_of_id and root.duplicate_of_id != report.pk:
        root = root.duplicate_of
    group = [report, root, *services.duplicates_of(root, limit=200)]
    return min(group, key=lambda r: (r.created_at, r.pk))


# -- the queue ----------------------------------------------------------------------------------
class ReportsView(StaffTemplateView):
    permission_required = VIEW
    header_icon = "warning"


class QueueView(ReportsView):
    template_name = "tipoffs/admin/queue.html"
    page_title = gettext_lazy("举报受理")

    def get_context_data(self, **kwargs):
        params = self.request.GET
        reports = Report.objects.select_related("assignee", "department", "region")
        status = clean_param(params.get("status", ""), 12)
        if status in Report.Status.values:
            reports = reports.filter(status=status)
        elif status != "all":
            reports = reports.exclude(status=Report.Status.CLOSED)
        if params.get("overdue") == "1":
            reports = reports.filter(pk__in=services.overdue().values("pk"))
        if params.get("mine") == "1":
            reports = reports.filter(assignee=self.request.user)
        q = clean_param(params.get("q", ""), 60)
        if q:
            reports = reports.filter(
                Q(reference__icontains=q) | Q(firm_name__icontains=q) | Q(credit_code=q.upper())
            )
        page = Paginator(reports.order_by("-created_at"), PER_PAGE).get_page(params.get("p"))
        return super().get_context_data(
            page_obj=page,
            statuses=Report.Status.choices,
            status=status,
            q=q,
            overdue_count=services.overdue().count(),
            today=timezone.localdate(),
            can_export=has_permissions(self.request.user, VIEW),
            can_identity=has_permissions(self.request.user, IDENTITY),
            **kwargs,
        )


class DetailView(ReportsView):
    template_name = "tipoffs/admin/detail.html"

    def get_page_title(self):
        return _("举报 %(ref)s") % {"ref": self.report.reference}

    def dispatch(self, request, *args, **kwargs):
        self.report = get_object_or_404(
            Report.objects.select_related("region", "pretext", "about_page", "duplicate_of"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        queue = {"url": reverse("tipoffs_admin:queue"), "label": _("举报受理")}
        return [{"url": reverse("wagtailadmin_home"), "label": _("首页")}, queue] + [
            {"url": "", "label": self.get_page_title()}
        ]

    breadcrumbs_items = []

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        user = self.request.user
        report = self.report
        can_change = has_permissions(user, CHANGE)
        can_reward = has_permissions(user, REWARD)
        kwargs.setdefault("handling_form", HandlingForm(instance=report) if can_change else None)
        kwargs.setdefault(
            "reward_form", RewardForm(instance=report) if can_reward and can_change else None
        )
        kwargs.setdefault(
            "note_form", NoteForm() if has_permissions(user, "tipoffs.add_note") else None
        )
        return super().get_context_data(
            report=report,
            evidence=report.evidence.all(),
            notes=report.notes.select_related("author"),
            history=report.status_changes.select_related("changed_by"),
            duplicates=services.duplicates_of(report),
            can_identity=has_permissions(user, IDENTITY),
            can_evidence=has_permissions(user, EVIDENCE),
            can_reward=can_reward,
            first=first_report(report) if can_reward else None,
            overdue=report.first_response_at is None
            and report.respond_by
            and report.respond_by < timezone.localdate(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        report = self.report
        if action == "note" and has_permissions(request.user, "tipoffs.add_note"):
            form = NoteForm(request.POST)
            if form.is_valid():
                Note.objects.create(
                    report=report, author=request.user, body=form.cleaned_data["body"]
                )
                if report.first_response_at is None:
                    Report.objects.filter(pk=report.pk).update(first_response_at=timezone.now())
                messages.success(request, _("备注已添加。"))
                return redirect("tipoffs_admin:detail", pk=report.pk)
            return self.render_to_response(self.get_context_data(note_form=form), status=400)
        if action == "handle" and has_permissions(request.user, CHANGE):
            old_status = report.status
            form = HandlingForm(request.POST, instance=report)
            if form.is_valid():
                new_status = form.cleaned_data["status"]
                report = form.save(commit=False)
                report.status = old_status  # changed below, through the one path that texts
                report.duplicate_of = form.cleaned_data["duplicate_reference"]
                report.save()
                services.change_status(report, new_status, by=request.user)
                messages.success(request, _("办理信息已保存。"))
                return redirect("tipoffs_admin:detail", pk=report.pk)
            return self.render_to_response(self.get_context_data(handling_form=form), status=400)
        if action == "duplicate" and has_permissions(request.user, CHANGE):
            other_id = clean_param(request.POST.get("other", ""), 12)
            other = (
                Report.objects.exclude(pk=report.pk).filter(pk=int(other_id)).first()
                if other_id.isdigit()
                else None
            )
            if other is not None:
                Report.objects.filter(pk=report.pk).update(duplicate_of=other)
                messages.success(
                    request, _("已标记为 %(ref)s 的重复举报。") % {"ref": other.reference}
                )
            return redirect("tipoffs_admin:detail", pk=report.pk)
        if action == "reward" and has_permissions(request.user, (CHANGE, REWARD)):
            form = RewardForm(request.POST, instance=report)
            if form.is_valid():
                report = form.save(commit=False)
                report.reward_first_report = first_report(report) == report
                report.save()
                messages.success(request, _("奖励信息已保存。"))
                return redirect("tipoffs_admin:detail", pk=report.pk)
            return self.render_to_response(self.get_context_data(reward_form=form), status=400)
        raise PermissionDenied


class IdentityView(ReportsView):
    """The reporter's identity: its own permission, and every view logged."""

    permission_required = (VIEW, IDENTITY)
    template_name = "tipoffs/admin/identity.html"
    page_title = gettext_lazy("举报人信息")

    def get_context_data(self, **kwargs):
        report = get_object_or_404(Report, pk=self.kwargs["pk"])
        audit(self.request.user, [report], IdentityAccess.Action.VIEW)
        return super().get_context_data(
            report=report,
            identity=services.identity_of(report),
            accesses=report.identity_accesses.all()[:20],
            **kwargs,
        )


class AuditView(ReportsView):
    permission_required = (VIEW, "tipoffs.view_identityaccess")
    template_name = "tipoffs/admin/audit.html"
    page_title = gettext_lazy("举报人信息访问记录")

    def get_context_data(self, **kwargs):
        page = Paginator(IdentityAccess.objects.all(), 100).get_page(self.request.GET.get("p"))
        return super().get_context_data(page_obj=page, **kwargs)


class EvidenceFileView(StaffView):
    """Serve one evidence file to staff allowed to see evidence (logged like identity)."""

    permission_required = (VIEW, EVIDENCE)

    def get(self, request, pk):
        item = get_object_or_404(Evidence.objects.select_related("report"), pk=pk)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        audit(request.user, [item.report], IdentityAccess.Action.EVIDENCE)
        inline = item.kind == Evidence.Kind.IMAGE
        response = FileResponse(
            handle,
            content_type=item.mime,
            as_attachment=not inline,
            filename=f"{item.report.reference}-{item.pk}.{item.file.name.rsplit('.', 1)[-1]}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
        response["Cache-Control"] = "private, no-store"
        return response


# -- export and statistics -----------------------------------------------------------------------
def export_rows(reports, with_identity):
    """Yield the export's header and one row per report; identity columns only when asked."""
    header = [
        _("举报编号"),
        _("提交时间"),
        _("办理状态"),
        _("名称"),
        _("统一社会信用代码"),
        _("幌子"),
        _("接触渠道"),
        _("发生地区"),
        _("涉及金额(元)"),
        _("涉及人数"),
        _("移交部门"),
        _("办理结果"),
        _("匿名"),
    ]
    if with_identity:
        header += [_("举报人姓名"), _("手机号码"), _("其他联系方式")]
    yield header
    for r in reports:
        row = [
            r.reference,
            local_time(r.created_at),
            r.get_status_display(),
            r.firm_name,
            r.credit_code,
            r.pretext.name if r.pretext_id else "",
            r.get_channel_display(),
            r.region.full_name if r.region_id else "",
            float(r.amount_yuan) if r.amount_yuan is not None else "",
            r.people_count if r.people_count is not None else "",
            r.department.name if r.department_id else "",
            r.result,
            _("是") if r.anonymous else _("否"),
        ]
        if with_identity:
            identity = services.identity_of(r)
            row += [
                identity.get("name", ""),
                identity.get("phone", ""),
                identity.get("contact", ""),
            ]
        yield row


class ExportView(StaffView):
    """XLSX of reports. Identity columns only for holders of the identity permission who ask
    for them (``identity=1``), and then every exported report is logged."""

    permission_required = VIEW

    def get(self, request):
        reports = list(
            Report.objects.select_related("pretext", "region", "department").order_by("created_at")
        )
        with_identity = request.GET.get("identity") == "1" and has_permissions(
            request.user, IDENTITY
        )
        if with_identity:
            audit(request.user, reports, IdentityAccess.Action.EXPORT)
        stamp = timezone.localdate().strftime("%Y%m%d")
        return tabular.xlsx_response(
            [(_("举报"), export_rows(reports, with_identity))], f"tipoffs-{stamp}.xlsx"
        )


def statistics(months=12, today=None):
    """Return the staff statistics: counts by pretext, region, channel and month."""
    today = today or timezone.localdate()
    reports = Report.objects.all()
    by_pretext = list(
        reports.values("pretext__name").annotate(n=Count("pk")).order_by("-n", "pretext__name")
    )
    by_channel = Counter(dict(reports.values_list("channel").annotate(n=Count("pk"))))
    by_region = list(
        reports.values("region__name").annotate(n=Count("pk")).order_by("-n", "region__name")
    )
    start = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    counted = {
        timezone.localtime(row["m"]).date()
        if isinstance(row["m"], datetime.datetime)
        else row["m"]: row["n"]
        for row in reports.filter(created_at__date__gte=start)
        .annotate(m=TruncMonth("created_at"))
        .values("m")
        .annotate(n=Count("pk"))
    }
    month_rows, cursor = [], start
    while cursor <= today:
        month_rows.append((cursor.strftime("%Y-%m"), counted.get(cursor, 0)))
        cursor = (cursor + datetime.timedelta(days=32)).replace(day=1)
    channel_names = dict(Report.Channel.choices)
    return {
        "pretext": [(r["pretext__name"] or _("未选择"), r["n"]) for r in by_pretext],
        "region": [(r["region__name"] or _("未选择"), r["n"]) for r in by_region],
        "channel": [(str(channel_names.get(k, k)), n) for k, n in by_channel.most_common()],
        "month": month_rows,
    }


class StatsView(ReportsView):
    template_name = "tipoffs/admin/stats.html"
    page_title = gettext_lazy("举报统计")

    def get_context_data(self, **kwargs):
        stats = statistics()
        titles = {
            "pretext": _("按幌子"),
            "region": _("按地区"),
            "channel": _("按接触渠道"),
        }
        sections = [
            {
                "title": titles[key],
                "rows": stats[key],
                "chart": charts.row_chart(
                    [(label, n, None, None) for label, n in stats[key]], titles[key]
                ),
            }
            for key in ("pretext", "region", "channel")
        ]
        month_chart = charts.column_chart(stats["month"], _("按月份"))
        return super().get_context_data(
            sections=sections, months=stats["month"], month_chart=month_chart, **kwargs
        )


class StatsExportView(StaffView):
    permission_required = VIEW

    def get(self, request):
        stats = statistics()
        sheets = [
            (_("按幌子"), [[_("幌子"), _("举报数")], *stats["pretext"]]),
            (_("按地区"), [[_("地区"), _("举报数")], *stats["region"]]),
            (_("按接触渠道"), [[_("渠道"), _("举报数")], *stats["channel"]]),
            (_("按月份"), [[_("月份"), _("举报数")], *stats["month"]]),
        ]
        stamp = timezone.localdate().strftime("%Y%m%d")
        return tabular.xlsx_response(sheets, f"tipoff-stats-{stamp}.xlsx")
