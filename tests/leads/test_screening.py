"""Who has filed the month's screening: the list staff chase and the dashboard panel."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import logged_in, staff
from tests.leads import factories as lf
from website.leads import screening
from website.leads.models import LeadSettings, ScreeningFiling, ScreeningReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def config():
    return lf.screen_villages_under("430922")


def test_regions_that_have_not_filed_are_listed_first(config):
    lf.filing("430922100201")  # 零报送 counts as filed
    lf.filing("430922100001", period=datetime.date(2026, 10, 1))  # last month does not
    rows = screening.statuses(lf.NOV)
    assert [(r.region.name, r.filed) for r in rows] == [
        ("桃花江社区", False),
        ("石牛江村", False),
        ("花果山村", True),
    ]
    assert set(screening.missing(lf.NOV).values_list("name", flat=True)) == {
        "桃花江社区",
        "石牛江村",
    }


def test_only_regions_of_the_chosen_level_and_scope_must_file(config):
    assert screening.summary(lf.NOV)[2:] == (3, 3)
    config.screening_root = lf.region("430922100")  # 桃花江镇 only
    config.save()
    assert screening.summary(lf.NOV)[2:] == (2, 2)
    config.screening_level = 4  # townships
    config.screening_root = None
    config.save()
    assert "桃花江镇" in set(screening.missing(lf.NOV).values_list("name", flat=True))


def test_a_filing_after_the_due_day_is_late(config):
    filed = timezone.make_aware(datetime.datetime(2026, 11, 24, 9, 0))
    lf.filing("430922100201", filed_at=filed)
    row = next(r for r in screening.statuses(lf.NOV) if r.filed)
    assert row.late
    config.due_day = 25
    config.save()
    assert not next(r for r in screening.statuses(lf.NOV) if r.filed).late
    assert not ScreeningFiling.objects.get().is_late()
    client = logged_in(staff("keeper", "风险线索管理"))
    on_time = client.get("/admin/leads/screening/").content.decode().count("逾期")
    config.due_day = 23
    config.save()
    late = client.get("/admin/leads/screening/").content.decode().count("逾期")
    assert late == on_time + 1  # the column header, then the row's mark


def test_the_status_page_lists_missing_regions_with_masked_contacts(config):
    lf.contact("430922101201", phone="13812345678", name="赵敏")
    lf.filing("430922100201")
    ScreeningReminder.objects.create(
        region=lf.region("430922100001"), period=lf.NOV, status="skipped", error="no_contact"
    )
    client = logged_in(staff("keeper", "风险线索管理"))
    page = client.get("/admin/leads-tools/screening/status/", {"month": "2026-11"}).content.decode()
    assert "共 3 个" in page and "未报送 2 个" in page and "零报送 1 个" in page
    assert "赵敏 138****5678" in page
    assert "13812345678" not in page
    assert "未发送（无手机号）" in page
    # Junk months fall back to the current month rather than failing.
    for junk in ("x", "2026-13", "9999-01", "\x00"):
        assert (
            client.get("/admin/leads-tools/screening/status/", {"month": junk}).status_code == 200
        )


def test_the_dashboard_panel_counts_this_months_missing_regions(config):
    lf.filing("430922100201", period=screening.summary()[0])
    page = logged_in(staff("keeper", "风险线索管理")).get("/admin/").content.decode()
    assert "风险排查：2 个单位未报送" in page
    assert "石牛江村" in page
    editor_page = logged_in(staff("bianji", "编辑")).get("/admin/").content.decode()
    assert "风险排查" not in editor_page


def test_settings_default_to_villages_by_the_23rd():
    config = LeadSettings.load()
    assert (config.screening_level, config.due_day) == (5, 23)
    assert config.due_date(lf.NOV) == datetime.date(2026, 11, 23)
