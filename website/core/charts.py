"""Server-drawn SVG charts for the staff reports: no JavaScript, no third-party requests, and
readable without sight (each chart has a <title> and a <desc> listing its figures, and the
pages show the same figures in a table beside it).

Two shapes cover every report:
- ``row_chart``: one labelled horizontal row per item — a bar or a dot, an optional 95 %
  interval whisker, an optional target drawn as a dashed outline, a reference line;
- ``column_chart``: one column per step of a series (a day), along a labelled axis.
"""

import hashlib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

BAR = "#2e6db4"
INK = "#1a1a1a"
MUTED = "#6b6b6b"
GRID = "#ddd"
ROW = 28
PAD = 12


@dataclass
class Bar:
    """One row of a row chart. ``value`` None draws a "too few people" note instead."""

    label: str
    value: float | None
    low: float | None = None  # an interval's ends; both or neither
    high: float | None = None
    target: float | None = None  # drawn as a dashed outline behind the bar
    colour: str = BAR
    key: str = ""  # data-bar / data-bar-label hooks for a page that updates the chart live
    text: str | None = None  # shown beside the bar; the formatted value when None
    tip: str | None = None  # the full label, as a tooltip, when the shown one is cut short


def nice_max(value):
    """Return a round number ≥ ``value`` (at least 4) for the top of a count axis."""
    if value <= 4:
        return 4
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return int(top) if top == int(top) else top
    return 10 * magnitude


def _number(value, percent):
    if percent:
        return f"{value * 100:.0f}%"
    if isinstance(value, int):
        return str(value)
    return f"{value:.2f}"


def _open(width, height, title, description, css_class, attrs=""):
    """Return the opening of an accessible SVG: role img, named by its title, described by
    its desc (ids derived from the content, so two charts on a page differ)."""
    ident = (
        "chart-" + hashlib.blake2s(f"{title}\n{description}".encode(), digest_size=4).hexdigest()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px"{attrs}>'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
    )


def _describe(rows, percent):
    parts = []
    for row in rows:
        if row.value is None:
            parts.append(_("%(label)s：样本不足") % {"label": row.label})
            continue
        text = row.text if row.text is not None else _number(row.value, percent)
        if row.low is not None and row.high is not None:
            text += _("（区间 %(low)s 至 %(high)s）") % {
                "low": _number(row.low, percent),
                "high": _number(row.high, percent),
            }
        parts.append(f"{row.label}：{text}")
    return "；".join(parts)


def row_chart(
    rows,
    title,
    description=None,
    domain=None,
    reference=None,
    bars=True,
    percent=False,
    ticks=True,
    label_width=190,
    plot_width=420,
    css_class="admin-chart",
    axis_label=None,
    label_chars=16,
):
    """Return an inline SVG (safe string) with a row per item of ``rows``: Bar objects, or
    (label, value, low, high) tuples.

    ``domain`` (low, high) fixes the scale; by default it runs from 0 to the largest value,
    target or interval end. ``reference`` draws a dashed vertical line; ``bars`` False draws
    dots (for differences around zero); ``percent`` shows values as percentages; ``ticks``
    draws five gridlines with their values. ``description`` defaults to every row's figures.
    ``axis_label`` names the value axis under the ticks. Labels longer than ``label_chars``
    are cut with "…"; the whole label (or the row's ``tip``) is then the label's tooltip and
    stays in the description, so nothing is lost to a screen reader.
    """
    rows = [row if isinstance(row, Bar) else Bar(*row) for row in rows]
    if domain is None:
        figures = [f for r in rows for f in (r.value, r.target, r.high) if f is not None]
        domain = (0, max(figures + [1]))
    lo, hi = domain
    plot_x = label_width + PAD

    def x_of(value):
        return plot_x + (max(lo, min(hi, value)) - lo) / (hi - lo) * plot_width

    axis_y = PAD + ROW * len(rows)
    height = axis_y + PAD + (ROW if ticks else 0) + (ROW if axis_label else 0)
    width = plot_x + plot_width + PAD + 60
    if description is None:
        description = _describe(rows, percent)
    parts = [
        _open(
            width,
            height,
            title,
            description,
            css_class,
            f' data-plot-x="{plot_x}" data-plot-width="{plot_width}"',
        )
    ]
    if ticks:
        for tick in range(5):
            value = lo + (hi - lo) * tick / 4
            x = x_of(value)
            parts.append(
                f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}"/>'
                f'<text x="{x:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" '
                f'fill="{MUTED}">{_number(value, percent)}</text>'
            )
    if reference is not None and lo <= reference <= hi:
        x = x_of(reference)
        parts.append(
            f'<line x1="{x:.1f}" y1="{PAD - 4}" x2="{x:.1f}" y2="{axis_y}" '
            f'stroke="{INK}" stroke-dasharray="4 3"/>'
        )
    if axis_label:
        parts.append(
            f'<text x="{plot_x + plot_width / 2:.1f}" y="{height - PAD:.1f}" font-size="12" '
            f'text-anchor="middle" fill="{INK}">{escape(axis_label)}</text>'
        )
    base = x_of(0.0)
    for i, row in enumerate(rows):
        y = PAD + ROW * i
        mid = y + ROW / 2
        label = str(row.label)
        shown_label = label if len(label) <= label_chars else label[: label_chars - 1] + "…"
        tip = row.tip or (label if shown_label != label else "")
        parts.append(
            f'<text x="{label_width}" y="{mid + 4:.1f}" font-size="12" text-anchor="end">'
            + (f"<title>{escape(tip)}</title>" if tip else "")
            + f"{escape(shown_label)}</text>"
        )
        if row.value is None:
            parts.append(
                f'<text x="{plot_x}" y="{mid + 4:.1f}" font-size="11" fill="{MUTED}">'
                f"{escape(_('样本不足，不显示'))}</text>"
            )
            continue
        key = f' data-bar="{escape(row.key)}"' if row.key else ""
        label_key = f' data-bar-label="{escape(row.key)}"' if row.key else ""
        ends = [x_of(row.value)]
        if row.target:
            target_x = x_of(row.target)
            ends.append(target_x)
            parts.append(
                f'<rect x="{min(base, target_x):.1f}" y="{y + 4}" '
                f'width="{abs(target_x - base):.1f}" height="{ROW - 8}" fill="none" '
                f'stroke="{MUTED}" stroke-dasharray="4 2"/>'
            )
        x = x_of(row.value)
        if bars:
            left, right = sorted((base, x))
            # A non-zero value is never drawn thinner than a pixel, so it does not vanish.
            size = max(right - left, 1) if row.value else 0
            parts.append(
                f'<rect x="{left:.1f}" y="{y + 4}" width="{size:.1f}" height="{ROW - 8}" '
                f'fill="{row.colour}"{key}/>'
            )
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{mid:.1f}" r="5" fill="{row.colour}"{key}/>')
        if row.low is not None and row.high is not None:
            x1, x2 = x_of(row.low), x_of(row.high)
            ends.append(x2)
            parts.append(
                f'<line x1="{x1:.1f}" y1="{mid:.1f}" x2="{x2:.1f}" y2="{mid:.1f}" '
                f'stroke="{INK}" stroke-width="2"/>'
                f'<line x1="{x1:.1f}" y1="{mid - 6:.1f}" x2="{x1:.1f}" y2="{mid + 6:.1f}" '
                f'stroke="{INK}" stroke-width="2"/>'
                f'<line x1="{x2:.1f}" y1="{mid - 6:.1f}" x2="{x2:.1f}" y2="{mid + 6:.1f}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
        shown = row.text if row.text is not None else _number(row.value, percent)
        parts.append(
            f'<text x="{max(ends) + 6:.1f}" y="{mid + 4:.1f}" font-size="11"{label_key}>'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def column_chart(
    points, title, description=None, axis_label=str, tip_label=str, width=720, height=220
):
    """Return an inline SVG (safe string): one column per (step, count) in ``points``, a
    count axis from 0 to a round number, and about eight step labels (``axis_label(step)``).
    Each drawn column carries a tooltip "``tip_label(step)``：count"; empty steps draw none.
    ``description`` defaults to the total, the number of steps and the busiest step."""
    left, right, top_pad, bottom = 52, 12, 12, 28
    plot_w = width - left - right
    plot_h = height - top_pad - bottom
    top = nice_max(max((n for _step, n in points), default=0))
    step_w = plot_w / max(len(points), 1)
    gap = 1 if step_w > 3 else 0
    if description is None:
        busiest = max(points, key=lambda p: p[1], default=None)
        description = _("共 %(steps)d 项，合计 %(total)d。") % {
            "steps": len(points),
            "total": sum(n for _step, n in points),
        }
        if busiest and busiest[1]:
            description += _("最多：%(step)s，%(n)d。") % {
                "step": tip_label(busiest[0]),
                "n": busiest[1],
            }
    parts = [_open(width, height, title, description, "admin-chart")]
    for i in range(5):
        value = top * i / 4
        y = top_pad + plot_h - plot_h * i / 4
        shown = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{shown}</text>'
        )
    label_every = max(1, round(len(points) / 8))
    for i, (step, n) in enumerate(points):
        x = left + i * step_w
        h = plot_h * n / top
        if n:
            parts.append(
                f'<rect x="{x + gap / 2:.2f}" y="{top_pad + plot_h - h:.2f}" '
                f'width="{max(step_w - gap, 0.5):.2f}" height="{h:.2f}" fill="{BAR}">'
                f"<title>{escape(tip_label(step))}：{n}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + step_w / 2:.1f}" y="{height - 8}" font-size="11" '
                f'text-anchor="middle" fill="{MUTED}">{escape(axis_label(step))}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
