"""Staff views of 七进 outreach (Wagtail admin, menu 七进活动): events (list with filters,
create, edit), a month/week calendar, coverage targets and the yearly gap, per-campaign
reports with CSV/XLSX exports, and bulk import of planned events."""

import calendar as pycalendar
import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from campaigns.models import CampaignPage, CoverageTarget, OutreachChannel, OutreachEvent
from campaigns.outreach import planning as outreach
from campaigns.outreach.paper import campaign_quiz_figures
from website.core import tabular
from website.core.admin_views import StaffTemplateView, has_permissions, local_time
from website.core.params import clean_param
from website.core.reports import filing_for
from website.taxonomy.models import Region
from website.taxonomy.widgets import RegionSelect

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


# -- events: list, create, edit --------------------------------------------------------------
class EventFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=gettext_lazy("宣传活动"), queryset=CampaignPage.objects.all()
    )
    channel = django_filters.ModelChoiceFilter(
        label=gettext_lazy("渠道"), queryset=OutreachChannel.objects.all()
    )
    region = django_filters.ModelChoiceFilter(
        label=gettext_lazy("地区（含下级）"),
        queryset=Region.objects.all(),
        method="filter_region",
        widget=RegionSelect,
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("状态"), choices=OutreachEvent.Status.choices
    )
    start_date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("活动日期"),
        field_name="start_at",
        method="filter_dates",
        widget=DateRangePickerWidget,
    )
    record_missing = django_filters.BooleanFilter(
        label=gettext_lazy("已结束未填记录"), method="filter_missing"
    )

    class Meta:
        model = OutreachEvent
        fields = []

    def filter_region(self, queryset, name, value):
        return queryset.in_region(value) if value else queryset

    def filter_dates(self, queryset, name, value):
        if value and value.start:
            queryset = queryset.filter(start_at__date__gte=value.start)
        if value and value.stop:
            queryset = queryset.filter(start_at__date__lte=value.stop)
        return queryset

    def filter_missing(self, queryset, name, value):
        if value is True:
            return queryset.missing_record()
        if value is False:
            return queryset.exclude(pk__in=OutreachEvent.objects.missing_record().values("pk"))
        return queryset


class WarnOnSave:
    """After a save, show the event's warnings (outside campaign dates) beside the success."""

    def form_valid(self, form):
        response = super().form_valid(form)
        for warning in self.object.warnings():
            messages.warning(self.request, warning)
        return response


class EventCreateView(WarnOnSave, CreateView):
    pass


class EventEditView(WarnOnSave, EditView):
    @cached_property
    def header_more_buttons(self):
        from wagtail.admin.widgets import Button

        return [
            *super().header_more_buttons,
            Button(
                _("宣传品与扫码统计"),
                reverse("outreach_admin:materials", args=["event", self.object.pk]),
                icon_name="doc-full",
                priority=5,
            ),
        ]


class EventViewSet(ModelViewSet):
    model = OutreachEvent
    icon = "date"
    name = "outreach_events"
    url_prefix = "outreach/events"
    menu_label = gettext_lazy("七进活动")
    add_to_admin_menu = False
    filterset_class = EventFilterSet
    search_fields = ["title", "venue", "organiser"]
    search_backend_name = None
    add_view_class = EventCreateView
    edit_view_class = EventEditView
    list_display = [
        "title",
        Column(
            "start_at", label=gettext_lazy("开始时间"), accessor=lambda e: local_time(e.start_at)
        ),
        Column("channel", label=gettext_lazy("渠道")),
        Column("region", label=gettext_lazy("地区")),
        Column("status", label=gettext_lazy("状态"), accessor="get_status_display"),
        Column(
            "contact",
            label=gettext_lazy("联系人"),
            accessor=lambda e: f"{e.contact_person} {e.masked_phone}",
        ),
        Column(
            "record",
            label=gettext_lazy("活动记录"),
            accessor=lambda e: (
                _("已填写")
                if e.has_record
                else (_("缺记录") if e.end_at < timezone.now() and e.status != "cancelled" else "—")
            ),
        ),
    ]
    list_export = []
    ordering = ["-start_at"]

    def get_queryset(self, request):
        return OutreachEvent.objects.select_related("channel", "region")


class TargetViewSet(ModelViewSet):
    model = CoverageTarget
    icon = "tasks"
    name = "outreach_targets"
    url_prefix = "outreach/targets"
    add_to_admin_menu = False
    list_display = ["year", "region", "channel", "target_count", "note"]
    list_filter = ["year", "channel"]
    form_fields = ["year", "channel", "region", "target_count", "note"]


class ChannelViewSet(SnippetViewSet):
    model = OutreachChannel
    icon = "list-ul"
    add_to_admin_menu = False
    # A tick or a cross, not the words True / False.
    list_display = [
        "name",
        "slug",
        "sort_order",
        BooleanColumn("is_active", label=OutreachChannel._meta.get_field("is_active").verbose_name),
    ]


# -- pages of their own ------------------------------------------------------------------------
# Every page of the 七进活动 menu sits under it in the breadcrumbs, not directly under 首页.
OUTREACH_CRUMBS = WagtailAdminTemplateMixin.breadcrumbs_items + [
    {"url": reverse_lazy("outreach_events:index"), "label": gettext_lazy("七进活动")}
]


class OutreachView(StaffTemplateView):
    permission_required = "campaigns.view_outreachevent"
    header_icon = "date"
    breadcrumbs_items = OUTREACH_CRUMBS


def _region(params):
    code = clean_param(params.get("region", ""), 12)
    return Region.objects.filter(code=code).first() if code.isdigit() else None


def _channel(params):
    slug = clean_param(params.get("channel", ""), 40)
    return OutreachChannel.objects.filter(slug=slug).first() if slug else None


def _date(text):
    try:
        return datetime.date.fromisoformat(clean_param(text, 10))
    except ValueError:
        return None


class CalendarView(OutreachView):
    """Month or week grid of events, filtered by region (with descendants) and channel."""

    template_name = "campaigns/outreach/calendar.html"
    page_title = gettext_lazy("活动日历")

    def get_context_data(self, **kwargs):
        params = self.request.GET
        today = timezone.localdate()
        mode = "week" if params.get("view") == "week" else "month"
        anchor = _date(params.get("date", "")) or today
        anchor = max(datetime.date(2000, 1, 1), min(anchor, datetime.date(2100, 12, 31)))
        if mode == "month":
            first = anchor.replace(day=1)
            # Whole weeks, Monday first, from the week holding the 1st to the one holding the last.
            grid = pycalendar.Calendar().monthdatescalendar(first.year, first.month)
            prev_date = (first - datetime.timedelta(days=1)).replace(day=1)
            next_date = (first + datetime.timedelta(days=31)).replace(day=1)
            heading = _("%(y)s 年 %(m)s 月") % {"y": first.year, "m": first.month}
        else:
            monday = anchor - datetime.timedelta(days=anchor.weekday())
            grid = [[monday + datetime.timedelta(days=i) for i in range(7)]]
            prev_date = monday - datetime.timedelta(days=7)
            next_date = monday + datetime.timedelta(days=7)
            heading = _("%(start)s 至 %(end)s") % {"start": grid[0][0], "end": grid[0][-1]}
            first = anchor
        start, end = grid[0][0], grid[-1][-1]
        region, channel = _region(params), _channel(params)
        events = OutreachEvent.objects.select_related("channel", "region").filter(
            start_at__gte=timezone.make_aware(datetime.datetime.combine(start, datetime.time.min)),
            start_at__lt=timezone.make_aware(
                datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
            ),
        )
        if region:
            events = events.in_region(region)
        if channel:
            events = events.filter(channel=channel)
        by_day = {}
        for event in events.order_by("start_at"):
            by_day.setdefault(timezone.localtime(event.start_at).date(), []).append(event)
        weeks = [
            [
                {
                    "date": d,
                    "events": by_day.get(d, []),
                    "other_month": mode == "month" and d.month != first.month,
                    "today": d == today,
                }
                for d in week
            ]
            for week in grid
        ]
        query = {
            k: v
            for k, v in (
                ("region", region.code if region else ""),
                ("channel", channel.slug if channel else ""),
            )
            if v
        }
        picker = RegionSelect(
            attrs={"id": "id_region"},
            key="code",
            choices=[("", _("全辖区"))]
            + list(
                Region.objects.filter(level__lte=Region.Level.TOWNSHIP).values_list("code", "name")
            ),
        )
        region_picker = picker.render("region", region.code if region else "")
        return super().get_context_data(
            weeks=weeks,
            weekdays=WEEKDAYS,
            mode=mode,
            heading=heading,
            prev_date=prev_date.isoformat(),
            next_date=next_date.isoformat(),
            anchor=anchor.isoformat(),
            region_picker=region_picker,
            region_picker_media=picker.media,
            channels=OutreachChannel.objects.all(),
            region=region,
            channel=channel,
            query=query,
            **kwargs,
        )


class CoverageView(OutreachView):
    """The year's coverage plan: targets per channel × region and the gap."""

    template_name = "campaigns/outreach/coverage.html"
    page_title = gettext_lazy("覆盖计划")

    def get_context_data(self, **kwargs):
        year_text = clean_param(self.request.GET.get("year", ""), 4)
        year = (
            int(year_text)
            if year_text.isdigit() and 2000 <= int(year_text) <= 2100
            else timezone.localdate().year
        )
        cov = outreach.year_coverage(year)
        return super().get_context_data(
            cov=cov,
            year=year,
            years=range(year - 2, year + 2),
            chart=outreach.coverage_chart(cov),
            **kwargs,
        )


class CampaignReportView(OutreachView):
    template_name = "campaigns/outreach/report.html"
    page_title = gettext_lazy("宣传活动统计")
    breadcrumbs_items = OUTREACH_CRUMBS + [
        {"url": reverse_lazy("outreach_admin:reports"), "label": gettext_lazy("统计报送")}
    ]

    @cached_property
    def campaign(self):
        return get_object_or_404(CampaignPage, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return self.campaign.title

    def get_context_data(self, **kwargs):
        campaign = self.campaign
        cov = outreach.campaign_coverage(campaign)
        return super().get_context_data(
            campaign=campaign,
            cov=cov,
            chart=outreach.coverage_chart(cov),
            quiz_figures=campaign_quiz_figures(campaign),
            **kwargs,
        )


class ReportIndexView(OutreachView):
    template_name = "campaigns/outreach/report_index.html"
    page_title = gettext_lazy("统计报送")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            campaigns=CampaignPage.objects.order_by("-start_date"), **kwargs
        )


def export_report(request, pk, fmt):
    """The campaign's report as a form to send upward (XLSX, with the filing lines and an
    events sheet) or as CSV, named 2026年11月岳麓区防范非法集资宣传月统计报表.xlsx."""
    if not has_permissions(request.user, "campaigns.view_outreachevent"):
        raise PermissionDenied
    campaign = get_object_or_404(CampaignPage, pk=pk)
    cov = outreach.campaign_coverage(campaign)
    name = outreach.report_filename(campaign)
    fallback = outreach.report_ascii_filename(campaign)
    if fmt == "xlsx":
        data = outreach.export_xlsx(cov, campaign=campaign, filing=filing_for(request))
        return tabular.xlsx_response(data, name, fallback)
    return tabular.attach(
        HttpResponse(outreach.export_csv(cov), content_type=tabular.CSV_TYPE),
        name.removesuffix(".xlsx") + ".csv",
        fallback.removesuffix(".xlsx") + ".csv",
    )


class ImportForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=gettext_lazy("所属宣传活动"), queryset=CampaignPage.objects.all(), required=False
    )
    file = forms.FileField(label=gettext_lazy("文件（.csv 或 .xlsx）"))


class ImportView(OutreachView):
    permission_required = "campaigns.add_outreachevent"
    template_name = "campaigns/outreach/import.html"
    page_title = gettext_lazy("批量导入活动")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", ImportForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = ImportForm(request.POST, request.FILES)
        result = None
        table = (
            tabular.read_upload(form, required=outreach.REQUIRED_LABELS)
            if form.is_valid()
            else None
        )
        if table is not None:
            result = outreach.import_events(table, campaign=form.cleaned_data["campaign"])
            if result.ok:
                messages.success(request, _("已导入 %(n)s 场活动。") % {"n": len(result.created)})
            else:
                messages.error(request, _("文件有错误，没有导入任何活动。请改正后重新上传。"))
        return self.render_to_response(self.get_context_data(form=form, result=result))


def import_template(request, fmt):
    if not has_permissions(request.user, "campaigns.add_outreachevent"):
        raise PermissionDenied
    name = f"outreach-events-template.{fmt}"
    if fmt == "xlsx":
        return tabular.xlsx_response(outreach.template_xlsx(), name)
    return tabular.attach(
        HttpResponse(outreach.template_csv(), content_type=tabular.CSV_TYPE), name
    )


def event_edit_url(event):
    return reverse("outreach_events:edit", args=[event.pk])
