"""Staff views of the risk-lead ledger (menu 风险线索): leads (list, create, edit), the
统计表 export, the monthly screening filings, who has not filed, and the region contacts."""

import datetime

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from website.core import tabular
from website.core.admin_views import PermissionRequiredMixin, StaffTemplateView, local_time
from website.core.params import clean_param
from website.leads import from_report, ledger_form, screening
from website.leads.models import (
    OUTCOME_SUGGESTIONS,
    Lead,
    LeadSettings,
    RegionContact,
    ScreeningFiling,
    current_period,
    month_label,
    month_start,
)
from website.taxonomy.models import Region
from website.taxonomy.widgets import RegionSelect

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 1)


class MonthInput(forms.DateInput):
    """A month picker (``<input type="month">``; a text box where the browser has none)."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class MonthField(forms.DateField):
    """A month, typed as 2026-11 (or any day of it); cleaned to the month's first day."""

    widget = MonthInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", MONTH_FORMATS)
        kwargs.setdefault(
            "error_messages", {"invalid": gettext_lazy("请按“2026-11”的格式填写月份。")}
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        if day is None:
            return None
        if not EARLIEST <= day <= LATEST:
            raise forms.ValidationError(_("月份超出范围。"), code="invalid")
        return month_start(day)


class DatalistInput(forms.TextInput):
    """A text box that suggests ``options`` (an HTML datalist) but takes any text."""

    def __init__(self, options, attrs=None):
        super().__init__(attrs)
        self.options = options

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_list"
        attrs["list"] = list_id
        box = super().render(name, value, attrs, renderer)
        options = format_html_join("", '<option value="{}">', ((str(o),) for o in self.options))
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


def may_file_any(user):
    return user.has_perm("leads.file_any_region")


def filing_regions(user):
    """Return the regions ``user`` may file the screening for: every region of the
    screening level with the permission, else those whose contact lists the user."""
    regions = LeadSettings.load().screening_regions()
    if may_file_any(user):
        return regions
    return regions.filter(screening_contact__users=user)


# -- leads --------------------------------------------------------------------------------------
class LeadForm(WagtailAdminModelForm):
    period = MonthField(label=gettext_lazy("所属月份"))

    class Meta:
        model = Lead
        fields = "__all__"
        widgets = {"outcome": DatalistInput(OUTCOME_SUGGESTIONS), "region": RegionSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("period"):
            self.initial["period"] = current_period()


LEAD_PANELS = [
    FieldRowPanel([FieldPanel("period"), FieldPanel("region")]),
    MultiFieldPanel(
        [
            FieldPanel("firm_name"),
            FieldRowPanel([FieldPanel("industry"), FieldPanel("scheme")]),
            FieldRowPanel([FieldPanel("internet"), FieldPanel("cross_region")]),
            FieldRowPanel([FieldPanel("amount"), FieldPanel("people"), FieldPanel("unpaid")]),
        ],
        heading=gettext_lazy("风险情况"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("measures"),
            FieldRowPanel([FieldPanel("refund_status"), FieldPanel("refund_percent")]),
            FieldPanel("outcome"),
            FieldPanel("notice"),
        ],
        heading=gettext_lazy("工作情况"),
    ),
    FieldPanel("note"),
]


class LeadCreateView(CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


def money(value):
    return f"{value:.2f}"


class WithRegions(IndexView):
    """A listing that names each row's region without a query per row."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("region")


class LeadIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("region", "source_report")


class LeadViewSet(ModelViewSet):
    model = Lead
    icon = "warning"
    name = "leads"
    url_prefix = "leads/ledger"
    menu_label = gettext_lazy("风险线索")
    add_to_admin_menu = False
    edit_handler = ObjectList(LEAD_PANELS, base_form_class=LeadForm)
    add_view_class = LeadCreateView
    search_fields = ["firm_name", "industry", "scheme"]
    search_backend_name = None
    list_filter = ["period", "internet", "cross_region", "refund_status"]
    list_display = [
        "firm_name",
        Column("period", label=gettext_lazy("月份"), accessor=lambda o: month_label(o.period)),
        Column("region", label=gettext_lazy("地区")),
        Column(
            "amount", label=gettext_lazy("涉及金额（万元）"), accessor=lambda o: money(o.amount)
        ),
        "people",
        Column("unpaid", label=gettext_lazy("未兑付（万元）"), accessor=lambda o: money(o.unpaid)),
        Column("refund", label=gettext_lazy("资金清退情况"), accessor="refund_text"),
        "outcome",
        Column(
            "source_report",
            label=gettext_lazy("来源举报"),
            accessor=lambda o: o.source_report.reference if o.source_report_id else "",
        ),
    ]
    list_export = []
    ordering = ["-period", "region__path", "id"]
    index_view_class = LeadIndexView


# -- screening filings ---------------------------------------------------------------------------
class FilingForm(WagtailAdminModelForm):
    period = MonthField(label=gettext_lazy("排查月份"))

    class Meta:
        model = ScreeningFiling
        fields = ["region", "period", "nothing_found", "summary", "leads"]
        widgets = {"leads": forms.CheckboxSelectMultiple, "region": RegionSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and not self.initial.get("period"):
            self.initial["period"] = current_period()
        user = self.for_user
        if user is not None:
            regions = filing_regions(user)
            self.fields["region"].queryset = regions
            if regions.count() == 1 and not self.instance.pk:
                self.initial.setdefault("region", regions.first().pk)
            # Only the leads of the regions one files for, recent months first.
            since = current_period() - datetime.timedelta(days=200)
            self.fields["leads"].queryset = Lead.objects.filter(
                region__in=regions, period__gte=since
            ).select_related("region")

    def clean(self):
        data = super().clean()
        if data.get("nothing_found") and data.get("leads"):
            self.add_error("leads", _("选择了零报送，就不能再列出发现的风险线索。"))
        region, period = data.get("region"), data.get("period")
        if region and period:
            taken = ScreeningFiling.objects.filter(region=region, period=period)
            if self.instance.pk:
                taken = taken.exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error(
                    "period",
                    _("%(r)s %(m)s 已经报送过了，请修改那一份。")
                    % {"r": region.name, "m": month_label(period)},
                )
        return data


FILING_PANELS = [
    FieldRowPanel([FieldPanel("region"), FieldPanel("period")]),
    FieldPanel("nothing_found"),
    FieldPanel("summary"),
    FieldPanel("leads"),
]


class OwnRegionOnly:
    """Edit and delete only filings of the regions the user may file for."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if (
            not may_file_any(self.request.user)
            and not filing_regions(self.request.user).filter(pk=obj.region_id).exists()
        ):
            raise PermissionDenied
        return obj


class FilingIndexView(WithRegions):
    """Filings of the regions the user may file for (all, with file_any_region), each marked
    late or not with the settings read once per page."""

    def get_table(self, object_list):
        config = LeadSettings.load()
        object_list = list(object_list)
        for filing in object_list:
            filing.late = filing.is_late(config)
        return super().get_table(object_list)

    def get_base_queryset(self):
        filings = super().get_base_queryset()
        if not may_file_any(self.request.user):
            filings = filings.filter(region__in=filing_regions(self.request.user))
        return filings


class FilingCreateView(CreateView):
    def save_instance(self):
        self.form.instance.filed_by = self.request.user
        return super().save_instance()


class FilingEditView(OwnRegionOnly, EditView):
    pass


class FilingDeleteView(OwnRegionOnly, DeleteView):
    pass


class FilingViewSet(ModelViewSet):
    model = ScreeningFiling
    icon = "tasks"
    name = "screening"
    url_prefix = "leads/screening"
    add_to_admin_menu = False
    edit_handler = ObjectList(FILING_PANELS, base_form_class=FilingForm)
    add_view_class = FilingCreateView
    edit_view_class = FilingEditView
    delete_view_class = FilingDeleteView
    list_filter = ["period", "nothing_found"]
    list_display = [
        Column("region", label=gettext_lazy("报送单位")),
        Column("period", label=gettext_lazy("月份"), accessor=lambda o: month_label(o.period)),
        Column(
            "result",
            label=gettext_lazy("排查结果"),
            accessor=lambda o: _("零报送") if o.nothing_found else o.summary[:40],
        ),
        Column(
            "filed_at", label=gettext_lazy("报送时间"), accessor=lambda o: local_time(o.filed_at)
        ),
        Column(
            "late",
            label=gettext_lazy("是否逾期"),
            accessor=lambda o: _("逾期") if getattr(o, "late", False) else "",
        ),
    ]
    list_export = []
    ordering = ["-period", "region__path"]
    index_view_class = FilingIndexView


# -- contacts -------------------------------------------------------------------------------------
class ContactForm(WagtailAdminModelForm):
    class Meta:
        model = RegionContact
        fields = ["region", "name", "phone", "users"]
        widgets = {"users": forms.CheckboxSelectMultiple, "region": RegionSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = LeadSettings.load().screening_regions()
        self.fields["users"].queryset = (
            self.fields["users"]
            .queryset.filter(Q(is_staff=True) | Q(groups__isnull=False))
            .distinct()
        )


class ContactViewSet(ModelViewSet):
    model = RegionContact
    icon = "user"
    name = "screening_contacts"
    url_prefix = "leads/contacts"
    add_to_admin_menu = False
    form_fields = ["region", "name", "phone", "users"]

    def get_form_class(self, for_update=False):
        return ContactForm

    list_display = [
        Column("region", label=gettext_lazy("区划")),
        "name",
        Column("phone", label=gettext_lazy("手机号码"), accessor="masked_phone"),
    ]
    list_export = []
    search_fields = ["name", "region__name"]
    search_backend_name = None
    index_view_class = WithRegions


# -- pages of their own ---------------------------------------------------------------------------
def _month(params, name):
    text = clean_param(params.get(name, ""), 10)
    try:
        return MonthField(required=False).clean(text)
    except forms.ValidationError:
        return None


class ExportForm(forms.Form):
    start = MonthField(label=gettext_lazy("起始月份"))
    end = MonthField(
        label=gettext_lazy("截止月份"),
        required=False,
        help_text=gettext_lazy("留空则只导出起始月份。"),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("地区（含下级）"),
        queryset=Region.objects.filter(level__lte=Region.Level.TOWNSHIP),
        required=False,
        widget=RegionSelect,
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("截止月份不能早于起始月份。"))
        if start and end and (end.year - start.year) * 12 + end.month - start.month >= 36:
            self.add_error("end", _("一次最多导出 36 个月。"))
        return data


class ExportView(StaffTemplateView):
    """Choose a month or a range (and a region); download the 统计表 in the seed's form."""

    permission_required = "leads.view_lead"
    template_name = "leads/admin/export.html"
    page_title = gettext_lazy("导出重点风险线索统计表")
    header_icon = "download"

    def get(self, request, *args, **kwargs):
        if "start" not in request.GET:
            form = ExportForm(initial={"start": current_period()})
            return self.render_to_response(self.get_context_data(form=form))
        form = ExportForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        start = form.cleaned_data["start"]
        end = form.cleaned_data["end"] or start
        region = form.cleaned_data["region"]
        config = LeadSettings.load()
        signature = ledger_form.Signature(
            unit=config.filing_unit,
            preparer=config.preparer,
            head=config.head,
            phone=config.phone,
        )
        data = ledger_form.build(ledger_form.leads_in(start, end, region), start, end, signature)
        return tabular.xlsx_response(
            data, ledger_form.filename(start, end), ledger_form.ascii_filename(start, end)
        )


class MissingView(StaffTemplateView):
    """The month's screening: who has not filed (first), who has, and whether late."""

    permission_required = "leads.view_screeningfiling"
    template_name = "leads/admin/missing.html"
    page_title = gettext_lazy("月度风险排查报送情况")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        period = _month(self.request.GET, "month") or current_period()
        config = LeadSettings.load()
        rows = screening.statuses(period, config)
        missing = [r for r in rows if not r.filed]
        return super().get_context_data(
            period=period,
            period_label=month_label(period),
            due=config.due_date(period),
            rows=rows,
            total=len(rows),
            missing_count=len(missing),
            filed_count=len(rows) - len(missing),
            nothing_found=sum(1 for r in rows if r.filed and r.filing.nothing_found),
            previous=(period - datetime.timedelta(days=1)).replace(day=1),
            following=(period + datetime.timedelta(days=32)).replace(day=1),
            level=Region.Level(config.screening_level).label,
            **kwargs,
        )


# -- tip-offs that can become leads ------------------------------------------------------------
CONVERT_PERMISSIONS = ("leads.add_lead", "tipoffs.view_report")


class ReportsToConvertView(StaffTemplateView):
    """Tip-offs taken up (核实中 or later) that are not yet leads, each with a 转为风险线索
    button. Shows what the ledger needs, never the reporter."""

    permission_required = CONVERT_PERMISSIONS
    template_name = "leads/admin/reports.html"
    page_title = gettext_lazy("举报转风险线索")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        reports = (
            from_report.convertible()
            .select_related("region")
            .only("pk", "reference", "status", "firm_name", "region__name", "created_at")
            .order_by("-created_at")[:200]
        )
        return super().get_context_data(reports=reports, **kwargs)


class ConvertReportView(PermissionRequiredMixin, View):
    """POST: make the lead of a report (or find the one made before) and open its edit form."""

    permission_required = CONVERT_PERMISSIONS
    http_method_names = ["post"]

    def post(self, request, report_id):
        try:
            lead, created = from_report.lead_from_report(report_id, user=request.user)
        except from_report.NotConvertible as exc:
            messages.error(request, str(exc))
            return redirect("leads_admin:reports")
        if created:
            messages.success(request, _("已转为风险线索，请补全未兑付资金、工作措施等内容后保存。"))
        else:
            messages.info(request, _("这条举报已经转为风险线索，下面是那一条。"))
        return redirect("leads:edit", lead.pk)
