import pytest
from django.core.exceptions import ValidationError

from tests import factories
from website.pages.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    HomePage,
    RiskNoticeIndexPage,
    RiskNoticePage,
    StandardPage,
)

pytestmark = pytest.mark.django_db


def test_migration_creates_the_home_page_as_the_default_sites_root():
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)


def test_case_studies_live_only_under_the_case_index():
    assert CaseStudyPage.can_create_at(factories.case_index())
    assert not CaseStudyPage.can_create_at(factories.home_page())
    assert not CaseStudyPage.can_create_at(factories.notice_index())


def test_risk_notices_live_only_under_the_notice_index():
    assert RiskNoticePage.can_create_at(factories.notice_index())
    assert not RiskNoticePage.can_create_at(factories.home_page())
    assert not RiskNoticePage.can_create_at(factories.case_index())


def test_home_takes_one_index_of_each_kind():
    home = factories.home_page()
    assert RiskNoticeIndexPage.can_create_at(home)
    factories.notice_index()
    factories.case_index()
    home.refresh_from_db()  # treebeard reads numchild from the instance
    assert not RiskNoticeIndexPage.can_create_at(home)
    assert not CaseStudyIndexPage.can_create_at(home)


def test_there_is_only_one_home_page():
    assert not HomePage.can_create_at(HomePage.get_first_root_node())


def test_standard_pages_nest_under_home_and_each_other():
    about = factories.standard("关于我们")
    assert StandardPage.can_create_at(about)
    assert not StandardPage.can_create_at(factories.case_index())


def test_case_study_page_requires_summary_and_date():
    page = CaseStudyPage(title="缺字段", slug="missing")
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert {"summary", "case_date"} <= set(excinfo.value.message_dict)


def test_case_study_rejects_negative_amount():
    page = CaseStudyPage(
        title="负数", slug="neg", summary="s", case_date="2025-01-01", amount_involved=-5
    )
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "amount_involved" in excinfo.value.message_dict


def test_summary_is_limited_outside_the_admin_form_too():
    page = CaseStudyPage(title="长摘要", slug="long", summary="字" * 401, case_date="2025-01-01")
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    assert "summary" in excinfo.value.message_dict
