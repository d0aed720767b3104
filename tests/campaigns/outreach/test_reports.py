"""Coverage figures on a fixture, the gap to target, exports that open in openpyxl with the
right numbers, the admin report and chart, and bulk import (nothing half-imported)."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from campaigns.models import CoverageTarget, OutreachEvent
from campaigns.outreach import planning as outreach
from tests.campaigns.outreach import factories as of
from tests.campaigns.sms import factories as sms_factories
from website.core import tabular
from website.taxonomy.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture_campaign():
    """桃江县: 2 done 村组 events (30 + 50 people, 100 + 120 份), 1 done 学校 (200, 300份),
    1 planned 村组; 安化县: 1 done 社区 (40, 60份); one cancelled (ignored); targets: 桃江
    村组 3 (2 villages + 1), 安化 社区 2."""
    campaign = of.campaign(title="2026年防范非法集资宣传月")
    common = {"start": of.at(-2), "status": "done"}
    of.event(
        campaign,
        channel_name="村组",
        region="430922100201",
        attendance=30,
        materials_handed_out=100,
        **common,
    )
    of.event(
        campaign,
        channel_name="村组",
        region="430922101201",
        attendance=50,
        materials_handed_out=120,
        **common,
    )
    of.event(
        campaign,
        channel_name="学校",
        region="430922",
        attendance=200,
        materials_handed_out=300,
        **common,
    )
    of.event(campaign, channel_name="村组", region="430922100201", start=of.at(3))
    of.event(
        campaign,
        channel_name="社区",
        region="430923100201",
        attendance=40,
        materials_handed_out=60,
        **common,
    )
    of.event(
        campaign, channel_name="社区", region="430923100201", start=of.at(-2), status="cancelled"
    )
    of.event(
        None, channel_name="社区", region="430923100201", attendance=999, **common
    )  # other campaign
    year = campaign.start_date.year
    CoverageTarget.objects.create(
        year=year,
        channel=of.channel("村组"),
        region=Region.objects.get(code="430922"),
        target_count=3,
    )
    CoverageTarget.objects.create(
        year=year,
        channel=of.channel("社区"),
        region=Region.objects.get(code="430923"),
        target_count=2,
    )
    return campaign


def cell(cov, code, channel):
    region = Region.objects.get(code=code)
    return cov.cells[(region.pk, of.channel(channel).pk)]


def test_coverage_figures(fixture_campaign):
    cov = outreach.campaign_coverage(fixture_campaign)
    assert [r.code for r in cov.regions] == ["430104", "430903", "430922", "430923"]
    village = cell(cov, "430922", "村组")
    assert (village.events, village.planned, village.attendance, village.materials) == (
        2,
        3,
        80,
        220,
    )
    # The yearly target of 3 held to the campaign's share of the year (31 days of 365).
    share = outreach.target_shares(fixture_campaign.start_date, fixture_campaign.end_date)[
        fixture_campaign.start_date.year
    ]
    assert village.target == pytest.approx(3 * share)
    assert village.gap == 0
    school = cell(cov, "430922", "学校")
    assert (school.events, school.attendance, school.materials, school.gap) == (1, 200, 300, 0)
    community = cell(cov, "430923", "社区")
    assert (community.events, community.attendance, community.gap) == (1, 40, 0)
    assert community.target == pytest.approx(2 * share)
    total = cov.grand_total()
    assert (total.events, total.planned, total.attendance, total.materials) == (4, 5, 320, 580)
    assert total.target == pytest.approx(5 * share)
    taojiang = cov.row_total(Region.objects.get(code="430922"))
    assert (taojiang.events, taojiang.attendance) == (3, 280)


def test_xlsx_export_opens_with_the_right_numbers(fixture_campaign):
    cov = outreach.campaign_coverage(fixture_campaign)
    book = load_workbook(io.BytesIO(outreach.export_xlsx(cov, campaign=fixture_campaign)))
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "防范非法集资宣传月" in rows[0][0]
    assert any(r[0] and fixture_campaign.period in str(r[0]) for r in rows[:6])
    top = next(i for i, r in enumerate(rows) if r[0] == "地区")
    head = rows[top]
    village_col = head.index("进村组")
    assert rows[top + 1][village_col : village_col + 3] == ["活动场次", "参与人数", "发放资料(份)"]
    by_region = {r[0]: r for r in rows[top + 2 :]}
    assert by_region["桃江县"][village_col : village_col + 3] == [2, 80, 220]
    total_col = head.index("合计")
    assert by_region["桃江县"][total_col : total_col + 3] == [3, 280, 520]
    assert by_region["合计"][total_col : total_col + 3] == [4, 320, 580]
    share = cov.shares[fixture_campaign.start_date.year]
    assert by_region["本期目标场次（折算）"][village_col] == round(3 * share, 1)
    assert by_region["距目标差"][village_col] == 0
    assert by_region["完成率"][village_col] == pytest.approx(2 / (3 * share))


def test_csv_export_has_the_same_table(fixture_campaign):
    text = outreach.export_csv(outreach.campaign_coverage(fixture_campaign))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    by_region = {r[0]: r for r in rows[4:]}
    col = rows[2].index("进社区")
    assert by_region["安化县"][col : col + 3] == ["1", "40", "60"]


def test_admin_report_pages_and_downloads(client, fixture_campaign):
    client.force_login(sms_factories.staff("shenhe", "审核员"))
    response = client.get(f"/admin/outreach-tools/reports/{fixture_campaign.pk}/")
    text = response.content.decode()
    assert response.status_code == 200 and "<svg" in text and "桃江县" in text
    xlsx = client.get(f"/admin/outreach-tools/reports/{fixture_campaign.pk}/export.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    load_workbook(io.BytesIO(xlsx.content))
    assert (
        client.get(f"/admin/outreach-tools/reports/{fixture_campaign.pk}/export.csv").status_code
        == 200
    )
    assert client.get("/admin/outreach-tools/reports/").status_code == 200
    coverage = client.get(
        "/admin/outreach-tools/coverage/", {"year": fixture_campaign.start_date.year}
    )
    assert "覆盖与目标差距" in coverage.content.decode()
    for junk in ("abcd", "99999", "%00"):
        assert client.get("/admin/outreach-tools/coverage/", {"year": junk}).status_code == 200


# -- import ------------------------------------------------------------------------------------
HEADER = [label for _, label in outreach.IMPORT_COLUMNS]


def row(**changes):
    values = dict(zip([k for k, _ in outreach.IMPORT_COLUMNS], outreach.EXAMPLE_ROW, strict=True))
    values.update(changes)
    return [values[k] for k, _ in outreach.IMPORT_COLUMNS]


def test_import_creates_planned_events():
    campaign = of.campaign()
    result = outreach.import_events(
        [HEADER, row(), row(title="学校宣讲", channel="进学校", contact_phone="0737-1234567")],
        campaign,
    )
    assert result.ok, result.errors
    assert OutreachEvent.objects.filter(campaign=campaign, status="planned").count() == 2
    assert OutreachEvent.objects.get(title="学校宣讲").channel.name == "学校"
    assert list(
        OutreachEvent.objects.get(title="学校宣讲").audiences.values_list("name", flat=True)
    ) == ["老年人"]


def test_import_errors_per_row_and_nothing_half_imported():
    rows = [
        HEADER,
        row(),
        row(channel="进火星"),
        row(region="999"),
        row(start="明天上午", end="2026-05-15 08:00"),
        row(contact_phone="123"),
        row(end="2026-05-15 08:00"),
        row(planned_materials="很多", audiences="外星人"),
    ]
    result = outreach.import_events(rows)
    assert not result.ok
    errors = dict(result.errors)
    assert set(errors) == {3, 4, 5, 6, 7, 8}
    assert "渠道“进火星”不存在" in errors[3]
    assert "地区代码“999”不存在" in errors[4]
    assert "开始时间格式" in errors[5]
    assert "电话号码格式不对" in errors[6]
    assert "结束时间必须晚于开始时间" in errors[7]
    assert "整数" in errors[8] and "外星人" in errors[8]
    assert not OutreachEvent.objects.exists()


def test_import_missing_columns_and_bad_files():
    result = outreach.import_events([["活动名称"], ["x"]])
    assert not result.ok and "缺少列" in result.errors[0][1]
    with pytest.raises(tabular.FileError, match="只能导入 .csv 或 .xlsx"):
        tabular.read_table("events.txt", b"")
    with pytest.raises(tabular.FileError, match="Excel"):
        tabular.read_table("events.xlsx", b"not a zip")


def test_import_view_with_xlsx_and_template(client):
    client.force_login(sms_factories.staff("bianji", "编辑"))
    template = client.get("/admin/outreach-tools/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == HEADER
    book = Workbook()
    book.active.append(HEADER)
    book.active.append(row(title="导入的活动"))
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "events.xlsx"
    response = client.post("/admin/outreach-tools/import/", {"file": data})
    assert "已导入 1 场活动" in response.content.decode()
    assert OutreachEvent.objects.filter(title="导入的活动").exists()
    bad = io.BytesIO(
        "\ufeff".join(["", ",".join(HEADER) + "\n" + ",".join(row(region="1")) + "\n"]).encode()
    )
    bad.name = "events.csv"
    response = client.post("/admin/outreach-tools/import/", {"file": bad})
    assert "地区代码“1”不存在" in response.content.decode()
    assert OutreachEvent.objects.count() == 1
    csv_template = client.get("/admin/outreach-tools/import/template.csv")
    assert csv_template.content.decode().lstrip("\ufeff").startswith("活动名称")


def test_the_export_names_the_campaigns_own_length_across_a_leap_year():
    """29 February counts: 1 July 2027 to 31 December 2028 is 550 days, not the 549 that the
    summed year shares × 365 would give."""
    campaign = of.campaign(
        title="跨年宣传", start=datetime.date(2027, 7, 1), end=datetime.date(2028, 12, 31)
    )
    cov = outreach.campaign_coverage(campaign)
    rows = load_workbook(io.BytesIO(outreach.export_xlsx(cov, campaign=campaign))).active
    text = " ".join(str(c) for r in rows.iter_rows(values_only=True) for c in r if c)
    assert "本期 550 天" in text
