"""七进 outreach logic: contact-phone validation, bulk import of planned events, coverage
figures (channel × region) with the gap to target, and the exports reported upward."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import CoverageTarget, OutreachChannel, OutreachEvent
from website.core import charts, tabular
from website.core.admin_views import local_time
from website.shortlinks import service as shortlinks
from website.taxonomy.lookup import RegionNames, code_sheet
from website.taxonomy.models import Audience, Region

# -- import ---------------------------------------------------------------------------------
IMPORT_COLUMNS = [
    ("title", "活动名称"),
    ("channel", "渠道"),
    ("region", "地区"),
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
    "桃江县/桃花江社区",
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
# The first ten columns but the address must be there; the rest may be left out.
REQUIRED_LABELS = [label for key, label in IMPORT_COLUMNS[:10] if key != "address"]
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M")


@dataclass
class ImportResult(tabular.ImportResult):
    created: list = field(default_factory=list)


# Files made from the first template head the region column 地区代码.
HEADER_ALIASES = {"地区代码": "地区", "区划代码": "地区"}


def template_csv():
    """Return the import template (header and an example row) as CSV text with a BOM."""
    return tabular.csv_text([[label for _, label in IMPORT_COLUMNS], EXAMPLE_ROW])


def template_xlsx():
    """Return the import template (header and an example row) as XLSX bytes."""
    return tabular.xlsx_bytes(
        [
            ("七进活动", [[label for _, label in IMPORT_COLUMNS], EXAMPLE_ROW]),
            (_("区划代码"), code_sheet()),
        ]
    )


def _parse_time(text):
    for fmt in TIME_FORMATS:
        try:
            naive = datetime.datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    return None


def import_events(table, campaign=None):
    """Create planned events from ``table`` (a tabular.Table, or rows with the header first)
    and return an ImportResult. All or nothing: when any row has an error, nothing is saved
    and every row's errors are returned. Channels, regions and audiences are looked up once
    for the whole file."""
    result = ImportResult()
    if not isinstance(table, tabular.Table):
        if not table:
            result.errors.append((0, _("文件是空的。")))
            return result
        table = tabular.Table(
            header=[tabular.cell_text(h) for h in table[0]],
            rows=[[tabular.cell_text(v) for v in row] for row in table[1:]],
        )
    labels = dict(IMPORT_COLUMNS)
    table = tabular.Table(
        header=[
            HEADER_ALIASES.get(h, h) if HEADER_ALIASES.get(h) not in table.header else h
            for h in table.header
        ],
        rows=table.rows,
    )
    missing = table.missing(REQUIRED_LABELS)
    if missing:
        result.errors.append((1, tabular.missing_columns(missing)))
        return result
    channels = {c.name: c for c in OutreachChannel.objects.all()}
    audiences = {}
    for a in Audience.objects.all():
        audiences[a.slug] = a
        audiences[a.name] = a
    regions = RegionNames()
    pending = []
    for record in table.records():
        number = record.number

        def get(key, record=record):
            return record.get(labels[key])

        errors = []
        channel = channels.get(get("channel").removeprefix("进"))
        if channel is None:
            errors.append(_("渠道“%(v)s”不存在") % {"v": get("channel")})
        region, problem = regions.resolve(get("region"))
        if region is None:
            errors.append(problem or _("请填写地区（区划代码、名称或完整路径）"))
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
            # The related objects came from the lookups above, so they exist: validating
            # them again would cost queries per row.
            event.full_clean(
                exclude=["campaign", "channel", "region"]
                + [f for f, v in (("start_at", start), ("end_at", end)) if v is None]
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
    scans: int = 0  # QR scans of the events' printed materials (short links)

    @property
    def gap(self):
        return max(0, self.target - self.events)

    def add(self, other):
        self.events += other.events
        self.planned += other.planned
        self.attendance += other.attendance
        self.materials += other.materials
        self.target += other.target
        self.scans += other.scans


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
    materials handed out, scans of their printed QR codes, planned (not cancelled) events,
    the year's targets and the gap.

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

    rows = list(
        events.exclude(status=OutreachEvent.Status.CANCELLED).values_list(
            "pk", "channel_id", "region__path", "status", "attendance", "materials_handed_out"
        )
    )
    scans = shortlinks.counts("event", [row[0] for row in rows])
    for pk, channel_id, path, status, attendance, materials in rows:
        cell = cells.get((row_of(path), channel_id))
        if cell is None:
            continue
        cell.planned += 1
        cell.scans += scans[pk]
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
MEASURES = [
    ("events", "活动场次"),
    ("attendance", "参与人数"),
    ("materials", "发放资料(份)"),
    ("scans", "扫码次数"),
]


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
            _("统计时间：%(now)s") % {"now": local_time(timezone.now())},
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
    """Return the report as CSV text with a BOM."""
    return tabular.csv_text(report_table(cov))


def export_xlsx(cov):
    """Return the report as XLSX bytes: the title merged across the table, the channel
    headings merged over their measures."""
    from openpyxl.styles import Alignment, Font

    def decorate(sheet, table):
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

    return tabular.xlsx_bytes([("七进活动统计", report_table(cov))], decorate=decorate)


# -- chart -------------------------------------------------------------------------------------
def coverage_chart(cov):
    """Return the SVG chart of ``cov``: per channel, held events as a bar and the year's
    target as a dashed outline, scaled to the largest of held, planned and target."""
    totals = cov.totals()
    top = max([1] + [max(c.events, c.target, c.planned) for c in totals])
    return charts.row_chart(
        [
            charts.Bar(
                label=f"进{channel.name}",
                value=cell.events,
                target=cell.target,
                colour="#1f6f8b",
                text=f"{cell.events} / {cell.target}" if cell.target else str(cell.events),
            )
            for channel, cell in zip(cov.channels, totals, strict=True)
        ],
        title=_("各渠道已举办场次与目标"),
        description=_describe_coverage(cov.channels, totals),
        domain=(0, top),
        ticks=False,
        label_width=90,
        plot_width=360,
    )


def _describe_coverage(channels, totals):
    return "；".join(
        _("进%(channel)s：已举办 %(events)d 场，目标 %(target)d 场")
        % {"channel": channel.name, "events": cell.events, "target": cell.target}
        for channel, cell in zip(channels, totals, strict=True)
    )
