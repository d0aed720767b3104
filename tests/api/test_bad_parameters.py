"""Every query parameter fed junk: a 400 with a Chinese message, never a server error."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")

KNOWN_BAD = [
    # limit / offset
    ("pages/", "limit=abc"),
    ("pages/", "limit=-1"),
    ("pages/", "limit=51"),
    ("pages/", "limit=" + "9" * 40),
    ("pages/", "limit=" + "9" * 5000),
    ("pages/", "limit=%EF%BC%95"),  # a full-width digit
    ("pages/", "limit=1_0"),
    ("pages/", "offset=x"),
    ("pages/", "offset=-1"),
    ("pages/", "offset=99999999999999999999"),
    ("images/", "offset=1000001"),
    # page references
    ("pages/", "child_of=abc"),
    ("pages/", "child_of=-3"),
    ("pages/", "child_of=99999999999999999999999"),
    ("pages/", "child_of=999999"),
    ("pages/", "descendant_of=1.5"),
    ("pages/", "descendant_of=99999999999999999999"),
    ("pages/", "ancestor_of=root"),
    ("pages/", "ancestor_of=9999999999999"),
    ("pages/", "translation_of=x"),
    ("pages/", "translation_of=99999999999999"),
    ("pages/", "id=abc"),
    ("pages/", "id=99999999999999999999"),
    ("pages/find/", "id=abc"),
    ("pages/find/", "id=99999999999999999999"),
    ("pages/find/", "html_path=%00"),
    # type
    ("pages/", "type=foo"),
    ("pages/", "type=auth.User"),
    ("pages/", "type=pages.TopicPage"),
    ("pages/", "type=,"),
    ("pages/", "type=%00"),
    # fields
    ("pages/", "fields=("),
    ("pages/", "fields=a(b"),
    ("pages/", "fields=*,title"),
    ("pages/", "fields=nope"),
    ("pages/", "fields=title(x)"),
    ("pages/", "fields=" + "a(" * 200 + ")" * 200),
    ("pages/", "fields=%20title"),
    ("pages/", "type=quiz.QuizPage&fields=fixed_questions"),
    ("images/", "fields=thumbnail(x)"),
    # order
    ("pages/", "order=nope"),
    ("pages/", "order=body"),
    ("pages/", "order=-"),
    ("pages/", "order=--title"),
    ("pages/", "order=random,title"),
    ("pages/", "order=random&offset=2"),
    ("pages/", "type=pages.RiskNoticePage&order=audiences"),
    ("pages/", "type=pages.RiskNoticePage&order=tags"),
    ("regions/", "order=parent"),
    # search
    ("pages/", "search=%00"),
    ("pages/", "search=%E5%85%BB%00%E8%80%81"),
    ("pages/", "search=" + "养" * 101),
    ("pages/", "search=x&search_operator=xor"),
    ("images/", "search=%00"),
    ("regions/", "search=x"),
    # locale, site, format, rich text, unknown and repeated parameters
    ("pages/", "locale=xx"),
    ("pages/", "locale="),
    ("pages/", "site=a:99999999999999999999"),
    ("pages/", "format=api"),
    ("pages/", "rich_text_format=xx"),
    ("pages/", "foo=bar"),
    ("pages/", "%00=1"),
    ("pages/", "limit=1&limit=2"),
    ("pages/", "audience=elderly&audience=students"),
    ("pages/3/", "limit=1"),
    ("pages/3/", "fields=nope"),
    ("regions/find/", "foo=1"),
    # filter values of the wrong type
    ("pages/", "title=%00"),
    ("pages/", "slug=" + "x" * 300),
    ("pages/", "show_in_menus=maybe"),
    ("pages/", "type=pages.RiskNoticePage&issued_on=2025-13-45"),
    ("pages/", "type=pages.RiskNoticePage&issued_on=abc"),
    ("pages/", "type=pages.RiskNoticePage&valid_until="),
    ("pages/", "type=pages.RiskNoticePage&level=junk"),
    ("pages/", "type=pages.CaseStudyPage&victims=999999999999999999999"),
    ("pages/", "type=pages.CaseStudyPage&victims=-3"),
    ("pages/", "type=pages.CaseStudyPage&amount_involved=1e9999"),
    ("pages/", "type=pages.CaseStudyPage&amount_involved=NaN"),
    ("pages/", "type=pages.CaseStudyPage&first_published_at=2025"),
    ("pages/", "type=pages.CaseStudyPage&audiences=1"),
    ("images/", "width=99999999999999999999"),
    ("images/", "tags=x"),
    ("audiences/", "sort_order=-1"),
    ("regions/", "level=9"),
    ("regions/", "level=abc"),
    ("regions/", "code=abc"),
    # the site's filters
    ("pages/", "audience=nope"),
    ("pages/", "audience=" + "x" * 201),
    ("pages/", "region=%27;--"),
    ("pages/", "tag=%00"),
    ("pages/", "current=2"),
    ("pages/", "current=1"),
    ("pages/", "type=pages.CaseStudyPage&current=1"),
    ("pages/", "type=pages.StandardPage&audience=elderly"),
    ("regions/", "parent=nope"),
]


@pytest.mark.parametrize("path,query", KNOWN_BAD)
def test_known_bad_parameters_get_400_with_a_chinese_message(path, query):
    response = Client().get(f"/api/v2/{path}?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    message = response.json()["message"]
    assert CHINESE.search(message), message


def test_message_names_the_parameter_and_what_it_should_be():
    message = Client().get("/api/v2/pages/?limit=abc").json()["message"]
    assert message == "参数 limit 应为不小于 0 的整数。"
    message = Client().get("/api/v2/pages/?limit=500").json()["message"]
    assert message == "参数 limit 不能大于 50。"
    message = Client().get("/api/v2/pages/?audience=nope").json()["message"]
    assert "audience" in message and "/api/v2/audiences/" in message


def test_unknown_paths_under_api_are_json_404s():
    for path in ("/api/v2/nothing/", "/api/v2/pages/abc/", "/api/v2/pages/%00/", "/api/v3/"):
        response = Client().get(path)
        assert response.status_code == 404
        assert CHINESE.search(response.json()["message"])


def test_too_many_parameters_is_a_400(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    response = Client().get("/api/v2/pages/?" + "&".join(f"x{i}=1" for i in range(20)))
    assert response.status_code == 400
    assert CHINESE.search(response.json()["message"])


# Property tests ----------------------------------------------------------------------

PARAMETERS = {
    "pages/": [
        "limit",
        "offset",
        "fields",
        "order",
        "search",
        "search_operator",
        "type",
        "child_of",
        "ancestor_of",
        "descendant_of",
        "translation_of",
        "locale",
        "site",
        "id",
        "title",
        "slug",
        "show_in_menus",
        "audience",
        "region",
        "tag",
        "current",
        "level",
        "issued_on",
        "valid_until",
        "case_date",
        "victims",
        "amount_involved",
        "rich_text_format",
        "format",
        "_",
    ],
    "pages/find/": ["id", "html_path", "fields", "type", "limit"],
    "images/": ["limit", "offset", "fields", "order", "search", "id", "title", "width", "tags"],
    "audiences/": ["limit", "offset", "fields", "order", "id", "slug", "name", "sort_order"],
    "regions/": ["limit", "offset", "fields", "order", "parent", "code", "level", "name", "path"],
    "tags/": ["limit", "offset", "fields", "order", "id", "slug", "name"],
    "regions/find/": ["id", "code"],
}
GOOD_VALUES = [
    "elderly",
    "430922",
    "4309",
    "养老服务",
    "pages.RiskNoticePage",
    "pages.CaseStudyPage",
    "quiz.QuizPage",
    "root",
    "random",
    "-title",
    "*",
    "_,id",
    "title,id",
    "1",
    "0",
    "3",
    "true",
    "zh-hans",
    "json",
    "html",
    "and",
    "or",
    "2025-05-15",
    "severe",
    "region(parent)",
    "养老",
]
values = st.one_of(
    st.text(max_size=250),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Co"]), max_size=10),
    st.integers().map(str),
    st.sampled_from(GOOD_VALUES),
    st.lists(st.sampled_from(GOOD_VALUES), min_size=2, max_size=3).map(",".join),
)


def query_strings(path):
    name = st.one_of(st.sampled_from(PARAMETERS[path]), st.text(max_size=12))
    return st.lists(st.tuples(name, values), max_size=6).map(urlencode)


fuzz = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_clear_answer(response):
    assert response.status_code in (200, 302, 400, 404), response.content[:500]
    if response.status_code == 302:
        return
    assert response["Content-Type"] == "application/json"
    body = response.json()
    if response.status_code >= 400:
        assert CHINESE.search(body["message"]), body


@pytest.fixture
def uncached(settings):
    # Every example must reach the view, not a cached answer of an earlier one.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.mark.parametrize("path", list(PARAMETERS))
@fuzz
@given(data=st.data())
def test_any_query_string_gets_a_clear_answer(topics, uncached, path, data):
    query = data.draw(query_strings(path))
    assert_clear_answer(Client().get(f"/api/v2/{path}?{query}"))


@fuzz
@given(
    endpoint=st.sampled_from(["pages", "images", "audiences", "regions", "tags"]),
    pk=st.one_of(st.integers(min_value=0), st.sampled_from([1, 2, 3, 4, 5, 6])),
    query=query_strings("pages/find/"),
)
def test_any_detail_request_gets_a_clear_answer(topics, uncached, endpoint, pk, query):
    assert_clear_answer(Client().get(f"/api/v2/{endpoint}/{pk}/?{query}"))


ids = st.integers(min_value=1, max_value=12).map(str)
PLAUSIBLE = {
    "limit": st.integers(min_value=0, max_value=50).map(str),
    "offset": st.integers(min_value=0, max_value=20).map(str),
    "fields": st.sampled_from(
        [
            "*",
            "_,id",
            "title,id",
            "-title",
            "region(parent)",
            "level_display,is_expired",
            "audiences,tags,region",
            "body",
            "listing_image(title)",
            "listing_image_thumbnail",
            "outcome,victims",
            "parent",
            "intro",
            "thumbnail",
            "code,level",
            "parent(name)",
        ]
    ),
    "order": st.sampled_from(
        [
            "-title",
            "id",
            "random",
            "-first_published_at",
            "-issued_on",
            "level",
            "case_date",
            "title,-id",
            "code",
            "-level",
            "width",
        ]
    ),
    "search": st.sampled_from(["养老", "理财 高息", "提示", "x", "的", "养老服务 区块链"]),
    "search_operator": st.sampled_from(["and", "or"]),
    "type": st.sampled_from(
        [
            "pages.RiskNoticePage",
            "pages.CaseStudyPage",
            "wagtailcore.Page",
            "quiz.QuizPage",
            "pages.RiskNoticePage,pages.CaseStudyPage",
            "pages.StandardPage",
            "pages.HomePage",
        ]
    ),
    "child_of": st.one_of(st.just("root"), ids),
    "descendant_of": st.one_of(st.just("root"), ids),
    "ancestor_of": ids,
    "translation_of": ids,
    "locale": st.just("zh-hans"),
    "id": ids,
    "audience": st.sampled_from(["elderly", "students", "rural"]),
    "region": st.sampled_from(["43", "4309", "430922", "430922100201", "430104"]),
    "parent": st.sampled_from(["43", "4309", "430922"]),
    "code": st.sampled_from(["43", "4309", "430922"]),
    "tag": st.sampled_from(["养老服务", "区块链虚拟货币", "投资理财"]),
    "current": st.sampled_from(["0", "1", "true"]),
    "level": st.sampled_from(["severe", "warning", "notice", "1", "2", "3"]),
    "issued_on": st.dates().map(str),
    "valid_until": st.dates().map(str),
    "case_date": st.dates().map(str),
    "victims": st.integers(min_value=0, max_value=100).map(str),
    "amount_involved": st.decimals(min_value=0, max_value=10**6, places=2).map(str),
    "rich_text_format": st.sampled_from(["html", "db_html", "markdown"]),
    "show_in_menus": st.sampled_from(["true", "false"]),
}


@pytest.mark.parametrize("path", ["pages/", "images/", "regions/"])
@settings(fuzz, max_examples=100)
@given(data=st.data())
def test_combinations_of_plausible_values_get_a_clear_answer(topics, uncached, path, data):
    # Mostly valid parameters, so that requests get past the checks into the database,
    # the search backend and the serializers in as many combinations as possible.
    names = data.draw(
        st.sets(st.sampled_from([n for n in PARAMETERS[path] if n in PLAUSIBLE]), max_size=5)
    )
    query = urlencode(
        {
            # Now and then junk, so that one bad value meets otherwise good ones.
            name: data.draw(values if data.draw(st.integers(0, 9)) == 0 else PLAUSIBLE[name])
            for name in sorted(names)
        }
    )
    assert_clear_answer(Client().get(f"/api/v2/{path}?{query}"))


def test_a_misspelt_parameter_names_the_nearest_one_as_feeds_and_widgets_do():
    response = Client().get("/api/v2/pages/", {"audiance": "elderly"})
    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith("不认识的参数：audiance。是不是 audience？")
    assert "可用的参数：" in message and "region" in message and "_、" not in message
