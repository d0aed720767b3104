"""Search on the site: the staff's synonym dictionary, ranking, the no-result page, the
admin's page search, and junk queries (runs on SQLite, and on PostgreSQL in services)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import Page, get_page_models

from tests import factories
from website.search.fields import SegmentedAutocompleteField
from website.search.models import SynonymGroup
from website.search.views import search_pages

pytestmark = pytest.mark.django_db


def slugs(query):
    return [p.slug for p in search_pages(query)]


def test_seeded_dictionary_is_in_place():
    assert SynonymGroup.objects.filter(words__contains="退休金").exists()


def test_everyday_word_finds_the_page_using_the_office_word():
    case = factories.case("某养老公司集资案", text="承诺每月发放养老金。")
    assert case.slug in slugs("退休金")


def test_a_new_synonym_group_works_at_once_and_a_deleted_one_stops():
    case = factories.case("某茶叶合作社集资案", text="以种植茶叶为名吸收资金。")
    assert case.slug not in slugs("普洱")
    group = SynonymGroup(words="普洱 茶叶")
    group.full_clean()
    group.save()
    assert case.slug in slugs("普洱")
    group.delete()
    assert case.slug not in slugs("普洱")


def test_disabled_group_is_not_used():
    case = factories.case("某茶叶合作社集资案", text="以种植茶叶为名吸收资金。")
    SynonymGroup.objects.create(words="普洱 茶叶", enabled=False)
    assert case.slug not in slugs("普洱")


def test_group_needs_two_words_and_is_stored_normalised():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SynonymGroup(words="养老").full_clean()
    group = SynonymGroup(words="養老金，退休金")
    group.full_clean()
    assert group.words == "养老金 退休金"


def test_pitch_and_warning_sign_text_is_searchable():
    from wagtail.blocks import StreamValue

    case = factories.case("某公司案", text="正文")
    case.body = [
        ("pitch", {"text": "投一万每月返八百，躺着收钱", "medium": "微信群"}),
        ("warning_signs", {"heading": "识别要点", "signs": ["要求先交会员费才能提现"]}),
    ]
    assert isinstance(case.body, StreamValue)
    case.save_revision().publish()
    assert case.slug in slugs("躺着收钱")
    assert case.slug in slugs("会员费")


def test_case_ranks_above_about_page_for_the_same_words():
    about = factories.standard("关于我们", text="高息揽储是非法集资的常见手法。")
    case = factories.case("某公司高息揽储案", text="高息揽储是非法集资的常见手法。")
    found = slugs("高息")
    assert found.index(case.slug) < found.index(about.slug)


def test_expired_notice_ranks_below_a_current_one():
    expired = factories.notice("警惕预付学费骗局", text="预付学费", valid_until=factories.days(-1))
    current = factories.notice("警惕预付学费骗局", text="预付学费", valid_until=factories.days(30))
    found = slugs("预付学费")
    assert found.index(current.slug) < found.index(expired.slug)


def test_results_page_names_the_words_also_searched(client):
    factories.case("某养老公司集资案", text="承诺每月发放养老金。")
    html = client.get("/search/", {"q": "退休金"}).content.decode()
    assert "某养老公司集资案" in html
    assert "同时搜索了" in html and "养老金" in html


def test_no_result_page_offers_topics_guides_and_the_hotline(client):
    from wagtail.models import Site

    from website.core.models import ReportingSettings, SiteSettings

    factories.case("某公司案", tags=["养老服务"])
    from website.pages.models import StandardPage

    # The guides are the ones chosen in 网站信息, whatever their slugs; a page that merely
    # has a guide's usual slug is not offered.
    guide = factories.publish(
        factories.home_page(), StandardPage(title="已经被骗怎么办", slug="bei-pian-le")
    )
    factories.publish(factories.home_page(), StandardPage(title="旧指南", slug="already-paid"))
    site = Site.objects.get(is_default_site=True)
    settings_ = ReportingSettings.for_site(site)
    settings_.hotline = "0737-1234567"
    settings_.save()
    site_settings = SiteSettings.for_site(site)
    site_settings.after_paying_page = guide
    site_settings.save()
    html = client.get("/search/", {"q": "足球比赛"}).content.decode()
    assert "没有找到" in html
    assert "/search/?q=%E5%85%BB%E8%80%81%E6%9C%8D%E5%8A%A1" in html  # 养老服务
    assert guide.url in html and "已经被骗怎么办" in html
    assert "旧指南" not in html
    assert 'href="tel:07371234567"' in html


def test_no_result_page_without_guides_or_hotline_still_renders(client):
    html = client.get("/search/", {"q": "足球比赛"}).content.decode()
    assert "没有找到" in html
    assert "tel:" not in html.split('class="search-help"')[1]


def test_every_page_type_is_segmented_for_the_admin_search():
    missing = [
        m._meta.label
        for m in get_page_models()
        if m is not Page
        and not any(isinstance(f, SegmentedAutocompleteField) for f in m.get_search_fields())
    ]
    assert missing == []


@pytest.fixture
def admin_client_(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "r@example.gov.cn", "pw-123456789")
    client.force_login(user)
    return client


def test_admin_page_search_finds_pages_by_a_partial_chinese_word(admin_client_):
    from tests.campaigns.outreach import factories as of
    from tests.quiz.conftest import make_question, make_quiz

    campaign = of.campaign("2026年防范非法集资宣传月")
    quiz = make_quiz([make_question()], title="长辈防骗测一测")
    notice = factories.notice("关于警惕以养老服务为名非法集资的风险提示")
    for query, page in [
        ("宣传月", campaign),
        ("宣传", campaign),
        ("测一测", quiz),
        ("养老", notice),
    ]:
        html = admin_client_.get("/admin/pages/search/", {"q": query}).content.decode()
        assert page.title in html, query


def test_synonym_admin_needs_permission():
    from website.search.wagtail_hooks import SynonymGroupViewSet

    viewset = SynonymGroupViewSet
    editor = factories.staff("bianji", "编辑")
    reviewer = factories.staff("shenhe", "审核员")
    index_url = "/admin/snippets/site_search/synonymgroup/"
    add_url = index_url + "add/"
    assert viewset.model is SynonymGroup
    assert factories.logged_in(editor).get(add_url).status_code in (302, 403)
    assert factories.logged_in(reviewer).get(index_url).status_code == 200
    response = factories.logged_in(reviewer).post(
        add_url, {"words": "普洱 茶叶", "enabled": "on", "note": ""}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(words="普洱 茶叶").exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=200), page=st.text(max_size=12))
def test_junk_queries_never_500(client, q, page):
    response = client.get("/search/", {"q": q, "page": page})
    assert response.status_code in (200, 400)


def test_question_bank_admin_search_finds_a_word_inside_a_stem(admin_client_):
    from django.urls import reverse

    from tests.quiz.conftest import make_question

    question = make_question()
    question.stem = "有人推销“以房养老”理财，承诺每月返息，您该怎么办？"
    question.save()
    listing = reverse("wagtailsnippets_quiz_question:list")
    html = admin_client_.get(listing, {"q": "以房养老"}).content.decode()
    assert question.code in html


@pytest.mark.parametrize("operator", ["or", "and"])
def test_partner_api_search_uses_the_synonyms_too(client, operator):
    case = factories.case("某养老公司集资案", text="承诺每月发放养老金，骗子卷款跑路。")
    factories.case("某茶叶合作社集资案", text="以种植茶叶为名吸收资金。")
    response = client.get("/api/v2/pages/", {"search": "退休金 骗子", "search_operator": operator})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [case.pk]
