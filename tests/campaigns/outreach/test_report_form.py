"""The campaign report as a form an office sends upward as it is: the filing lines from the
site settings and the user, borders, widths, print set-up, the events sheet, only the
campaign's own regions, targets for the campaign's period, numbers as numbers, and a
Chinese file name with the period."""

import datetime
import io
import re
from urllib.parse import quote

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from wagtail.models import Site

from campaigns.models import CoverageTarget
from campaigns.outreach import planning as outreach
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories as sms_factories
from website.core import tabular
from website.core.models import ReportingSettings, SiteSettings
from website.taxonomy.models import Region

pytestmark = pytest.mark.django_db

NAME = "2026年11月岳麓区防范非法集资宣传月统计报表.xlsx"


def moment(day, hour=9):
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(2026, 11, day, hour))


@pytest.fixture
def yuelu():
    """A November 2026 campaign in 岳麓区: a done 社区 event in 大学城社区 (60 people, 150
    份), a done 学校 event at 岳麓区 itself (300 people, 500 份), a planned one, and a done
    event of the same campaign in 桃江县 (outside its regions); a yearly 社区 target of 12
    for 岳麓区 and one of 5 for 桃江县."""
    campaign = of.campaign(
        title="2026年防范非法集资宣传月",
        start=datetime.date(2026, 11, 1),
        end=datetime.date(2026, 11, 30),
    )
    campaign.regions.set([Region.objects.get(code="430104")])
    campaign.save()
    of.event(
        campaign,
        channel_name="社区",
        region="430104100001",
        start=moment(10),
        status="done",
        attendance=60,
        materials_handed_out=150,
        title="大学城社区防非讲座",
    )
    of.event(
        campaign,
        channel_name="学校",
        region="430104",
        start=moment(12),
        status="done",
        attendance=300,
        materials_handed_out=500,
    )
    of.event(campaign, channel_name="社区", region="430104100001", start=moment(25))
    of.event(
        campaign,
        channel_name="社区",
        region="430922100201",
        start=moment(11),
        status="done",
        attendance=999,
    )
    community = of.channel("社区")
    CoverageTarget.objects.create(
        year=2026, channel=community, region=Region.objects.get(code="430104"), target_count=12
    )
    CoverageTarget.objects.create(
        year=2026, channel=community, region=Region.objects.get(code="430922"), target_count=5
    )
    return campaign


@pytest.fixture
def office():
    site = Site.objects.get(is_default_site=True)
    reporting = ReportingSettings.for_site(site)
    reporting.office_name = "岳麓区防范和处置非法集资工作领导小组办公室"
    reporting.save()
    settings = SiteSettings.for_site(site)
    settings.office_phone = "0731-88880000"
    settings.save()
    return site


@pytest.fixture
def download(client, yuelu, office):
    user = sms_factories.staff("shenhe", "审核员")
    user.last_name, user.first_name = "李", "四"
    user.save()
    client.force_login(user)
    response = client.get(f"/admin/outreach-tools/reports/{yuelu.pk}/export.xlsx")
    assert response.status_code == 200
    return response


def table_top(sheet):
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "地区")


def test_file_name_is_chinese_with_the_period(download, yuelu):
    disposition = download["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(NAME, safe='')}" in disposition
    assert 'filename="outreach-report-' in disposition
    assert outreach.report_filename(yuelu) == NAME


def test_filing_lines_and_title(download):
    sheet = load_workbook(io.BytesIO(download.content))["统计表"]
    assert sheet.cell(1, 1).value == "2026年11月岳麓区防范非法集资宣传月七进活动情况统计表"
    assert any(str(r).startswith("A1:") for r in sheet.merged_cells.ranges)
    above = " ".join(
        str(c.value)
        for row in sheet.iter_rows(min_row=2, max_row=table_top(sheet) - 1)
        for c in row
        if c.value
    )
    assert "填报单位：岳麓区防范和处置非法集资工作领导小组办公室" in above
    assert "填报人：李四" in above
    assert "审核人：__________" in above
    assert "联系电话：0731-88880000" in above
    assert re.search(r"填报日期：\d{4}年\d{1,2}月\d{1,2}日", above)
    assert "2026-11-01 至 2026-11-30" in above


def test_borders_widths_and_print_setup(download):
    book = load_workbook(io.BytesIO(download.content))
    for sheet in book.worksheets:
        top = table_top(sheet) if sheet.title == "统计表" else 6
        for row in sheet.iter_rows(min_row=top, max_row=sheet.max_row):
            for cell in row:
                # Inside a merged range only the range's outer edges are drawn.
                if isinstance(cell, MergedCell):
                    continue
                border = cell.border
                for side in (border.left, border.right, border.top, border.bottom):
                    assert side.style == "thin", (sheet.title, cell.coordinate)
        for col in range(1, sheet.max_column + 1):
            width = sheet.column_dimensions[get_column_letter(col)].width
            assert width and width >= 6, (sheet.title, col)
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows
    summary = book["统计表"]
    top = table_top(summary)
    assert summary.print_title_rows == f"${top}:${top + 1}"
    # A Chinese label is twice as wide as its characters.
    assert summary.column_dimensions["A"].width >= tabular.display_width("岳麓区（本级）")
    details = book["活动明细"]
    venue_col = [c.value for c in details[6]].index("活动名称") + 1
    assert details.column_dimensions[get_column_letter(venue_col)].width >= (
        tabular.display_width("大学城社区防非讲座")
    )


def test_only_the_campaigns_regions_and_prorated_targets(download):
    sheet = load_workbook(io.BytesIO(download.content))["统计表"]
    top = table_top(sheet)
    rows = [list(r) for r in sheet.iter_rows(min_row=top, values_only=True)]
    labels = [r[0] for r in rows[2:]]
    assert labels == [
        "岳麓区（本级）",
        "岳麓街道",
        "合计",
        "本期目标场次（折算）",
        "距目标差",
        "完成率",
    ]
    assert not any("桃江" in str(v) for r in rows for v in r if v)
    community = rows[0].index("进社区")
    school = rows[0].index("进学校")
    by_label = {r[0]: r for r in rows[2:]}
    assert by_label["岳麓街道"][community : community + 3] == [1, 60, 150]
    assert by_label["岳麓区（本级）"][school : school + 3] == [1, 300, 500]
    # 12 a year, for 30 days of 365: about one event, not twelve.
    assert by_label["本期目标场次（折算）"][community] == round(12 * 30 / 365, 1)
    assert by_label["完成率"][community] == pytest.approx(1 / (12 * 30 / 365))
    rate = sheet.cell(top + labels.index("完成率") + 2, community + 1)
    assert rate.number_format == "0.0%" and isinstance(rate.value, float)
    assert "另有 1 场活动不在本活动地区范围内" in " ".join(
        str(sheet.cell(r, 1).value) for r in range(2, top)
    )


def test_numbers_are_numbers(download):
    book = load_workbook(io.BytesIO(download.content))
    numeric_text = re.compile(r"^-?[\d,]+(\.\d+)?%?$")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not numeric_text.match(cell.value), (sheet.title, cell.coordinate)
                elif isinstance(cell.value, int | float):
                    assert cell.number_format != "General" or cell.value == 0, cell.coordinate


def test_events_sheet_lists_each_event(download):
    sheet = load_workbook(io.BytesIO(download.content))["活动明细"]
    head_row = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    head = [c.value for c in sheet[head_row]]
    for column in ("日期", "场所", "渠道", "地区", "重点人群", "参与人数", "发放资料(份)"):
        assert column in head
    rows = [list(r) for r in sheet.iter_rows(min_row=head_row + 1, values_only=True)]
    assert [r[0] for r in rows] == [1, 2, 3, "合计"]
    first = dict(zip(head, rows[0], strict=True))
    assert first["日期"].date() == datetime.date(2026, 11, 10)
    assert first["地区"] == "岳麓区岳麓街道大学城社区"
    assert first["渠道"] == "进社区" and first["参与人数"] == 60
    assert sheet.cell(head_row + 1, head.index("日期") + 1).number_format == "yyyy-mm-dd"
    totals = dict(zip(head, rows[-1], strict=True))
    assert (totals["参与人数"], totals["发放资料(份)"]) == (360, 650)
    assert not any("999" == str(v) for r in rows for v in r)


def test_period_labels_and_shares():
    d = datetime.date
    assert outreach.period_label(d(2026, 5, 15), d(2026, 5, 15)) == "2026年5月15日"
    assert outreach.period_label(d(2026, 5, 1), d(2026, 6, 30)) == "2026年5月至6月"
    assert outreach.period_label(d(2026, 12, 20), d(2027, 1, 5)) == "2026年12月至2027年1月"
    shares = outreach.target_shares(d(2026, 12, 22), d(2027, 1, 10))
    assert shares == {2026: pytest.approx(10 / 365), 2027: pytest.approx(10 / 365)}
    assert tabular.display_width("岳麓区ab") == 8
