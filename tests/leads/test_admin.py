"""The ledger in the admin: leads entered by staff, filings by a region's 网格员 for their own
region only, tip-offs turned into leads, and nothing for those without the permission."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from tests.factories import logged_in, staff
from tests.leads import factories as lf
from website.leads.models import Lead, ScreeningFiling
from website.tipoffs.models import Department, Report

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper():
    return staff("keeper", "风险线索管理")


def lead_form(**overrides):
    data = {
        "period": "2026-11",
        "region": lf.region().pk,
        "firm_name": "示范养老服务有限公司",
        "industry": "养老服务",
        "scheme": "养老床位认购",
        "internet": "both",
        "amount": "300.00",
        "people": "60",
        "unpaid": "210.5",
        "cross_region": "",
        "measures": "约谈",
        "refund_status": "refunding",
        "refund_percent": "30",
        "outcome": "停业整改",
        "notice": "",
        "note": "",
    }
    data.update(overrides)
    return data


def test_staff_enter_a_lead_in_the_admin(keeper):
    client = logged_in(keeper)
    assert client.get("/admin/leads/ledger/new/").status_code == 200
    response = client.post("/admin/leads/ledger/new/", lead_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    lead = Lead.objects.get()
    assert lead.period == datetime.date(2026, 11, 1)
    assert lead.unpaid == Decimal("210.50")
    assert lead.created_by == keeper
    listing = client.get("/admin/leads/ledger/").content.decode()
    assert "示范养老服务有限公司" in listing and "300.00" in listing


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"amount": "1.005"}, "amount"),
        ({"refund_status": "", "refund_percent": "30"}, "只有“正在清退”时才填写清退比例。"),
        ({"period": "下个月"}, "请按“2026-11”的格式填写月份。"),
        ({"people": "-3"}, "people"),
        ({"firm_name": "\x00"}, "firm_name"),
    ],
)
def test_bad_lead_input_is_refused_with_a_message(keeper, overrides, field_message):
    response = logged_in(keeper).post("/admin/leads/ledger/new/", lead_form(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors
    assert field_message in form.errors or any(
        field_message in m for messages in form.errors.values() for m in messages
    )
    assert not Lead.objects.exists()


def test_the_outcome_box_suggests_the_forms_examples(keeper):
    page = logged_in(keeper).get("/admin/leads/ledger/new/").content.decode()
    assert "<datalist" in page and "正在整改并正常营业" in page and "移送公安" in page


def test_without_the_permission_there_is_no_menu_and_no_page():
    client = logged_in(staff("bianji", "编辑"))
    page = client.get("/admin/").content.decode()
    assert '"name": "leads' not in page  # the sidebar's menu data
    for url in (
        "/admin/leads/ledger/",
        "/admin/leads/screening/",
        "/admin/leads/contacts/",
        "/admin/leads-tools/screening/status/",
        "/admin/leads-tools/from-reports/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/admin/", url
    assert client.post("/admin/leads-tools/from-reports/1/").status_code == 302
    assert not Lead.objects.exists()


def test_the_keeper_sees_the_whole_menu(keeper):
    page = logged_in(keeper).get("/admin/").content.decode()
    for name in ("ledger", "export", "screening", "missing", "contacts"):
        assert f'"name": "leads-{name}"' in page
    # Turning tip-offs into leads also needs the right to see tip-offs.
    assert '"name": "leads-from-reports"' not in page


# -- filings by a region's own staff ------------------------------------------------------------
@pytest.fixture
def grid_worker():
    lf.screen_villages_under("430922")
    user = staff("wangge", "网格员")
    lf.contact("430922100201", users=[user])
    return user


def test_a_grid_worker_files_only_for_their_own_region(grid_worker):
    client = logged_in(grid_worker)
    form = client.get("/admin/leads/screening/new/").context["form"]
    assert list(form.fields["region"].queryset.values_list("code", flat=True)) == ["430922100201"]
    other = {"region": lf.region("430922100001").pk, "period": "2026-11", "nothing_found": "on"}
    response = client.post("/admin/leads/screening/new/", other)
    assert response.status_code == 200 and "region" in response.context["form"].errors
    own = {"region": lf.region("430922100201").pk, "period": "2026-11", "nothing_found": "on"}
    assert client.post("/admin/leads/screening/new/", own).status_code == 302
    filing = ScreeningFiling.objects.get()
    assert (filing.filed_by, filing.nothing_found) == (grid_worker, True)
    # A second filing for the month is refused with a message, not a database error.
    response = client.post("/admin/leads/screening/new/", own)
    assert "已经报送过了" in str(response.context["form"].errors)


def test_a_grid_worker_cannot_touch_another_regions_filing(grid_worker):
    theirs = lf.filing("430922100001")
    client = logged_in(grid_worker)
    assert client.get(f"/admin/leads/screening/edit/{theirs.pk}/").status_code == 302
    assert "桃花江社区" not in client.get("/admin/leads/screening/").content.decode()


def test_a_filing_lists_the_leads_found_but_not_with_a_zero_report(grid_worker):
    found = lf.lead(code="430922100201")
    client = logged_in(grid_worker)
    data = {
        "region": lf.region("430922100201").pk,
        "period": "2026-11",
        "nothing_found": "on",
        "leads": [found.pk],
    }
    response = client.post("/admin/leads/screening/new/", data)
    assert "leads" in response.context["form"].errors
    data.pop("nothing_found")
    data["summary"] = "走访商户 12 家，发现一家以养老床位为名吸收资金。"
    assert client.post("/admin/leads/screening/new/", data).status_code == 302
    assert list(ScreeningFiling.objects.get().leads.all()) == [found]


def test_contacts_are_listed_with_masked_numbers(keeper):
    lf.contact("430922100201", phone="13912345678", name="钱多多")
    page = logged_in(keeper).get("/admin/leads/contacts/").content.decode()
    assert "139****5678" in page and "13912345678" not in page


# -- tip-offs into the ledger ----------------------------------------------------------------------
def report(status="verifying", **fields):
    values = {
        "reference": f"JB-2026-TEST-{Report.objects.count():04d}",
        "secret_digest": "x" * 64,
        "what_happened": "有人在社区推销高息理财",
        "firm_name": "某某财富管理中心",
        "channel": "wechat",
        "amount_yuan": Decimal("1234567"),
        "people_count": 40,
        "region": lf.region(),
        "status": status,
    }
    values.update(fields)
    return Report.objects.create(**values)


@pytest.fixture
def converter(keeper):
    keeper.user_permissions.add(
        Permission.objects.get(content_type__app_label="tipoffs", codename="view_report")
    )
    return logged_in(keeper)


def test_a_report_taken_up_becomes_a_prefilled_lead_once(converter, keeper):
    police = Department.objects.get_or_create(name="公安机关")[0]
    taken_up = report(status="transferred", department=police)
    assert "某某财富管理中心" in converter.get("/admin/leads-tools/from-reports/").content.decode()
    response = converter.post(f"/admin/leads-tools/from-reports/{taken_up.pk}/")
    lead = Lead.objects.get()
    assert response["Location"] == f"/admin/leads/ledger/edit/{lead.pk}/"
    assert (lead.source_report, lead.firm_name, lead.region) == (
        taken_up,
        "某某财富管理中心",
        lf.region(),
    )
    assert (lead.amount, lead.people, lead.internet) == (Decimal("123.46"), 40, "online")
    assert (lead.outcome, lead.created_by) == ("移送公安", keeper)
    assert taken_up.reference in lead.note
    assert taken_up.reference in converter.get("/admin/leads/ledger/").content.decode()
    # Twice is still one lead, and the report leaves the list.
    converter.post(f"/admin/leads-tools/from-reports/{taken_up.pk}/")
    assert Lead.objects.count() == 1
    assert (
        "某某财富管理中心" not in converter.get("/admin/leads-tools/from-reports/").content.decode()
    )


def test_a_report_still_at_intake_or_a_duplicate_cannot_become_a_lead(converter):
    fresh = report(status="received")
    duplicate = report(duplicate_of=report())
    for item in (fresh, duplicate):
        response = converter.post(f"/admin/leads-tools/from-reports/{item.pk}/")
        assert response["Location"] == "/admin/leads-tools/from-reports/"
    assert converter.post("/admin/leads-tools/from-reports/999999/").status_code == 302
    assert not Lead.objects.exists()
    assert converter.get(f"/admin/leads-tools/from-reports/{fresh.pk}/").status_code == 405
