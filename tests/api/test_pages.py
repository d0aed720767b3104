"""The pages endpoint: what partners read, what they never see, and the site's filters."""

import json

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from quiz.models import Choice, Question, QuizPage
from tests import factories
from website.pages.models import RiskNoticePage

from .helpers import get_json, image, titles

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"


def test_listing_shows_live_pages_with_absolute_urls(topics):
    response, body = get_json(PAGES, {"type": "pages.RiskNoticePage"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert titles(body) == {"养老院预售床位", "校园虚拟币", "全辖区提示", "昨天到期"}
    assert body["meta"]["total_count"] == 4
    item = next(i for i in body["items"] if i["title"] == "养老院预售床位")
    page = topics["elderly_pension"]
    assert item["meta"]["detail_url"] == f"{settings.WAGTAILAPI_BASE_URL}{PAGES}{page.pk}/"
    assert item["meta"]["html_url"] == f"{settings.WAGTAILAPI_BASE_URL}{page.url}"


def test_answers_are_utf8_json_with_chinese_as_is(topics):
    response = get_json(PAGES, {"type": "pages.RiskNoticePage"})[0]
    assert "养老院预售床位".encode() in response.content


def test_notice_detail_has_what_partners_need(topics):
    page = topics["elderly_pension"]
    page.listing_image = image()
    page.save_revision().publish()
    response, body = get_json(f"{PAGES}{page.pk}/")
    assert response.status_code == 200
    assert body["title"] == "养老院预售床位"
    assert body["meta"]["type"] == "pages.RiskNoticePage"
    assert body["level"] == "severe"
    assert body["level_display"] == "严重警示"
    assert body["issued_on"] == page.issued_on.isoformat()
    assert body["valid_until"] is None
    assert body["is_expired"] is False
    assert body["summary"] == "摘要"
    assert body["body"][0]["type"] == "paragraph"
    assert body["audiences"] == [{"slug": "elderly", "name": "老年人"}]
    assert body["region"] == {"code": "430922100201", "name": "花果山村", "level": 5}
    assert body["tags"] == [{"slug": "养老服务", "name": "养老服务"}]
    thumbnail = body["listing_image_thumbnail"]
    assert (thumbnail["width"], thumbnail["height"]) == (480, 270)
    assert thumbnail["full_url"].startswith(settings.WAGTAILADMIN_BASE_URL + "/media/")
    assert body["listing_image"]["meta"]["detail_url"].endswith(
        f"/api/v2/images/{page.listing_image_id}/"
    )
    assert body["last_published_at"]


def test_expired_notice_says_so(topics):
    body = get_json(f"{PAGES}{topics['expired'].pk}/")[1]
    assert body["is_expired"] is True
    assert body["valid_until"] == factories.days(-1).isoformat()


def test_case_detail_has_outcome_and_scale(topics):
    body = get_json(f"{PAGES}{topics['case'].pk}/")[1]
    assert body["case_date"] == "2025-05-15"
    assert body["outcome"] == "主犯被判处有期徒刑十年。"
    assert body["amount_involved"] == "1280.50"
    assert body["victims"] == 37
    assert body["audiences"] == [{"slug": "elderly", "name": "老年人"}]
    assert body["region"]["code"] == "430922"
    assert body["tags"] == [{"slug": "养老服务", "name": "养老服务"}]


def test_listing_fields_are_chosen_with_fields(topics):
    body = get_json(
        PAGES,
        {"type": "pages.RiskNoticePage", "fields": "level,level_display,is_expired,region"},
    )[1]
    by_title = {i["title"]: i for i in body["items"]}
    assert by_title["全辖区提示"]["level_display"] == "警示"
    assert by_title["全辖区提示"]["region"] is None
    assert by_title["昨天到期"]["is_expired"] is True
    assert "body" not in by_title["全辖区提示"]


def test_home_index_and_standard_pages_are_minimal():
    page = factories.standard("关于我们", text="我们是处非办。")
    home = get_json(f"{PAGES}{factories.home_page().pk}/")[1]
    assert set(home) == {"id", "meta", "title", "intro"}
    notices = get_json(f"{PAGES}{factories.notice_index().pk}/")[1]
    assert set(notices) == {"id", "meta", "title", "intro"}
    standard = get_json(f"{PAGES}{page.pk}/")[1]
    assert set(standard) == {"id", "meta", "title", "intro", "body"}
    assert "我们是处非办。" in standard["body"][0]["value"]


def quiz_with_secret_answer():
    question = Question.objects.create(
        code="API1", stem="题干不公开", explanation="解析不公开", difficulty=2
    )
    Choice.objects.create(question=question, sort_order=0, text="正确答案甲", is_correct=True)
    Choice.objects.create(question=question, sort_order=1, text="错误答案乙", is_correct=False)
    page = QuizPage(
        title="防非知识测试", slug="quiz", intro="十道题测测你", selection=QuizPage.Selection.FIXED
    )
    page.fixed_questions.add(page.fixed_questions.model(question=question))
    return factories.publish(factories.home_page(), page)


def test_quiz_shows_title_and_intro_and_never_its_questions_or_answers():
    quiz = quiz_with_secret_answer()
    answers = [
        get_json(f"{PAGES}{quiz.pk}/")[0],
        get_json(PAGES, {"type": "quiz.QuizPage", "fields": "*"})[0],
        get_json(PAGES, {"fields": "*"})[0],
    ]
    for response in answers:
        assert response.status_code == 200
        text = response.content.decode()
        assert "防非知识测试" in text
        for secret in ("题干不公开", "解析不公开", "正确答案甲", "错误答案乙", "is_correct"):
            assert secret not in text
    detail = json.loads(answers[0].content)
    assert {k for k in detail if k != "meta"} == {"id", "title", "intro"}
    for fields in ("fixed_questions", "selection", "draw_tags", "pass_mark"):
        response, body = get_json(f"{PAGES}{quiz.pk}/", {"fields": fields})
        assert response.status_code == 400
        assert fields in body["message"]


def test_drafts_private_pages_and_unpublished_changes_stay_out(topics):
    draft = RiskNoticePage(
        title="草稿提示", slug="draft", summary="草稿", body=factories.body("草稿"), live=False
    )
    factories.notice_index().add_child(instance=draft)
    draft.save_revision()
    private = factories.notice("内部提示")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    changed = topics["everyone"]
    changed.title = "未发布的新标题"
    changed.save_revision()

    listed = titles(get_json(PAGES, {"limit": 50})[1])
    assert "全辖区提示" in listed
    assert not {"草稿提示", "内部提示", "未发布的新标题"} & listed
    assert get_json(PAGES, {"search": "草稿"})[1]["items"] == []
    for page in (draft, private):
        response, body = get_json(f"{PAGES}{page.pk}/")
        assert response.status_code == 404
        assert body["message"]
    assert get_json(f"{PAGES}{changed.pk}/")[1]["title"] == "全辖区提示"


def test_a_password_already_given_shows_nothing_more(client, topics):
    private = factories.notice("内部提示")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert client.get(private.url).status_code == 200  # the site lets this visitor in …
    assert client.get(f"{PAGES}{private.pk}/").status_code == 404  # … the API does not


def test_find_by_html_path_redirects_to_the_detail(topics):
    page = topics["case"]
    response = Client().get(f"{PAGES}find/", {"html_path": page.url})
    assert response.status_code == 302
    assert f"{PAGES}{page.pk}/" in response["Location"]


# Filters, as on the site's listings ---------------------------------------------------


def test_filter_by_audience_covers_notices_and_cases(topics):
    body = get_json(PAGES, {"audience": "elderly"})[1]
    assert titles(body) == {"养老院预售床位", "以房养老骗局"}


def test_filter_by_tag_slug(topics):
    body = get_json(PAGES, {"type": "pages.RiskNoticePage", "tag": "区块链虚拟货币"})[1]
    assert titles(body) == {"校园虚拟币"}


def test_filter_by_region_includes_subtree_ancestors_and_whole_jurisdiction(topics):
    factories.notice("益阳全市提示", region="4309")
    in_county = get_json(PAGES, {"type": "pages.RiskNoticePage", "region": "430922"})[1]
    assert titles(in_county) == {"养老院预售床位", "全辖区提示", "昨天到期", "益阳全市提示"}
    in_village = get_json(PAGES, {"type": "pages.CaseStudyPage", "region": "430922100201"})[1]
    assert titles(in_village) == {"以房养老骗局"}


def test_current_lists_notices_in_force_most_severe_first(topics):
    body = get_json(PAGES, {"type": "pages.RiskNoticePage", "current": "1"})[1]
    assert [i["title"] for i in body["items"]] == ["养老院预售床位", "全辖区提示", "校园虚拟币"]
    expired = get_json(PAGES, {"type": "pages.RiskNoticePage", "current": "0"})[1]
    assert titles(expired) == {"昨天到期"}


def test_filters_combine_with_each_other_and_with_search(topics):
    body = get_json(
        PAGES,
        {"type": "pages.RiskNoticePage", "audience": "elderly", "current": "1", "region": "430922"},
    )[1]
    assert titles(body) == {"养老院预售床位"}
    searched = get_json(PAGES, {"search": "养老", "audience": "elderly"})[1]
    assert titles(searched) == {"养老院预售床位", "以房养老骗局"}
    typed = get_json(
        PAGES, {"type": "pages.RiskNoticePage", "search": "养老", "current": "1", "tag": "养老服务"}
    )[1]
    assert titles(typed) == {"养老院预售床位"}


def test_search_results_can_be_ordered_by_issue_date(topics):
    body = get_json(
        PAGES, {"type": "pages.RiskNoticePage", "search": "养老", "order": "-issued_on"}
    )[1]
    dates = [RiskNoticePage.objects.get(pk=i["id"]).issued_on for i in body["items"]]
    assert dates and dates == sorted(dates, reverse=True)


def test_field_filters_and_ordering(topics):
    severe = get_json(PAGES, {"type": "pages.RiskNoticePage", "level": "severe"})[1]
    assert titles(severe) == {"养老院预售床位"}
    ordered = get_json(
        PAGES, {"type": "pages.RiskNoticePage", "order": "-title", "fields": "_,id", "limit": 2}
    )[1]
    assert [i["id"] for i in ordered["items"]] == [
        p.pk for p in RiskNoticePage.objects.order_by("-title")[:2]
    ]


def test_limit_and_offset_page_through_a_listing(topics):
    first = get_json(PAGES, {"type": "pages.RiskNoticePage", "limit": 2, "order": "id"})[1]
    second = get_json(
        PAGES, {"type": "pages.RiskNoticePage", "limit": 2, "offset": 2, "order": "id"}
    )[1]
    assert first["meta"]["total_count"] == 4
    ids = [i["id"] for i in first["items"] + second["items"]]
    assert ids == sorted(ids) and len(set(ids)) == 4


def test_listing_queries_do_not_grow_with_the_number_of_items(django_assert_max_num_queries):
    poster = image()
    for i in range(12):
        page = factories.notice(
            f"提示{i}",
            audiences=["elderly", "students"],
            tags=["养老服务", "投资理财"],
            region="430922",
        )
        page.listing_image = poster
        page.save_revision().publish()
    factories.case("案例", audiences=["elderly"], tags=["养老服务"], region="430922")
    fields = "level_display,is_expired,audiences,region,tags,listing_image,listing_image_thumbnail"
    # The first listing draws the rendition; later ones only read it.
    get_json(PAGES, {"type": "pages.RiskNoticePage", "fields": fields, "limit": 1})
    with CaptureQueriesContext(connection) as one_item:
        get_json(PAGES, {"type": "pages.RiskNoticePage", "fields": fields, "limit": 1, "_": 1})
    with django_assert_max_num_queries(len(one_item)):
        body = get_json(PAGES, {"type": "pages.RiskNoticePage", "fields": fields, "limit": 12})[1]
    assert len(body["items"]) == 12
    with CaptureQueriesContext(connection) as untyped_one:
        get_json(PAGES, {"audience": "elderly", "limit": 1})
    with django_assert_max_num_queries(len(untyped_one)):
        assert len(get_json(PAGES, {"audience": "elderly", "limit": 13})[1]["items"]) == 13


def test_the_api_index_names_the_check_before_you_pay_tools(client):
    body = client.get("/api/").json()
    assert body["tools"]["lookup"].endswith("/api/lookup/")
    assert body["tools"]["check"].endswith("/api/check/")
