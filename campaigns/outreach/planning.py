"""七进 outreach logic: contact-phone validation, bulk import of planned events, coverage
figures (channel × region) with the gap to target, and the exports reported upward."""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CoverageTarget, OutreachChannel, OutreachEvent
from website.taxonomy.models import Audience, Region

# -- import ---------------------------------------------------------------------------------
IMPORT_COLUMNS = [
    ("title", "活动名称"),
    ("channel", "渠道"),
    ("region", "地区代码"),
    ("venue", "场所"),
    ("address", "地址"),
    ("start", "开始时间"),
    ("end", "结束时间"),
    ("organiser", "组织单位"),
    ("contact_person", "联系人"),
    ("contact_phone", "联系电话"),
    ("contact_email", "联系邮箱"),
    ("planned_materials", "计划发放资料份数"),
    ("audiences", "重点人群"),
    ("is_public", "是否公开"),
]
EXAMPLE_ROW = [
    "桃花江社区防非宣讲",
    "社区",
    "430922100001",
    "桃花江社区服务中心",
    "桃江县桃花江镇健康路 1 号",
    "2026-05-15 09:00",
    "2026-05-15 11:00",
    "桃江县处非办",
    "张三",
    "13812345678",
    "",
    "200",
    "老年人",
    "是",
]
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M")


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message)
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def template_csv():
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 CSV with a BOM as Chinese text
    writer = csv.writer(out)
    writer.writerow([label for _, label in IMPORT_COLUMNS])
    writer.writerow(EXAMPLE_ROW)
    return out.getvalue()


def template_xlsx():
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "七进活动"
    sheet.append([label for _, label in IMPORT_COLUMNS])
    sheet.append(EXAMPLE_ROW)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read_rows(filename, data):
    """Return the rows (lists of strings) of an uploaded CSV or XLSX file, header first.

    Raises ValidationError for a file that cannot be read.
    """
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken file
            raise ValidationError(_("无法读取这个 Excel 文件，请用模板重新填写。")) from None
        rows = []
        for row in book.active.iter_rows(values_only=True):
            rows.append(["" if v is None else _cell(v) for v in row])
        return rows
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValidationError(_("无法识别文件编码，请另存为 UTF-8 编码的 CSV。"))
        return [row for row in csv.reader(io.StringIO(text))]
    raise ValidationError(_("只支持 .csv 或 .xlsx 文件。"))


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse_time(text):
    for fmt in TIME_FORMATS:
        try:
            naive = datetime.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    return None


def import_events(rows, campaign=None):
    """Create planned events from ``rows`` (header first). All or nothing: when any row has
    an error, nothing is saved and every row's errors are returned."""
    result = ImportResult()
    if not rows:
        result.errors.append((0, _("文件是空的。")))
        return result
    header = [str(h).strip() for h in rows[0]]
    index = {}
    for key, label in IMPORT_COLUMNS:
        if label in header:
            index[key] = header.index(label)
    missing = [label for key, label in IMPORT_COLUMNS[:10] if key not in index and key != "address"]
    if missing:
        result.errors.append(
            (1, _("缺少列：%(cols)s。请使用模板。") % {"cols": "、".join(missing)})
        )
        return result
    channels = {c.name: c for c in OutreachChannel.objects.all()}
    audiences = {a.name: a for a in Audience.objects.all()}
    pending = []
    for number, row in enumerate(rows[1:], start=2):

        def get(key, row=row):
            i = index.get(key)
            return (
                str(row[i]).strip() if i is not None and i < len(row) and row[i] is not None else ""
            )

        if not any(str(v).strip() for v in row):
            continue
        errors = []
        channel = channels.get(get("channel").removeprefix("进"))
        if channel is None:
            errors.append(_("渠道“%(v)s”不存在") % {"v": get("channel")})
        region = Region.objects.filter(code=get("region")).first()
        if region is None:
            errors.append(_("地区代码“%(v)s”不存在") % {"v": get("region")})
        start, end = _parse_time(get("start")), _parse_time(get("end"))
        if start is None:
            errors.append(_("开始时间格式应为 2026-05-15 09:00"))
        if end is None:
            errors.append(_("结束时间格式应为 2026-05-15 11:00"))
        materials = get("planned_materials") or "0"
        if not materials.isdigit():
            errors.append(_("计划发放资料份数应为整数"))
            materials = "0"
        wanted = [
            a
            for a in get("audiences").replace("，", ",").replace("、", ",").split(",")
            if a.strip()
        ]
        unknown = [a for a in wanted if a.strip() not in audiences]
        if unknown:
            errors.append(_("重点人群“%(v)s”不存在") % {"v": "、".join(unknown)})
        event = OutreachEvent(
            campaign=campaign,
            channel=channel,
            region=region,
            title=get("title"),
            venue=get("venue"),
            address=get("address"),
            start_at=start,
            end_at=end,
            organiser=get("organiser"),
            contact_person=get("contact_person"),
            contact_phone=get("contact_phone"),
            contact_email=get("contact_email"),
            planned_materials=int(materials),
            is_public=get("is_public") not in ("否", "no", "0", "false"),
            status=OutreachEvent.Status.PLANNED,
        )
        try:
            event.full_clean(
                exclude=[
                    f
                    for f, v in (
                        ("channel", channel),
                        ("region", region),
                        ("start_at", start),
                        ("end_at", end),
                    )
                    if v is None
                ]
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = _field_label(name)
                errors.extend(f"{label}：{m}" if label else m for m in messages)
        if errors:
            result.errors.append((number, "；".join(str(e) for e in errors)))
            continue
        result.warnings.extend((number, str(w)) for w in event.warnings())
        pending.append((event, [audiences[a.strip()] for a in wanted]))
    if not pending and not result.errors:
        result.errors.append((0, _("文件里没有活动。")))
    if result.errors:
        return result
    with transaction.atomic():
        for event, chosen in pending:
            event.save()
            event.audiences.set(chosen)
            result.created.append(event)
    return result


def _field_label(name):
    if name == "__all__":
        return ""
    try:
        return str(OutreachEvent._meta.get_field(name).verbose_name)
    except Exception:
        return name


# -- coverage ---------------------------------------------------------------------------------
@dataclass
class Cell:
    events: int = 0
    planned: int = 0
    attendance: int = 0
    materials: int = 0
    target: int = 0

    @property
    def gap(self):
        return max(0, self.target - self.events)

    def add(self, other):
        self.events += other.events
        self.planned += other.planned
        self.attendance += other.attendance
        self.materials += other.materials
        self.target += other.target


@dataclass
class Coverage:
    title: str
    period: str
    channels: list
    regions: list
    cells: dict  # (region pk, channel pk) -> Cell
    year: int

    def row(self, region):
        return [self.cells[(region.pk, c.pk)] for c in self.channels]

    def row_total(self, region):
        total = Cell()
        for cell in self.row(region):
            total.add(cell)
        return total

    def column_total(self, channel):
        total = Cell()
        for region in self.regions:
            total.add(self.cells[(region.pk, channel.pk)])
        return total

    def grand_total(self):
        total = Cell()
        for channel in self.channels:
            total.add(self.column_total(channel))
        return total

    def rows(self):
        return [(r, self.row(r), self.row_total(r)) for r in self.regions]

    def totals(self):
        return [self.column_total(c) for c in self.channels]


def report_regions(level=Region.Level.COUNTY, within=None):
    qs = Region.objects.filter(level=level)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    return list(qs.order_by("path"))


def coverage(events, year, title="", period="", regions=None):
    """Return the channel × region matrix of ``events``: held (done) events, attendance and
    materials handed out, planned (not cancelled) events, the year's targets and the gap.

    Each event counts for the row region that contains it (path prefix); events outside
    every row region are left out. Targets count likewise (set on a row region or below).
    """
    channels = list(OutreachChannel.objects.filter(is_active=True))
    regions = regions if regions is not None else report_regions()
    cells = {(r.pk, c.pk): Cell() for r in regions for c in channels}

    def row_of(path):
        for r in regions:
            if path.startswith(r.path):
                return r.pk
        return None

    rows = events.exclude(status=OutreachEvent.Status.CANCELLED).values_list(
        "channel_id", "region__path", "status", "attendance", "materials_handed_out"
    )
    for channel_id, path, status, attendance, materials in rows:
        cell = cells.get((row_of(path), channel_id))
        if cell is None:
            continue
        cell.planned += 1
        if status == OutreachEvent.Status.DONE:
            cell.events += 1
            cell.attendance += attendance or 0
            cell.materials += materials or 0
    for channel_id, path, count in CoverageTarget.objects.filter(year=year).values_list(
        "channel_id", "region__path", "target_count"
    ):
        cell = cells.get((row_of(path), channel_id))
        if cell is not None:
            cell.target += count
    return Coverage(
        title=title, period=period, channels=channels, regions=regions, cells=cells, year=year
    )


def campaign_coverage(campaign):
    return coverage(
        OutreachEvent.objects.filter(campaign=campaign),
        year=campaign.start_date.year,
        title=campaign.title,
        period=campaign.period,
    )


def year_coverage(year):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    return coverage(
        OutreachEvent.objects.filter(start_at__gte=start, start_at__lt=end),
        year=year,
        title=_("%(year)s 年七进活动覆盖") % {"year": year},
        period=f"{year}-01-01 至 {year}-12-31",
    )


# -- exports (信息报送) -------------------------------------------------------------------------
MEASURES = [("events", "活动场次"), ("attendance", "参与人数"), ("materials", "发放资料(份)")]


def report_table(cov):
    """Return the report as rows of cells, in the shape reported upward: two title rows, a
    two-row header (channel, then measure), a row per region, a totals row, then the target
    and gap per channel."""
    measures = len(MEASURES)
    rows = [
        [_("%(title)s 七进活动情况统计表") % {"title": cov.title}],
        [
            _("活动期间：%(period)s") % {"period": cov.period},
            "",
            _("统计时间：%(now)s") % {"now": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        ],
    ]
    head1 = [_("地区")]
    head2 = [""]
    for channel in cov.channels:
        head1 += [f"进{channel.name}"] + [""] * (measures - 1)
        head2 += [label for _, label in MEASURES]
    head1 += [_("合计")] + [""] * (measures - 1)
    head2 += [label for _, label in MEASURES]
    rows += [head1, head2]

    def figures(cell):
        return [getattr(cell, key) for key, _ in MEASURES]

    for region, cells, total in cov.rows():
        row = [region.name]
        for cell in cells:
            row += figures(cell)
        rows.append(row + figures(total))
    total_row = [_("合计")]
    for cell in cov.totals():
        total_row += figures(cell)
    rows.append(total_row + figures(cov.grand_total()))
    target_row, gap_row = [_("年度目标场次")], [_("距目标差")]
    for cell in cov.totals():
        target_row += [cell.target] + [""] * (measures - 1)
        gap_row += [cell.gap] + [""] * (measures - 1)
    grand = cov.grand_total()
    rows.append(target_row + [grand.target] + [""] * (measures - 1))
    rows.append(gap_row + [sum(c.gap for c in cov.totals())] + [""] * (measures - 1))
    return rows


def export_csv(cov):
    out = io.StringIO()
    out.write("\ufeff")
    csv.writer(out).writerows(report_table(cov))
    return out.getvalue()


def export_xlsx(cov):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "七进活动统计"
    table = report_table(cov)
    for row in table:
        sheet.append(row)
    width = len(table[2])
    measures = len(MEASURES)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = Alignment(horizontal="center")
    for start in range(2, width + 1, measures):
        sheet.merge_cells(
            start_row=3, start_column=start, end_row=3, end_column=start + measures - 1
        )
        sheet.cell(3, start).alignment = Alignment(horizontal="center")
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    for cell in sheet[3] + sheet[4]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# -- chart -------------------------------------------------------------------------------------
def chart_bars(cov):
    """Return bars for the server-rendered SVG chart: per channel, held events and target,
    with pixel widths scaled to the largest figure."""
    totals = cov.totals()
    top = max([1] + [max(c.events, c.target, c.planned) for c in totals])
    bars = []
    for i, (channel, cell) in enumerate(zip(cov.channels, totals, strict=True)):
        bars.append(
            {
                "label": f"进{channel.name}",
                "events": cell.events,
                "target": cell.target,
                "planned": cell.planned,
                "y": 10 + i * 34,
                "events_width": round(360 * cell.events / top),
                "target_width": round(360 * cell.target / top),
            }
        )
    return {"bars": bars, "height": 20 + len(bars) * 34}
