"""Report tables: what the admin pages show and what CSV/XLSX exports contain, built once
from the statistics in ``stats`` so screen and export can never disagree."""

import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quiz import stats
from website.core import tabular
from website.core.admin_views import local_time
from website.core.charts import BAR, Bar, row_chart

SUPPRESSED = "—"


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list = field(default_factory=list)
    chart: object = None
    note: str = ""
    verdict: object = None  # the whole test's α in words (题目分析)
    items: list = field(default_factory=list)  # (ItemStats, advice) of the ranked list


class Figure:
    """A number in a report: shown as text on screen and in CSV, written to XLSX as a number
    with a number format (a percentage stays a number Excel can sum and chart)."""

    def __init__(self, value, text, number_format):
        self.value = value
        self.text = text
        self.number_format = number_format

    def __str__(self):
        return self.text

    def __repr__(self):
        return f"Figure({self.value!r}, {self.text!r})"


class Span:
    """An interval: one column on screen ("12.3%–45.6%"), two numeric columns in XLSX."""

    def __init__(self, low, high, text, number_format):
        self.low = low
        self.high = high
        self.text = text
        self.number_format = number_format

    def __str__(self):
        return self.text


PERCENT = "0.0%"
SIGNED_PERCENT = "+0.0%;-0.0%;0.0%"
DECIMAL = "0.00"


def pct(value, digits=1):
    if value is None:
        return SUPPRESSED
    return Figure(value, f"{value * 100:.{digits}f}%", PERCENT)


def num(value, digits=2):
    if value is None:
        return SUPPRESSED
    return Figure(value, f"{value:.{digits}f}", DECIMAL)


def interval_text(interval):
    if interval is None:
        return SUPPRESSED
    low, high = interval
    return Span(low, high, f"{low * 100:.1f}%–{high * 100:.1f}%", PERCENT)


def points(value):
    """A difference of two proportions, in percentage points."""
    if value is None:
        return SUPPRESSED
    return Figure(value, _("%(d)+.1f 个百分点") % {"d": value * 100}, SIGNED_PERCENT)


def points_interval(low, high):
    return Span(low, high, f"{low * 100:+.1f} 至 {high * 100:+.1f}", SIGNED_PERCENT)


def cell_table(key, title, cells, first_header, indent=False):
    headers = [first_header, _("参与人次"), _("平均得分"), _("达标率"), _("达标率 95% 区间")]
    table = Table(key, title, headers)
    for c in cells:
        label = ("\u3000" * max(c.level - 1, 0) + c.label) if indent else c.label
        table.rows.append(
            [
                label,
                c.shown_n if c.shown_n is not None else SUPPRESSED,
                pct(c.mean_score),
                pct(c.pass_rate),
                interval_text(c.interval),
            ]
        )
    table.chart = row_chart(
        [(c.label, c.pass_rate, *(c.interval or (None, None))) for c in cells if c.n or not indent],
        title=_("%(t)s：达标率及 95%% 区间") % {"t": title},
        domain=(0.0, 1.0),
        percent=True,
        axis_label=_("达标率（横线为 95% 区间）"),
    )
    table.note = _("参与人次少于 %(n)d 的格子不显示数值（“—”），以免个人情况被推断。") % {
        "n": cells[0].min_count if cells else stats.DEFAULT_MIN_COUNT
    }
    return table


def overview_tables(attempts, min_count):
    return [
        cell_table("audience", _("按人群"), stats.by_audience(attempts, min_count), _("人群")),
        cell_table(
            "region", _("按地区（含下级）"), stats.by_region(attempts, min_count), _("地区"), True
        ),
        cell_table("week", _("按周"), stats.by_week(attempts, min_count), _("周")),
    ]


STEM_CHARS = 20
BAND_COLOURS = {"negative": "#b42318", "poor": "#b54708", "fair": "#8a8a8a", "good": BAR}


def _band(d):
    if d is None:
        return "fair"
    if d < 0:
        return "negative"
    if d < stats.POOR_DISCRIMINATION:
        return "poor"
    if d < stats.WEAK_DISCRIMINATION:
        return "fair"
    return "good"


def _question_label(question):
    return f"{question.code} {question.stem}"


def item_tables(items, alpha, attempts_n=0):
    """Return the tables of the 题目分析 page: the whole test (α with its verdict), the
    questions worth fixing (ranked), every question, and the choice shares."""
    verdict = stats.alpha_verdict(alpha, attempts_n)
    summary = Table("alpha", _("整套题"), [_("指标"), _("数值"), _("评价"), _("怎么办")])
    summary.rows.append([_("Cronbach's α（内部一致性）"), num(alpha), verdict.text, verdict.advice])
    summary.rows.append([_("完成答题人次"), attempts_n, "", ""])
    summary.rows.append([_("题目数"), len(items), "", ""])
    summary.verdict = verdict

    fixing = stats.worth_fixing(items)
    flagged = Table(
        "fix",
        _("值得修改的题目（按修改的收益排序）"),
        [
            _("顺序"),
            _("编号"),
            _("题干"),
            _("作答次数"),
            _("答对率"),
            _("区分度"),
            _("问题与建议"),
        ],
    )
    for n, (item, advice) in enumerate(fixing, start=1):
        flagged.rows.append(
            [
                n,
                item.question.code,
                item.question.stem,
                item.responses,
                pct(item.facility),
                num(item.discrimination),
                str(advice),
            ]
        )
    flagged.items = fixing
    flagged.note = _(
        "只列出至少 %(n)d 人作答过的题：作答更少时区分度起伏很大，容易误判。先改排在前面的："
        "区分度为负的最要紧，其次是区分度很弱的，最后是太容易或太难的。"
    ) % {"n": stats.MIN_FLAG_ANSWERS}

    questions = Table(
        "items",
        _("逐题分析"),
        [
            _("编号"),
            _("题干"),
            _("作答次数"),
            _("其中纸质答卷"),
            _("答对率（难度系数）"),
            _("难度"),
            _("区分度"),
            _("区分度评价"),
        ],
    )
    choices = Table(
        "choices", _("选项分布"), [_("编号"), _("选项"), _("正确"), _("选择次数"), _("占比")]
    )
    for item in items:
        questions.rows.append(
            [
                item.question.code,
                item.question.stem,
                item.responses,
                item.paper_n + item.tally_n,
                pct(item.facility),
                str(item.difficulty_words),
                num(item.discrimination),
                str(item.discrimination_words),
            ]
        )
        for choice, count, share in item.choices:
            choices.rows.append(
                [
                    item.question.code,
                    choice.text,
                    _("是") if choice.is_correct else "",
                    count,
                    pct(share),
                ]
            )
    # Lowest first: the questions to look at sit at the top of the chart.
    ordered = sorted(
        items,
        key=lambda i: (
            i.discrimination is None or i.n < stats.MIN_ITEM_RESPONSES,
            i.discrimination or 0,
        ),
    )
    questions.chart = row_chart(
        [
            Bar(
                _question_label(i.question),
                i.discrimination if i.n >= stats.MIN_ITEM_RESPONSES else None,
                colour=BAND_COLOURS[_band(i.discrimination)],
                tip=_question_label(i.question),
            )
            for i in ordered
        ],
        title=_("各题区分度，从低到高（虚线为 0.3；红色为负，橙色低于 0.2）"),
        domain=(-1.0, 1.0),
        reference=stats.WEAK_DISCRIMINATION,
        percent=False,
        label_width=280,
        label_chars=STEM_CHARS,
        axis_label=_("区分度（−1 到 1，越高越能分出懂与不懂）"),
    )
    return [summary, flagged, questions, choices]


def choice_chart(item):
    """A small chart of who chose what for one question, the right choices marked."""
    return row_chart(
        [
            Bar(
                f"{choice.text}{_('（正确）') if choice.is_correct else ''}",
                share,
                colour=BAR if choice.is_correct else "#8a8a8a",
                text=f"{share * 100:.0f}%（{count}）",
            )
            for choice, count, share in item.choices
        ],
        title=_("%(q)s：各选项被选比例") % {"q": _question_label(item.question)[:40]},
        domain=(0.0, 1.0),
        percent=True,
        label_width=280,
        label_chars=STEM_CHARS,
        axis_label=_("选择这一项的人占作答人次的比例"),
    )


def effect_table(effect):
    table = Table(
        "effect",
        _("宣传前后认知率对比"),
        [
            _("人群"),
            _("宣传前人次"),
            _("宣传前达标率"),
            _("宣传期间人次"),
            _("宣传期间达标率"),
            _("变化"),
            _("变化 95% 区间（百分点）"),
            _("结论"),
        ],
    )
    chart_rows = []
    for c in (effect.target, effect.comparison):
        diff = c.difference
        table.rows.append(
            [
                c.label,
                c.before_n,
                pct(c.before_rate) if c.enough else SUPPRESSED,
                c.during_n,
                pct(c.during_rate) if c.enough else SUPPRESSED,
                SUPPRESSED if diff is None else points(diff[0]),
                SUPPRESSED if diff is None else points_interval(diff[1], diff[2]),
                str(c.verdict),
            ]
        )
        d, low, high = diff or (None, None, None)
        text = None if d is None else _("%(d)+.0f 个百分点") % {"d": d * 100}
        chart_rows.append(Bar(c.label, d, low, high, text=text))
    table.chart = row_chart(
        chart_rows,
        title=_("认知率变化及 95% 区间（Newcombe 法）"),
        domain=(-0.5, 0.5),
        reference=0.0,
        bars=False,
        percent=True,
        axis_label=_("认知率的变化（0 右侧为提升，左侧为下降；横线为 95% 区间）"),
    )
    table.note = str(effect.summary)
    return table


def _expand(table):
    """Return the header and rows of ``table`` as they go into XLSX, and the number format of
    each numeric cell ({(row, column): format}, 0-based, row 0 the header): an interval
    column becomes two (low, high)."""
    spans = {c for row in table.rows for c, value in enumerate(row) if isinstance(value, Span)}
    header = []
    for c, h in enumerate(map(str, table.headers)):
        header += [_("%(h)s 下限") % {"h": h}, _("%(h)s 上限") % {"h": h}] if c in spans else [h]
    rows, formats = [header], {}
    for r, row in enumerate(table.rows, start=1):
        out = []
        for c, value in enumerate(row):
            if isinstance(value, Span):
                formats[(r, len(out))] = formats[(r, len(out) + 1)] = value.number_format
                out += [value.low, value.high]
            elif isinstance(value, Figure):
                formats[(r, len(out))] = value.number_format
                out.append(value.value)
            elif c in spans:
                out += [value, value]
            else:
                out.append(value if isinstance(value, int | float) or value is None else str(value))
        rows.append(out)
    return rows, formats


def xlsx_bytes(tables):
    """Return ``tables`` as an XLSX workbook, a sheet each: percentages and indices are
    numbers with a number format, the header bold, the columns wide enough to read."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheets, formats = [], {}
    for t in tables:
        # Excel refuses / \ ? * [ ] : in a sheet's name; the full-width slash reads the same.
        title = re.sub(r"[\\*?:\[\]]", "-", str(t.title).replace("/", "／"))[:31]
        rows, formats[title] = _expand(t)
        sheets.append((title, rows))

    def decorate(sheet, rows):
        for (r, c), number_format in formats[sheet.title].items():
            sheet.cell(row=r + 1, column=c + 1).number_format = number_format
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for c in range(max((len(row) for row in rows), default=0)):
            longest = max((len(str(row[c])) for row in rows if c < len(row)), default=4)
            sheet.column_dimensions[get_column_letter(c + 1)].width = min(max(longest * 2, 8), 60)
        sheet.freeze_panes = "A2"

    return tabular.xlsx_bytes(sheets, decorate=decorate)


def export_response(tables, fmt, basename):
    """Return a download of ``tables``: CSV (one after another, each under its title) or
    XLSX (a sheet each)."""
    name = f"{basename}-{local_time(timezone.now(), '%Y%m%d-%H%M')}.{fmt}"
    if fmt == "xlsx":
        return tabular.xlsx_response(xlsx_bytes(tables), name)
    rows = []
    for n, t in enumerate(tables):
        if n:
            rows.append([])
        rows += [[t.title], t.headers, *t.rows]
    return tabular.csv_response(rows, name)
