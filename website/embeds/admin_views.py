"""合作媒体嵌入统计: how often partners' pages showed our widgets, by site, widget and day.

Registered under /admin/embeds/ by ``wagtail_hooks``; Wagtail's admin wrapper turns away
anyone without admin access, and the view checks ``embeds.view_impression`` on top.
"""

import csv
import datetime
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


def impressions_report(request):
    """Return the report page (200, or 400 with the form's message for junk dates) or,
    with ``?export=csv``, the figures as CSV."""
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = RangeForm(request.GET)
    context = {
        "page_title": gettext("合作媒体嵌入统计"),
        "header_title": gettext("合作媒体嵌入统计"),
        "header_icon": "site",
        "form": form,
    }
    if not form.is_valid():
        return TemplateResponse(request, "embeds/admin/impressions.html", context, status=400)
    start, end, sort = (form.cleaned_data[k] for k in ("date_from", "date_to", "sort"))
    # Views buffered in Redis since beat's last run belong in the figures too.
    impressions.flush()
    # Show the range actually used, defaults included.
    context["form"] = RangeForm(initial={"date_from": start, "date_to": end, "sort": sort})
    rows = Impression.objects.filter(day__range=(start, end))
    if request.GET.get("export") == "csv":
        return csv_response(rows, start, end)
    context.update(report(rows, start, end, sort))
    return TemplateResponse(request, "embeds/admin/impressions.html", context)


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
        "chart": daily_chart(days, gettext("每日展示次数")),
    }


def csv_response(rows, start, end):
    """Return every (day, host, widget) count in ``rows`` as CSV with a BOM (for Excel)."""
    labels = dict(Impression.Widget.choices)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([gettext("日期"), gettext("来源网站"), gettext("组件"), gettext("展示次数")])
    for day, host, widget, count in rows.order_by("day", "host", "widget").values_list(
        "day", "host", "widget", "count"
    ):
        writer.writerow(
            [day.isoformat(), display_host(host), str(labels.get(widget, widget)), count]
        )
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="embed-impressions-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    )
    return response


# -- chart ------------------------------------------------------------------------------
# quiz.charts.row_chart draws one labelled row per item with fractional values; a daily
# series of counts over up to a year reads better as columns along a date axis.
CHART_W, CHART_H = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 28
BAR = "#2e6db4"
MUTED = "#6b6b6b"


def _nice_max(value):
    """Return a round number ≥ ``value`` for the top of the axis."""
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(top) if top == int(top) else top
    return 10 * magnitude


def daily_chart(days, title):
    """Return an inline SVG (safe string): one column per (date, count) in ``days``."""
    plot_w = CHART_W - LEFT - RIGHT
    plot_h = CHART_H - TOP - BOTTOM
    top = _nice_max(max((n for _d, n in days), default=0))
    step = plot_w / max(len(days), 1)
    gap = 1 if step > 3 else 0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="embeds-chart" role="img" '
        f'viewBox="0 0 {CHART_W} {CHART_H}" width="100%" style="max-width:{CHART_W}px">',
        f"<title>{escape(title)}</title>",
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        shown = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        parts.append(
            f'<line x1="{LEFT}" y1="{y:.1f}" x2="{CHART_W - RIGHT}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{shown}</text>'
        )
    label_every = max(1, round(len(days) / 8))
    for i, (day, n) in enumerate(days):
        x = LEFT + i * step
        h = plot_h * n / top if top else 0
        if n:
            parts.append(
                f'<rect x="{x + gap / 2:.2f}" y="{TOP + plot_h - h:.2f}" '
                f'width="{max(step - gap, 0.5):.2f}" height="{h:.2f}" fill="{BAR}">'
                f"<title>{day:%Y-%m-%d}：{n}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + step / 2:.1f}" y="{CHART_H - 8}" font-size="11" '
                f'text-anchor="middle" fill="{MUTED}">{day:%m-%d}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
