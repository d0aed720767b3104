"""The demo's ledger month and screening: fictional firms in this month's 统计表, and this
month's filings with two villages still missing."""

import io

import pytest
from openpyxl import load_workbook

from website.demo.leads import build_demo_leads
from website.leads import ledger_form, screening
from website.leads.models import Lead, ScreeningFiling, current_period

pytestmark = pytest.mark.django_db


def test_the_demo_fills_this_months_ledger_and_leaves_two_villages_missing():
    assert build_demo_leads() == {"leads": 6, "filings": 3}
    period = current_period()
    assert Lead.objects.filter(period=period).count() == 6
    assert ScreeningFiling.objects.filter(period=period, nothing_found=True).count() == 1
    assert set(screening.missing(period).values_list("name", flat=True)) == {"竹林村", "新桥社区"}
    data = ledger_form.build(
        ledger_form.leads_in(period, period), period, period, ledger_form.Signature(unit="演示")
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(11, 1).value == "合计"
    assert sheet.cell(11, 6).value == pytest.approx(2852.20)
    assert build_demo_leads() == {"leads": 0, "filings": 0}  # once only
