"""Report tables: what the admin pages show and what CSV/XLSX exports contain, built once
from the statistics in ``stats`` so screen and export can never disagree."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from quiz import stats
from website.core import tabular
from website.core.admin_views import local_time
from website.core.charts import row_chart

SUPPRESSED = "—"


@dataclass
class Table:
    key: str
    title: str
    headers: list
    rows: list = field(default_factory=list)
    chart: object = None
    note: str = ""


def pct(value, digits=1):
    return SUPPRESSED if value is None else f"{value * 100:.{digits}f}%"


def num(value, digits=2):
    return SUPPRESSED if value is None else f"{value:.{digits}f}"


def interval_text(interval):
    return SUPPRESSED if interval is None else f"{interval[0] * 100:.1f}%–{interval[1] * 100:.1f}%"


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


def item_tables(items, alpha):
    summary = Table("alpha", _("整套题"), [_("指标"), _("数值")])
    summary.rows.append([_("Cronbach's α（内部一致性）"), num(alpha)])
    summary.rows.append([_("题目数"), len(items)])
    questions = Table(
        "items",
        _("逐题分析"),
        [
            _("编号"),
            _("题干"),
            _("作答次数"),
            _("其中纸质答卷"),
            _("难度系数（答对率）"),
            _("区分度"),
            _("问题"),
        ],
    )
    choices = Table(
        "choices", _("选项分布"), [_("编号"), _("选项"), _("正确"), _("选择次数"), _("占比")]
    )
    for item in items:
        questions.rows.append(
            [
                item.question.code,
                item.question.stem[:60],
                item.responses,
                item.paper_n + item.tally_n,
                pct(item.facility),
                num(item.discrimination),
                "；".join(str(f) for f in item.flags),
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
    questions.chart = row_chart(
        [(i.question.code, i.discrimination, None, None) for i in items],
        title=_("各题区分度（虚线为 0.3）"),
        domain=(-1.0, 1.0),
        reference=stats.WEAK_DISCRIMINATION,
        percent=False,
    )
    return [summary, questions, choices]


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
            _("变化（百分点）"),
            _("变化 95% 区间"),
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
                SUPPRESSED if diff is None else f"{diff[0] * 100:+.1f}",
                SUPPRESSED if diff is None else f"{diff[1] * 100:+.1f} 至 {diff[2] * 100:+.1f}",
                str(c.verdict),
            ]
        )
        chart_rows.append((c.label, *(diff or (None, None, None))))
    table.chart = row_chart(
        chart_rows,
        title=_("认知率变化及 95% 区间（Newcombe 法）"),
        domain=(-0.5, 0.5),
        reference=0.0,
        bars=False,
        percent=True,
    )
    table.note = str(effect.summary)
    return table


def export_response(tables, fmt, basename):
    """Return a download of ``tables``: CSV (one after another, each under its title) or
    XLSX (a sheet each)."""
    name = f"{basename}-{local_time(timezone.now(), '%Y%m%d-%H%M')}.{fmt}"
    if fmt == "xlsx":
        return tabular.xlsx_response([(t.title, [t.headers, *t.rows]) for t in tables], name)
    rows = []
    for n, t in enumerate(tables):
        if n:
            rows.append([])
        rows += [[t.title], t.headers, *t.rows]
    return tabular.csv_response(rows, name)
