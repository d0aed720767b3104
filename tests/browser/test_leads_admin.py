"""The ledger in headless Chromium: a grid worker files the month's 零报送 in the admin, and
the keeper sees on the status page who is still missing, then enters a lead whose outcome box
suggests the form's examples."""

import pytest
from playwright.sync_api import expect

from tests.factories import staff
from tests.leads import factories as lf
from website.leads.models import Lead, ScreeningFiling, current_period

# The region picker shows each region's full path.
VILLAGE = "湖南省 › 益阳市 › 桃江县 › 桃花江镇 › 花果山村"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_zero_report_filed_in_the_admin_leaves_the_missing_list(
    staff_page, live_server, screenshot
):
    lf.screen_villages_under("430922")
    worker = staff("wangge", "网格员")
    lf.contact("430922100201", phone="13900000002", name="彭志刚", users=[worker])
    lf.contact("430922101201", phone="13900000003", name="龚丽华")
    keeper = staff("keeper", "风险线索管理")

    page = staff_page(worker)
    page.goto(f"{live_server.url}/admin/leads/screening/new/")
    # Their own village is the only choice, chosen already.
    expect(page.locator("#id_region option:checked")).to_have_text(VILLAGE)
    page.locator("#id_nothing_found").check()
    screenshot(page, "../ledger/admin-screening-new")
    page.get_by_role("button", name="创建").click()
    page.wait_for_load_state()
    assert ScreeningFiling.objects.get().period == current_period()

    page = staff_page(keeper)
    page.goto(f"{live_server.url}/admin/leads-tools/screening/status/")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("未报送")
    expect(rows.nth(2)).to_contain_text("零报送")
    expect(page.locator("table.listing")).to_contain_text("龚丽华 139****0003")
    screenshot(page, "../ledger/admin-screening-status")

    page.goto(f"{live_server.url}/admin/leads/ledger/new/")
    page.locator("#id_firm_name").fill("示范财富管理有限公司")
    page.locator("#id_region").select_option(label=VILLAGE)
    page.locator("#id_internet").select_option(label="线上线下")
    page.locator("#id_amount").fill("88.5")
    page.locator("#id_people").fill("20")
    page.locator("#id_unpaid").fill("60")
    assert page.locator("#id_outcome_list option").count() == 3
    page.locator("#id_outcome").fill("停业整改")
    screenshot(page, "../ledger/admin-lead-new")
    page.get_by_role("button", name="创建").click()
    page.wait_for_load_state()
    lead = Lead.objects.get()
    assert (str(lead.amount), lead.period) == ("88.50", current_period())
