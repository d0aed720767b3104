"""The 重点风险线索统计表 as an XLSX file in the fixed form of seed 002 (附件2).

The form, as offices print and pass it upward: a title; the 填报单位 line with the period and
the units (人、万元); two header rows (序号 and 备注 spanning both, 风险情况 over eight columns,
工作情况 over four); one row per lead; a 合计 row with totals on the columns the form marks
with "*" (涉及金额, 涉及人数, 未兑付资金); and the 填报人 / 负责人 / 电话 / 填报日期 line.
Every number is a real number shown with two decimals (the form's rule 5), so the receiving
office can add the sheets up. Printed landscape on A4, one page wide, headers repeated.

The workbook goes through ``website.core.tabular.xlsx_bytes``; the layout is openpyxl's.
"""

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from website.core import tabular
from website.leads.models import Lead, month_label, next_month

TWO_DECIMALS = "0.00"
# (header, width in characters, group): the fourteen columns of the form, left to right.
COLUMNS = [
    (_l("序号"), 6, None),
    (_l("企业名称"), 22, "risk"),
    (_l("所属行业"), 10, "risk"),
    (_l("集资模式"), 14, "risk"),
    (_l("是否通过互联网"), 10, "risk"),
    (_l("涉及金额"), 12, "risk"),
    (_l("涉及人数"), 10, "risk"),
    (_l("未兑付资金"), 12, "risk"),
    (_l("是否跨省、市"), 8, "risk"),
    (_l("采取的工作措施"), 26, "work"),
    (_l("资金清退情况"), 16, "work"),
    (_l("处理结果"), 16, "work"),
    (_l("省际间风险通报情况"), 20, "work"),
    (_l("备注"), 14, None),
]
AMOUNT, PEOPLE, UNPAID = 6, 7, 8  # 1-based columns of the totals marked "*"
TOTALLED = (AMOUNT, PEOPLE, UNPAID)
LAST = len(COLUMNS)
TITLE_ROW, UNIT_ROW, HEAD_ROW, SUB_ROW = 1, 2, 3, 4
FIRST_DATA_ROW = 5


@dataclass
class Signature:
    """The lines under the table."""

    unit: str
    preparer: str = ""
    head: str = ""
    phone: str = ""
    date: object = None  # the 填报日期; today when None


def period_label(start, end):
    """Return the period as people write it: 2026年11月, or 2026年9月至2026年11月
    (``end`` is the first day of the last month included)."""
    if start == end:
        return month_label(start)
    return _("%(a)s至%(b)s") % {"a": month_label(start), "b": month_label(end)}


def filename(start, end):
    """Return the download's name: 重点风险线索统计表_2026年11月.xlsx."""
    return f"{_('重点风险线索统计表')}_{period_label(start, end)}.xlsx"


def ascii_filename(start, end):
    """Return the name for clients that cannot take a Chinese one: risk-leads-2026-11.xlsx."""
    tail = f"{start:%Y-%m}" if start == end else f"{start:%Y-%m}_{end:%Y-%m}"
    return f"risk-leads-{tail}.xlsx"


def leads_in(start, end, region=None):
    """Return the leads of the months ``start`` to ``end`` (first days, both included),
    within ``region``'s subtree when given, in the order the form lists them."""
    leads = Lead.objects.filter(period__gte=start, period__lt=next_month(end))
    if region is not None:
        leads = leads.filter(region__path__startswith=region.path)
    return leads.select_related("region").order_by("period", "region__path", "id")


def row_for(number, lead, with_month):
    """Return the fourteen cells of ``lead``'s row (numbers as Decimals)."""
    note = [lead.region.name]
    if with_month:
        note.append(month_label(lead.period))
    if lead.note:
        note.append(lead.note)
    return [
        number,
        lead.firm_name,
        lead.industry,
        lead.scheme,
        lead.get_internet_display(),
        lead.amount,
        Decimal(lead.people),
        lead.unpaid,
        _("是") if lead.cross_region else _("否"),
        lead.measures,
        lead.refund_text,
        lead.outcome,
        lead.notice,
        "；".join(note),
    ]


def text_lines(text, width):
    """Return how many lines ``text`` wraps to in a column ``width`` characters wide (a
    Chinese character takes two)."""
    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))
    return max(1, math.ceil(units / max(1, width - 2)))


def row_height(row):
    """Return a data row's height in points: 14 per line of its most wrapped cell."""
    lines = max(
        text_lines(value, width)
        for value, (_label, width, _group) in zip(row, COLUMNS, strict=True)
        if isinstance(value, str)
    )
    return 14 * lines + 4


def totals(rows):
    """Return {column: total} of the "*" columns over data ``rows``."""
    return {col: sum((row[col - 1] for row in rows), Decimal("0.00")) for col in TOTALLED}


def build(leads, start, end, signature):
    """Return the form's workbook as XLSX bytes for ``leads`` (already filtered and ordered)
    of the months ``start`` to ``end``."""
    leads = list(leads)
    rows = [row_for(n, lead, start != end) for n, lead in enumerate(leads, start=1)]
    sums = totals(rows)
    title = _("镇（乡）、行业领域重点风险线索统计表")

    def layout(sheet, _rows):
        _lay_out(sheet, title, rows, sums, start, end, signature)

    return tabular.xlsx_bytes([(period_label(start, end), [])], decorate=layout)


def _lay_out(sheet, title, rows, sums, start, end, signature):
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center")
    bold = Font(name="宋体", bold=True, size=10)
    plain = Font(name="宋体", size=10)
    letter = get_column_letter

    def merge(row, first, last, value, font=plain, align=centre, to_row=None):
        cell = sheet.cell(row, first, value)
        cell.font, cell.alignment = font, align
        if last > first or (to_row or row) > row:
            sheet.merge_cells(
                start_row=row, start_column=first, end_row=to_row or row, end_column=last
            )
        return cell

    def frame(top, bottom):
        for r in range(top, bottom + 1):
            for c in range(1, LAST + 1):
                sheet.cell(r, c).border = box

    # Title and the 填报单位 line.
    merge(TITLE_ROW, 1, LAST, title, Font(name="宋体", bold=True, size=16))
    sheet.row_dimensions[TITLE_ROW].height = 30
    merge(UNIT_ROW, 1, 5, _("填报单位：%(u)s") % {"u": signature.unit}, plain, left)
    merge(
        UNIT_ROW,
        6,
        10,
        _("统计期间：%(p)s") % {"p": period_label(start, end)},
        plain,
        centre,
    )
    merge(UNIT_ROW, 11, LAST, _("单位：人、万元"), plain, right)

    # Two header rows: groups above, columns below; 序号 and 备注 span both.
    merge(HEAD_ROW, 1, 1, _("序号"), bold, to_row=SUB_ROW)
    merge(HEAD_ROW, 2, 9, _("风险情况"), bold)
    merge(HEAD_ROW, 10, 13, _("工作情况"), bold)
    merge(HEAD_ROW, LAST, LAST, _("备注"), bold, to_row=SUB_ROW)
    for col, (label, width, group) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[letter(col)].width = width
        if group:
            merge(SUB_ROW, col, col, str(label), bold)
    sheet.row_dimensions[SUB_ROW].height = 32

    # The leads. Row heights are set from the longest wrapped text, because Excel does not
    # grow a row for wrapped text in a file it did not lay out itself.
    r = FIRST_DATA_ROW
    for row in rows:
        sheet.row_dimensions[r].height = row_height(row)
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(r, col, value)
            cell.font = plain
            if col in TOTALLED:
                cell.number_format = TWO_DECIMALS
                cell.alignment = right
            elif col in (1, 3, 5, 9):
                cell.alignment = centre
            else:
                cell.alignment = left
        r += 1
    if not rows:
        merge(r, 1, 1, "", plain)
        merge(r, 2, LAST, _("本期无重点风险线索。"), plain)
        r += 1

    # 合计: the form marks the columns to total with "*".
    merge(r, 1, 5, _("合计"), bold)
    for col in TOTALLED:
        cell = sheet.cell(r, col, sums[col])
        cell.font, cell.alignment, cell.number_format = bold, right, TWO_DECIMALS
    total_row = r
    frame(HEAD_ROW, total_row)

    # The signature line.
    r = total_row + 2
    day = signature.date or timezone.localdate()
    merge(r, 1, 4, _("填报人：%(v)s") % {"v": signature.preparer}, plain, left)
    merge(r, 5, 8, _("负责人：%(v)s") % {"v": signature.head}, plain, left)
    merge(r, 9, 11, _("电话：%(v)s") % {"v": signature.phone}, plain, left)
    merge(
        r,
        12,
        LAST,
        _("填报日期：%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day},
        plain,
        left,
    )

    # Print: landscape A4, one page wide (as tall as it needs), the header rows on every page.
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.print_title_rows = f"{HEAD_ROW}:{SUB_ROW}"
    sheet.print_area = f"A1:{letter(LAST)}{r}"
    sheet.freeze_panes = sheet.cell(FIRST_DATA_ROW, 2)
