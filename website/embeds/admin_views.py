"""合作媒体嵌入统计: how often partners' pages showed our widgets, by site, widget and day.

Registered under /admin/embeds/ by ``wagtail_hooks``; Wagtail's admin wrapper turns away
anyone without admin access, and the view checks ``embeds.view_impression`` on top.
"""

import datetime
import itertools

from django import forms
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from website.core import tabular
from website.core.admin_views import StaffTemplateView
from website.core.charts import column_chart
from website.embeds import impressions
from website.embeds.impressions import display_host
from website.embeds.models import Impression

PERMISSION = "embeds.view_impression"
DEFAULT_DAYS = 30
MAX_DAYS = 366
EARLIEST = datetime.date(2000, 1, 1)
# The page lists the busiest hosts; the CSV export has every one.
HOSTS_SHOWN = 200
# sort parameter → (key, reverse); ties in views go by host name.
SORTS = {
    "-views": (lambda row: (-row["total"], row["host"]), False),
    "views": (lambda row: (row["total"], row["host"]), False),
    "host": (lambda row: row["host"], False),
    "-host": (lambda row: row["host"], True),
}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RangeForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=DATE_WIDGET)
    sort = forms.ChoiceField(
        label=_("来源网站排序"),
        required=False,
        choices=[
            ("-views", _("展示次数从多到少")),
            ("views", _("展示次数从少到多")),
            ("host", _("网站名 A→Z")),
            ("-host", _("网站名 Z→A")),
        ],
    )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        end = cleaned.get("date_to") or timezone.localdate()
        start = cleaned.get("date_from")
        if end < EARLIEST or (start is not None and start < EARLIEST):
            raise forms.ValidationError(_("日期不能早于 2000 年 1 月 1 日。"))
        if start is None:
            start = max(end - datetime.timedelta(days=DEFAULT_DAYS - 1), EARLIEST)
        if end < start:
            raise forms.ValidationError(_("结束日期不能早于开始日期。"))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(_("日期范围最长 %(n)d 天，请缩小范围。") % {"n": MAX_DAYS})
        cleaned.update(date_from=start, date_to=end, sort=cleaned.get("sort") or "-views")
        return cleaned


class ImpressionsReportView(StaffTemplateView):
    """The report page (200, or 400 with the form's message for junk dates) or, with
    ``?export=csv``, the figures as CSV."""

    permission_required = PERMISSION
    template_name = "embeds/admin/impressions.html"
    page_title = _("合作媒体嵌入统计")
    header_icon = "site"

    def get(self, request):
        form = RangeForm(request.GET)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        start, end, sort = (form.cleaned_data[k] for k in ("date_from", "date_to", "sort"))
        # Views buffered in Redis since beat's last run belong in the figures too.
        impressions.flush()
        rows = Impression.objects.filter(day__range=(start, end))
        if request.GET.get("export") == "csv":
            return csv_response(rows, start, end)
        return self.render_to_response(
            self.get_context_data(
                # Show the range actually used, defaults included.
                form=RangeForm(initial={"date_from": start, "date_to": end, "sort": sort}),
                **report(rows, start, end, sort),
            )
        )


impressions_report = ImpressionsReportView.as_view()


def report(rows, start, end, sort):
    """Return the figures the page shows for the impressions in ``rows``."""
    widgets = Impression.Widget
    hosts = {}
    for item in rows.values("host", "widget").annotate(n=Sum("count")).order_by():
        row = hosts.setdefault(item["host"], {"host": item["host"], "total": 0, "by_widget": {}})
        row["by_widget"][item["widget"]] = item["n"]
        row["total"] += item["n"]
    key, reverse = SORTS[sort]
    host_rows = sorted(hosts.values(), key=key, reverse=reverse)
    for row in host_rows:
        row["shown"] = display_host(row["host"])
        row["cells"] = [row["by_widget"].get(value, 0) for value in widgets.values]

    by_widget = dict(rows.values_list("widget").annotate(n=Sum("count")).order_by())
    widget_rows = [(label, by_widget.get(value, 0)) for value, label in widgets.choices]

    by_day = dict(rows.values_list("day").annotate(n=Sum("count")).order_by())
    days = [
        (day, by_day.get(day, 0))
        for day in (start + datetime.timedelta(days=i) for i in range((end - start).days + 1))
    ]
    total = sum(n for _day, n in days)
    return {
        "start": start,
        "end": end,
        "sort": sort,
        "total": total,
        "widget_labels": widgets.labels,
        "host_rows": host_rows[:HOSTS_SHOWN],
        "hosts_count": len(host_rows),
        "hosts_cut": len(host_rows) > HOSTS_SHOWN,
        "hosts_shown": HOSTS_SHOWN,
        "widget_rows": widget_rows,
        "chart": column_chart(
            days,
            gettext("每日展示次数"),
            axis_label=lambda day: f"{day:%m-%d}",
            tip_label=lambda day: f"{day:%Y-%m-%d}",
        ),
    }


def csv_response(rows, start, end):
    """Return every (day, host, widget) count in ``rows`` as a CSV download (with a BOM)."""
    labels = dict(Impression.Widget.choices)
    header = [gettext("日期"), gettext("来源网站"), gettext("组件"), gettext("展示次数")]
    lines = (
        [day.isoformat(), display_host(host), str(labels.get(widget, widget)), count]
        for day, host, widget, count in rows.order_by("day", "host", "widget").values_list(
            "day", "host", "widget", "count"
        )
    )
    return tabular.csv_response(
        itertools.chain([header], lines),
        f"embed-impressions-{start:%Y%m%d}-{end:%Y%m%d}.csv",
    )
