"""The one chart module: server-drawn SVG that works without JavaScript, is named and
described for screen readers, and shows what each report's chart showed before."""

import datetime
import xml.etree.ElementTree as ET

import pytest

from campaigns.sms import admin_views as sms_admin
from website.core import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))


def name_and_description(svg):
    """Return the texts the chart's aria-labelledby points at."""
    root = parse(svg)
    ids = root.get("aria-labelledby").split()
    by_id = {el.get("id"): (el.text or "") for el in root.iter() if el.get("id")}
    return [by_id[i] for i in ids]


def test_a_row_chart_is_an_image_named_by_its_title_and_described_by_its_figures():
    svg = charts.row_chart(
        [("老年人", 0.5, 0.4, 0.6), ("学生", None, None, None)],
        title="按人群：达标率",
        domain=(0.0, 1.0),
        percent=True,
    )
    root = parse(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    name, description = name_and_description(svg)
    assert name == "按人群：达标率"
    assert "老年人：50%（区间 40% 至 60%）" in description
    assert "学生：样本不足" in description
    assert "<script" not in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_a_suppressed_row_draws_a_note_not_a_bar():
    svg = charts.row_chart([("学生", None, None, None)], title="t", domain=(0.0, 1.0))
    assert "样本不足，不显示" in svg and "<rect" not in svg


def test_intervals_draw_whiskers_and_references_a_dashed_line():
    svg = charts.row_chart(
        [("Q1", 0.2, -0.1, 0.5)], title="t", domain=(-1.0, 1.0), reference=0.3, bars=False
    )
    root = parse(svg)
    assert len(root.findall(f"{SVG}circle")) == 1
    lines = root.findall(f"{SVG}line")
    assert sum(1 for line in lines if line.get("stroke-dasharray")) == 1
    # Five gridlines, the reference line, and the whisker with its two end caps.
    assert len(lines) == 5 + 1 + 3


def test_targets_are_dashed_outlines_and_the_figure_sits_past_the_longer_of_bar_and_target():
    svg = charts.row_chart(
        [charts.Bar("进社区", 2, target=4, text="2 / 4")], title="t", ticks=False, plot_width=400
    )
    rects = parse(svg).findall(f"{SVG}rect")
    outline, bar = rects
    assert outline.get("fill") == "none" and outline.get("stroke-dasharray")
    assert float(outline.get("width")) == pytest.approx(400)
    assert float(bar.get("width")) == pytest.approx(200)
    figure = [t for t in parse(svg).iter(f"{SVG}text") if t.text == "2 / 4"][0]
    assert float(figure.get("x")) > float(outline.get("x")) + 400


def test_labels_are_escaped():
    svg = charts.row_chart([("<script>alert(1)</script>", 1)], title="<b>标题</b>")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert name_and_description(svg)[0] == "<b>标题</b>"


def test_two_charts_on_one_page_have_their_own_ids():
    first = parse(charts.row_chart([("a", 1)], title="按人群"))
    second = parse(charts.row_chart([("a", 1)], title="按地区"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")


def test_a_live_chart_says_where_its_bars_start_and_how_wide_the_scale_is():
    progress = dict.fromkeys(["queued", "in_flight", "submitted", "delivered", "failed"], 0)
    progress.update(submitted=30, skipped=10)
    root = parse(sms_admin.chart(progress))
    assert root.get("class") == "sms-chart"
    assert (root.get("data-plot-x"), root.get("data-plot-width")) == ("122", "230")
    bars = {r.get("data-bar"): r for r in root.iter(f"{SVG}rect")}
    assert set(bars) == {"queued", "in_flight", "submitted", "delivered", "failed", "skipped"}
    # blast-admin.js redraws with width = plot width × count / largest count.
    assert float(bars["submitted"].get("width")) == pytest.approx(230)
    assert float(bars["skipped"].get("width")) == pytest.approx(230 / 3, abs=0.1)
    assert float(bars["failed"].get("width")) == 0
    labels = {
        t.get("data-bar-label"): t for t in root.iter(f"{SVG}text") if t.get("data-bar-label")
    }
    assert labels["submitted"].text == "30"
    assert float(labels["submitted"].get("x")) == pytest.approx(122 + 230 + 6)
    assert "已提交：30" in name_and_description(sms_admin.chart(progress))[1]


def test_a_column_chart_draws_a_column_per_step_with_a_count_and_a_tooltip():
    start = datetime.date(2026, 5, 1)
    days = [(start + datetime.timedelta(days=i), n) for i, n in enumerate([3, 0, 7, 0, 0, 12])]
    svg = charts.column_chart(
        days, "每日展示次数", axis_label=lambda d: f"{d:%m-%d}", tip_label=lambda d: f"{d:%Y-%m-%d}"
    )
    root = parse(svg)
    assert len(root.findall(f"{SVG}rect")) == 3
    assert "2026-05-06：12" in svg and "05-01" in svg
    name, description = name_and_description(svg)
    assert name == "每日展示次数"
    assert "合计 22" in description and "2026-05-06，12" in description


def test_an_empty_series_still_draws_an_axis():
    root = parse(charts.column_chart([], "空"))
    assert not root.findall(f"{SVG}rect") and len(root.findall(f"{SVG}line")) == 5


@pytest.mark.parametrize(
    "value,top", [(0, 4), (3, 4), (5, 5), (7, 10), (14, 20), (23, 25), (180, 200), (999, 1000)]
)
def test_count_axes_end_on_a_round_number(value, top):
    assert charts.nice_max(value) == top
