"""七进 outreach logic: contact-phone validation, bulk import of planned events, coverage
figures (channel × region) with the gap to target, and the exports reported upward."""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

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
    counted: list = field(default_factory=list)  # pks of the events in the figures
    skipped: int = 0  # events outside every row region
    shares: dict = field(default_factory=dict)  # {year: share of its targets}

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


def scope_regions(chosen):
    """Return the report rows for a campaign held in the regions ``chosen``: each outermost
    chosen region itself (its 本级: events and targets set on it directly), then its
    children. A region inside another chosen one adds nothing; a region without children
    is a row on its own. Each row carries ``row_label``."""
    chosen = sorted(chosen, key=lambda r: r.path)
    tops = [
        r for r in chosen if not any(o.pk != r.pk and r.path.startswith(o.path) for o in chosen)
    ]
    children = {}
    for child in Region.objects.filter(parent__in=tops).order_by("path"):
        children.setdefault(child.parent_id, []).append(child)
    rows = []
    for top in tops:
        below = children.get(top.pk, [])
        top.row_label = _("%(name)s（本级）") % {"name": top.name} if below else top.name
        rows.append(top)
        rows.extend(below)
    return rows


def target_shares(start, end):
    """Return {year: share of that year's targets} for the period ``start``–``end`` (dates,
    both included): its days in the year over the year's days, so a one-month campaign is
    held to about a twelfth of the yearly target."""
    shares = {}
    for year in range(start.year, end.year + 1):
        first = max(start, datetime.date(year, 1, 1))
        last = min(end, datetime.date(year, 12, 31))
        days_in_year = (datetime.date(year + 1, 1, 1) - datetime.date(year, 1, 1)).days
        shares[year] = ((last - first).days + 1) / days_in_year
    return shares


def coverage(events, year, title="", period="", regions=None, target_shares=None):
    """Return the channel × region matrix of ``events``: held (done) events, attendance and
    materials handed out, scans of their printed QR codes, planned (not cancelled) events,
    the targets and the gap.

    Each event counts for the row region that most closely contains it (the longest path
    prefix); events outside every row region are left out. Targets count likewise (set on
    a row region or below), each year's times its share in ``target_shares`` ({year: share};
    ``year``'s whole targets when not given).
    """
    channels = list(OutreachChannel.objects.filter(is_active=True))
    regions = regions if regions is not None else report_regions()
    cells = {(r.pk, c.pk): Cell() for r in regions for c in channels}
    # Longest first, so a child row wins over its parent's 本级 row.
    by_depth = sorted(regions, key=lambda r: len(r.path), reverse=True)

    def row_of(path):
        for r in by_depth:
            if path.startswith(r.path):
                return r.pk
        return None

    rows = list(
        events.exclude(status=OutreachEvent.Status.CANCELLED).values_list(
            "pk", "channel_id", "region__path", "status", "attendance", "materials_handed_out"
        )
    )
    scans = shortlinks.counts("event", [row[0] for row in rows])
    counted = []
    for pk, channel_id, path, status, attendance, materials in rows:
        cell = cells.get((row_of(path), channel_id))
        if cell is None:
            continue
        counted.append(pk)
        cell.planned += 1
        cell.scans += scans[pk]
        if status == OutreachEvent.Status.DONE:
            cell.events += 1
            cell.attendance += attendance or 0
            cell.materials += materials or 0
    shares = target_shares or {year: 1}
    for target_year, channel_id, path, count in CoverageTarget.objects.filter(
        year__in=list(shares)
    ).values_list("year", "channel_id", "region__path", "target_count"):
        cell = cells.get((row_of(path), channel_id))
        if cell is not None:
            share = shares[target_year]
            cell.target += count if share == 1 else count * share
    return Coverage(
        title=title,
        period=period,
        channels=channels,
        regions=regions,
        cells=cells,
        year=year,
        counted=counted,
        skipped=len(rows) - len(counted),
        shares=shares,
    )


def campaign_coverage(campaign):
    """Return the Coverage of ``campaign``'s events: rows for its own regions (each with its
    children; the counties when it names none), targets for its period."""
    chosen = list(campaign.regions.all())
    return coverage(
        OutreachEvent.objects.filter(campaign=campaign),
        year=campaign.start_date.year,
        title=campaign.title,
        period=campaign.period,
        regions=scope_regions(chosen) if chosen else None,
        target_shares=target_shares(campaign.start_date, campaign.end_date),
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


def measures_of(cov):
    """Return the measures the report shows: scans only when any material was scanned."""
    if cov.grand_total().scans:
        return MEASURES
    return [m for m in MEASURES if m[0] != "scans"]


@dataclass
class ReportTable:
    """The report's table: two heading rows, a row per region, totals, targets, gap and
    completion; ``merges`` and ``bold_rows`` as website.core.tabular.write_form takes them."""

    rows: list
    merges: list
    bold_rows: list


def _target(value):
    # Prorated targets are shown to one decimal; whole ones stay whole.
    return value if isinstance(value, int) else round(value, 1)


def report_table(cov):
    """Return the report's ReportTable in the shape reported upward: a two-row heading
    (channel, then measure), a row per region, a totals row, then per channel the target
    for the period, the gap and the share of the target held (a number, shown as a
    percentage)."""
    measures = measures_of(cov)
    size = len(measures)
    head1, head2 = [_("地区")], [""]
    for channel in cov.channels:
        head1 += [f"进{channel.name}"] + [""] * (size - 1)
        head2 += [label for _, label in measures]
    head1 += [_("合计")] + [""] * (size - 1)
    head2 += [label for _, label in measures]
    rows = [head1, head2]
    groups = len(cov.channels) + 1
    merges = [(1, 1, 2, 1)] + [
        (1, 2 + g * size, 1, 1 + (g + 1) * size) for g in range(groups) if size > 1
    ]

    def figures(cell):
        return [getattr(cell, key) for key, _ in measures]

    for region, cells, total in cov.rows():
        row = [getattr(region, "row_label", region.name)]
        for cell in cells:
            row += figures(cell)
        rows.append(row + figures(total))
    total_row = [_("合计")]
    for cell in cov.totals():
        total_row += figures(cell)
    rows.append(total_row + figures(cov.grand_total()))
    bold_rows = [0, 1, len(rows) - 1]

    whole_year = cov.shares == {cov.year: 1}
    every = cov.totals() + [cov.grand_total()]
    for label, value in (
        (
            _("年度目标场次") if whole_year else _("本期目标场次（折算）"),
            lambda c: _target(c.target),
        ),
        (_("距目标差"), lambda c: _target(max(0, c.target - c.events))),
        (_("完成率"), lambda c: tabular.percent(c.events / c.target if c.target else None)),
    ):
        line = [label]
        for cell in every:
            line += [value(cell)] + [""] * (size - 1)
        if size > 1:
            number = len(rows) + 1
            merges += [(number, 2 + g * size, number, 1 + (g + 1) * size) for g in range(groups)]
        rows.append(line)
    return ReportTable(rows=rows, merges=merges, bold_rows=bold_rows)


def _plain(value):
    if isinstance(value, tabular.Figure):
        return (
            f"{value.value * 100:.1f}%" if value.number_format == tabular.PERCENT else value.value
        )
    return value


def export_csv(cov):
    """Return the report as CSV text with a BOM: the title and period, then the table."""
    head = [
        [_("%(title)s 七进活动情况统计表") % {"title": cov.title}],
        [
            _("活动期间：%(period)s") % {"period": cov.period},
            "",
            _("统计时间：%(now)s") % {"now": local_time(timezone.now())},
        ],
    ]
    body = [[_plain(v) for v in row] for row in report_table(cov).rows]
    return tabular.csv_text(head + body)


def period_label(start, end):
    """Return a campaign's period as a file or a title names it: 2026年11月 for a month
    (or part of one), 2026年5月15日 for a day, 2026年5月至6月, 2026年12月至2027年1月."""
    if start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year}年{start.month}月"
    if start.year == end.year:
        return f"{start.year}年{start.month}月至{end.month}月"
    return f"{start.year}年{start.month}月至{end.year}年{end.month}月"


def report_name(campaign):
    """Return the report's title as an office names it: the period, the campaign's regions
    (unless its title names them) and its title without a leading year, e.g.
    2026年11月岳麓区防范非法集资宣传月."""
    core = re.sub(r"^\s*\d{4}\s*年(度)?\s*", "", campaign.title).strip() or campaign.title
    places = "".join(r.name for r in campaign.regions.order_by("path") if r.name not in core)
    return f"{period_label(campaign.start_date, campaign.end_date)}{places}{core}"


def report_filename(campaign):
    """Return the download's name: 2026年11月岳麓区防范非法集资宣传月统计报表.xlsx."""
    name = re.sub(r'[\\/:*?"<>|\s]+', "", report_name(campaign))
    return f"{name}{_('统计报表')}.xlsx"


def report_ascii_filename(campaign):
    """Return the name for clients that cannot take a Chinese one."""
    return f"outreach-report-{campaign.pk}-{campaign.start_date:%Y-%m}.xlsx"


EVENT_COLUMNS = [
    _l("序号"),
    _l("日期"),
    _l("时间"),
    _l("活动名称"),
    _l("场所"),
    _l("渠道"),
    _l("地区"),
    _l("重点人群"),
    _l("状态"),
    _l("参与人数"),
    _l("发放资料(份)"),
]


def events_table(cov, events):
    """Return the events sheet's rows: a heading, then one row per event the report counts
    (``events`` in date order), a totals row at the end. Scans are a column only when the
    report has any."""
    with_scans = "scans" in dict(measures_of(cov))
    counted = set(cov.counted)
    events = [e for e in events if e.pk in counted]
    scans = shortlinks.counts("event", [e.pk for e in events]) if with_scans else {}
    codes = {code for e in events for code in e.region.path.strip("/").split("/")}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    top_level = min((r.level for r in cov.regions), default=Region.Level.COUNTY)

    def place(region):
        parts = region.path.strip("/").split("/")[top_level - 1 :]
        return "".join(names.get(code, "") for code in parts) or region.name

    head = [str(c) for c in EVENT_COLUMNS] + ([_("扫码次数")] if with_scans else [])
    rows = [head]
    attendance = materials = scanned = 0
    for number, event in enumerate(events, start=1):
        start = timezone.localtime(event.start_at)
        end = timezone.localtime(event.end_at)
        row = [
            number,
            start.date(),
            f"{start:%H:%M}-{end:%H:%M}",
            event.title,
            event.venue,
            f"进{event.channel.name}",
            place(event.region),
            "、".join(a.name for a in event.audiences.all()),
            event.get_status_display(),
            event.attendance if event.attendance is not None else "",
            event.materials_handed_out if event.materials_handed_out is not None else "",
        ]
        attendance += event.attendance or 0
        materials += event.materials_handed_out or 0
        if with_scans:
            row.append(scans[event.pk])
            scanned += scans[event.pk]
        rows.append(row)
    total = [_("合计"), "", "", _("%(n)d 场") % {"n": len(events)}, "", "", "", "", ""]
    rows.append(total + [attendance, materials] + ([scanned] if with_scans else []))
    return rows


def export_xlsx(cov, campaign=None, filing=None):
    """Return the report as XLSX bytes, a form an office sends upward as it is: the title,
    the filing lines (``filing``: a tabular.Filing), the period, scope and how targets were
    prorated; the table with borders, widths and number formats, printed landscape one page
    wide; and for a ``campaign`` a second sheet of its individual events."""
    table = report_table(cov)
    name = report_name(campaign) if campaign is not None else ""
    title = (
        _("%(name)s七进活动情况统计表") % {"name": name}
        if campaign is not None
        else _("%(title)s 七进活动情况统计表") % {"title": cov.title}
    )
    notes = [_("活动期间：%(period)s") % {"period": cov.period}]
    if campaign is not None:
        scope = "、".join(r.name for r in campaign.regions.order_by("path"))
        notes.append(
            _("统计范围：%(scope)s（含下辖地区）") % {"scope": scope}
            if scope
            else _("统计范围：全辖区各县（区）")
        )
    if cov.shares != {cov.year: 1} and campaign is not None:
        days = (campaign.end_date - campaign.start_date).days + 1
        notes.append(
            _(
                "本期目标场次 = 年度覆盖目标 × 活动天数 ÷ 全年天数（本期 %(days)d 天），保留一位小数。"
            )
            % {"days": days}
        )
    if cov.skipped:
        notes.append(_("另有 %(n)d 场活动不在本活动地区范围内，未计入。") % {"n": cov.skipped})
    sheets = [
        (
            _("统计表"),
            table.rows,
            {
                "title": title,
                "header_rows": 2,
                "filing": filing,
                "notes": notes,
                "merges": table.merges,
                "bold_rows": table.bold_rows,
            },
        )
    ]
    if campaign is not None:
        events = (
            OutreachEvent.objects.filter(campaign=campaign)
            .select_related("channel", "region")
            .prefetch_related("audiences")
            .order_by("start_at", "pk")
        )
        rows = events_table(cov, events)
        sheets.append(
            (
                _("活动明细"),
                rows,
                {
                    "title": _("%(name)s七进活动明细表") % {"name": name},
                    "filing": filing,
                    "notes": notes[:2],
                    "bold_rows": [0, len(rows) - 1],
                    "label_columns": 2,
                },
            )
        )
    return tabular.form_xlsx(sheets)


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
                text=f"{cell.events} / {_target(cell.target)}" if cell.target else str(cell.events),
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
        _("进%(channel)s：已举办 %(events)d 场，目标 %(target)s 场")
        % {"channel": channel.name, "events": cell.events, "target": _target(cell.target)}
        for channel, cell in zip(channels, totals, strict=True)
    )
