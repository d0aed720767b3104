"""The 统计表 download in seed 002's form, read back with openpyxl: title and 填报单位 line,
the two header rows, the leads as numbers with two decimals, the totals on the "*" columns,
the signature line, borders, widths and the print set-up."""

import datetime
import io
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import logged_in, staff
from tests.leads import factories as lf
from website.leads import ledger_form
from website.leads.models import LeadSettings

pytestmark = pytest.mark.django_db
OCT = datetime.date(2026, 10, 1)


@pytest.fixture
def keeper():
    return logged_in(staff("keeper", "风险线索管理"))


@pytest.fixture
def november():
    config = LeadSettings.load()
    config.filing_unit = "桃花江镇处非办"
    config.preparer, config.head, config.phone = "王芳", "李强", "0737-1234567"
    config.save()
    return [
        lf.lead(
            firm_name="甲养老服务有限公司",
            amount=Decimal("100.10"),
            unpaid=Decimal("50"),
            people=12,
            refund_status="refunding",
            refund_percent=Decimal("40"),
        ),
        lf.lead(
            firm_name="乙农业合作社",
            amount=Decimal("0.25"),
            unpaid=Decimal("0.25"),
            people=3,
            code="430922100001",
            cross_region=True,
            internet="offline",
        ),
    ]


def download(client, **params):
    response = client.get("/admin/leads-tools/export/", params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return response, load_workbook(io.BytesIO(response.content)).active


def test_the_form_reads_back_with_values_totals_and_lines(keeper, november):
    lf.lead(period=OCT, firm_name="不在本月的公司")
    response, sheet = download(keeper, start="2026-11")
    assert sheet["A1"].value == "镇（乡）、行业领域重点风险线索统计表"
    assert sheet["A2"].value == "填报单位：桃花江镇处非办"
    assert sheet["F2"].value == "统计期间：2026年11月"
    assert sheet["K2"].value == "单位：人、万元"
    # Two header rows as the form has them.
    assert [sheet.cell(3, c).value for c in (1, 2, 10, 14)] == [
        "序号",
        "风险情况",
        "工作情况",
        "备注",
    ]
    assert [sheet.cell(4, c).value for c in range(2, 14)] == [
        "企业名称",
        "所属行业",
        "集资模式",
        "是否通过互联网",
        "涉及金额",
        "涉及人数",
        "未兑付资金",
        "是否跨省、市",
        "采取的工作措施",
        "资金清退情况",
        "处理结果",
        "省际间风险通报情况",
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A1:N1", "A3:A4", "B3:I3", "J3:M3", "N3:N4"} <= merged
    # The leads, in tree order of their villages, numbers as numbers with two decimals.
    first, second = 5, 6
    assert sheet.cell(first, 2).value == "乙农业合作社"  # 桃花江社区 sorts before 花果山村
    assert sheet.cell(second, 2).value == "甲养老服务有限公司"
    assert [sheet.cell(first, c).value for c in (1, 5, 9)] == [1, "线下", "是"]
    assert sheet.cell(second, 6).value == pytest.approx(100.10)
    assert sheet.cell(second, 11).value == "正在清退（已清退40.00%）"
    assert sheet.cell(second, 14).value == "花果山村"
    for col in (6, 7, 8):
        assert isinstance(sheet.cell(second, col).value, (int, float))
        assert sheet.cell(second, col).number_format == "0.00"
    # 合计 on the columns the form marks with "*".
    total = 7
    assert sheet.cell(total, 1).value == "合计"
    assert sheet.cell(total, 6).value == pytest.approx(100.35)
    assert sheet.cell(total, 7).value == pytest.approx(15)
    assert sheet.cell(total, 8).value == pytest.approx(50.25)
    assert sheet.cell(total, 6).number_format == "0.00"
    assert sheet.cell(total + 1, 2).value is None  # October's lead left out
    # The signature line.
    signed = [sheet.cell(total + 2, c).value for c in (1, 5, 9, 12)]
    today = timezone.localdate()
    assert signed[:3] == ["填报人：王芳", "负责人：李强", "电话：0737-1234567"]
    assert signed[3].startswith(f"填报日期：{today.year}年")
    # Borders round every cell of the table, widths set.
    assert all(sheet.cell(r, c).border.left.style == "thin" for r in (3, 5, 7) for c in (1, 14))
    assert sheet.column_dimensions["B"].width == 22


def test_the_form_prints_landscape_one_page_wide(keeper, november):
    _response, sheet = download(keeper, start="2026-11")
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows == "$3:$4"


def test_the_download_has_a_chinese_name_with_the_period(keeper, november):
    response, _sheet = download(keeper, start="2026-09", end="2026-11")
    disposition = response["Content-Disposition"]
    assert 'filename="risk-leads-2026-09_2026-11.xlsx"' in disposition
    assert (
        "filename*=UTF-8''" + quote("重点风险线索统计表_2026年9月至2026年11月.xlsx") in disposition
    )


def test_a_range_adds_each_leads_month_to_the_remark(keeper, november):
    lf.lead(period=OCT, firm_name="十月的公司", amount=Decimal("1.00"), unpaid=Decimal("1.00"))
    _response, sheet = download(keeper, start="2026-10", end="2026-11")
    assert sheet.cell(5, 2).value == "十月的公司"
    assert sheet.cell(5, 14).value == "花果山村；2026年10月"
    assert sheet.cell(8, 1).value == "合计"
    assert sheet.cell(8, 6).value == pytest.approx(101.35)


def test_an_empty_month_still_gives_the_form_with_zero_totals():
    data = ledger_form.build([], lf.NOV, lf.NOV, ledger_form.Signature(unit="某镇"))
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(5, 2).value == "本期无重点风险线索。"
    assert sheet.cell(6, 1).value == "合计"
    assert sheet.cell(6, 6).value == 0


@pytest.mark.parametrize(
    "params",
    [
        {"start": "junk"},
        {"start": "2026-13"},
        {"start": "2026-11", "end": "2026-01"},
        {"start": "1999-01"},
        {"start": "2026-11", "region": "x"},
        {"start": "2026-11\x00"},
    ],
)
def test_bad_periods_give_the_form_back_with_a_message(keeper, params):
    response = keeper.get("/admin/leads-tools/export/", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "error-message" in response.content.decode()


def test_without_the_permission_there_is_no_export(november):
    response = logged_in(staff("editor", "编辑")).get(
        "/admin/leads-tools/export/", {"start": "2026-11"}
    )
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
