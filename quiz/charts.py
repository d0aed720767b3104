"""Server-drawn SVG charts for the admin reports: no JavaScript, no third-party requests.

A row chart: one horizontal bar (or dot) per row with an optional 95 % interval whisker,
on a fixed domain, with a zero or reference line. Suppressed rows are drawn as a note.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

ROW = 26
LABEL_W = 190
PLOT_W = 420
PAD = 12
BAR = "#2e6db4"
WHISKER = "#1a1a1a"
MUTED = "#6b6b6b"


def _x(value, lo, hi):
    return LABEL_W + PAD + (value - lo) / (hi - lo) * PLOT_W


def row_chart(rows, title, domain=(0.0, 1.0), reference=None, bars=True, percent=True):
    """Return an inline SVG (safe string) for ``rows`` of (label, value, low, high).

    ``value`` None means the row is suppressed (too few people) and is drawn as a note;
    ``low``/``high`` None draws no whisker. ``reference`` draws a dashed vertical line.
    """
    lo, hi = domain
    height = PAD * 2 + ROW * (len(rows) + 1)
    width = LABEL_W + PLOT_W + PAD * 3 + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="quiz-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">',
        f"<title>{escape(title)}</title>",
    ]
    axis_y = PAD + ROW * len(rows)
    for tick in range(5):
        value = lo + (hi - lo) * tick / 4
        x = _x(value, lo, hi)
        label = f"{value * 100:.0f}%" if percent else f"{value:.2f}"
        parts.append(
            f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{axis_y}" stroke="#ddd"/>'
            f'<text x="{x:.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{label}</text>'
        )
    if reference is not None and lo <= reference <= hi:
        x = _x(reference, lo, hi)
        parts.append(
            f'<line x1="{x:.1f}" y1="{PAD - 4}" x2="{x:.1f}" y2="{axis_y}" '
            f'stroke="{WHISKER}" stroke-dasharray="4 3"/>'
        )
    base = _x(max(lo, min(hi, 0.0)), lo, hi)
    for i, (label, value, low, high) in enumerate(rows):
        y = PAD + ROW * i
        mid = y + ROW / 2
        parts.append(
            f'<text x="{LABEL_W}" y="{mid + 4:.1f}" font-size="12" text-anchor="end">'
            f"{escape(str(label)[:16])}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{LABEL_W + PAD}" y="{mid + 4:.1f}" font-size="11" fill="{MUTED}">'
                "样本不足，不显示</text>"
            )
            continue
        x = _x(max(lo, min(hi, value)), lo, hi)
        if bars:
            left, right = sorted((base, x))
            parts.append(
                f'<rect x="{left:.1f}" y="{y + 5}" width="{max(right - left, 1):.1f}" '
                f'height="{ROW - 10}" fill="{BAR}"/>'
            )
        else:
            parts.append(f'<circle cx="{x:.1f}" cy="{mid:.1f}" r="5" fill="{BAR}"/>')
        if low is not None and high is not None:
            x1 = _x(max(lo, min(hi, low)), lo, hi)
            x2 = _x(max(lo, min(hi, high)), lo, hi)
            parts.append(
                f'<line x1="{x1:.1f}" y1="{mid:.1f}" x2="{x2:.1f}" y2="{mid:.1f}" '
                f'stroke="{WHISKER}" stroke-width="2"/>'
                f'<line x1="{x1:.1f}" y1="{mid - 6:.1f}" x2="{x1:.1f}" y2="{mid + 6:.1f}" '
                f'stroke="{WHISKER}" stroke-width="2"/>'
                f'<line x1="{x2:.1f}" y1="{mid - 6:.1f}" x2="{x2:.1f}" y2="{mid + 6:.1f}" '
                f'stroke="{WHISKER}" stroke-width="2"/>'
            )
        shown = f"{value * 100:.0f}%" if percent else f"{value:.2f}"
        text_x = _x(max(lo, min(hi, high if high is not None else value)), lo, hi) + 6
        parts.append(f'<text x="{text_x:.1f}" y="{mid + 4:.1f}" font-size="11">{shown}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))
