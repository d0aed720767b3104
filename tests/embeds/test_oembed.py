"""The oEmbed provider (https://oembed.com) at /oembed: JSON and XML answers for our notices,
cases, quizzes, the notices index and our /embed/ URLs; the spec's errors for everything
else; discovery links on the pages that have a widget; and Wagtail's own oEmbed finder
turning one of our notice URLs into our iframe."""

import html
import io
import re
import xml.etree.ElementTree as ET
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from quiz.models import QuizPage
from tests import factories
from website.embeds import oembed as oembed_module
from website.embeds.snippets import DEFAULT_HEIGHTS, DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH
from website.pages.models import RiskNoticePage, StandardPage

pytestmark = pytest.mark.django_db

SRC = re.compile(r'<iframe src="([^"]+)"')


def ask(client, url, **params):
    return client.get("/oembed", {"url": url, **params})


def absolute(page):
    return f"http://testserver{page.url}"


def iframe_src(data):
    return html.unescape(SRC.search(data["html"]).group(1))


def quiz_page(title="防非知识测试"):
    return factories.publish(factories.home_page(), QuizPage(title=title, slug="quiz-embed"))


def listing_image():
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (640, 360), "#a11212").save(buffer, "PNG")
    return get_image_model().objects.create(title="海报", file=ImageFile(buffer, name="p.png"))


# -- answers ---------------------------------------------------------------------------------


def test_a_notice_url_gives_a_rich_json_embed_of_its_card(client):
    notice = factories.notice("以养老为名的集资")
    response = ask(client, absolute(notice), format="json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "public" in response["Cache-Control"]
    data = response.json()
    assert data["version"] == "1.0"
    assert data["type"] == "rich"
    assert data["title"] == "以养老为名的集资"
    assert data["provider_name"] == "示范市防范和处置非法集资工作领导小组办公室"
    assert data["provider_url"] == "http://testserver/"
    assert data["cache_age"] == 3600
    assert (data["width"], data["height"]) == (DEFAULT_WIDTH, DEFAULT_HEIGHTS["page"])
    assert iframe_src(data) == f"http://testserver/embed/page/{notice.pk}/"
    assert f'width="{DEFAULT_WIDTH}" height="{DEFAULT_HEIGHTS["page"]}"' in data["html"]
    assert 'title="以养老为名的集资"' in data["html"]
    assert "thumbnail_url" not in data


def test_json_is_the_default_format(client):
    notice = factories.notice()
    response = ask(client, absolute(notice))
    assert response.status_code == 200
    assert response.json()["type"] == "rich"


def test_the_xml_format_follows_the_spec(client):
    notice = factories.notice("虚拟货币<挖矿>")
    response = ask(client, absolute(notice), format="xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    body = response.content.decode()
    assert body.startswith('<?xml version="1.0" encoding="utf-8" standalone="yes"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "oembed"
    fields = {child.tag: child.text for child in root}
    assert fields["version"] == "1.0"
    assert fields["type"] == "rich"
    assert fields["title"] == "虚拟货币<挖矿>"
    assert fields["width"] == str(DEFAULT_WIDTH)
    # The markup travels as escaped text, not as XML elements.
    assert "&lt;iframe" in body
    assert fields["html"].startswith("<iframe ")
    assert f"/embed/page/{notice.pk}/" in fields["html"]


def test_a_case_study_gives_its_card(client):
    case = factories.case("虚假养老院")
    data = ask(client, absolute(case)).json()
    assert iframe_src(data) == f"http://testserver/embed/page/{case.pk}/"
    assert data["title"] == "虚假养老院"


def test_a_quiz_gives_the_whole_quiz(client):
    quiz = quiz_page()
    data = ask(client, absolute(quiz)).json()
    assert iframe_src(data) == f"http://testserver/embed/quiz/{quiz.pk}/"
    assert data["height"] == DEFAULT_HEIGHTS["quiz"]
    assert data["title"] == "防非知识测试"


def test_the_notices_index_gives_the_notices_widget_with_its_filters(client):
    factories.notice()
    url = "http://testserver/notices/?audience=elderly&region=430922&page=2"
    data = ask(client, url).json()
    assert iframe_src(data) == "http://testserver/embed/notices/?audience=elderly&region=430922"
    assert data["height"] == DEFAULT_HEIGHTS["notices"]
    assert data["title"].startswith("风险提示 · ")


def test_our_own_embed_urls_are_accepted(client):
    notice = factories.notice()
    quiz = quiz_page()
    factories.notice_index()
    for url, src in [
        (f"/embed/page/{notice.pk}/", f"/embed/page/{notice.pk}/"),
        (f"/embed/quiz/{quiz.pk}/", f"/embed/quiz/{quiz.pk}/"),
        ("/embed/notices/?audience=elderly&count=3&theme=dark", None),
        ("/embed/kiosk/?interval=20", "/embed/kiosk/?interval=20"),
    ]:
        response = ask(client, f"http://testserver{url}")
        assert response.status_code == 200, url
        found = iframe_src(response.json())
        if src:
            assert found == f"http://testserver{src}"
    notices = iframe_src(
        ask(client, "http://testserver/embed/notices/?audience=elderly&count=3").json()
    )
    assert notices.startswith("http://testserver/embed/notices/?")
    assert "audience=elderly" in notices and "count=3" in notices


def test_the_thumbnail_is_the_listing_image_when_it_fits(client):
    notice = factories.notice()
    notice.listing_image = listing_image()
    notice.save_revision().publish()
    data = ask(client, absolute(notice)).json()
    assert data["thumbnail_url"].startswith("http://testserver/")
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (480, 270)
    # The spec wants the thumbnail within maxwidth too; a narrow embed goes without it.
    narrow = ask(client, absolute(notice), maxwidth=300).json()
    assert "thumbnail_url" not in narrow and "thumbnail_width" not in narrow


def test_the_provider_name_is_the_office_name(client):
    from wagtail.models import Site

    from website.core.models import ReportingSettings

    settings_row = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    settings_row.office_name = "益阳市处非办"
    settings_row.save()
    data = ask(client, absolute(factories.notice())).json()
    assert data["provider_name"] == "益阳市处非办"


def test_a_url_on_a_wagtail_site_hostname_is_ours(client):
    notice = factories.notice()
    data = ask(client, f"http://localhost{notice.url}").json()
    assert iframe_src(data) == f"http://localhost/embed/page/{notice.pk}/"
    assert data["provider_url"] == "http://localhost/"


def test_a_url_on_an_allowed_host_is_ours(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", ".fangfei.example.cn"]
    notice = factories.notice()
    data = ask(client, f"https://www.fangfei.example.cn{notice.url}").json()
    assert iframe_src(data) == f"https://www.fangfei.example.cn/embed/page/{notice.pk}/"


def test_a_page_url_without_its_trailing_slash_is_found(client):
    notice = factories.notice()
    assert ask(client, absolute(notice).rstrip("/")).status_code == 200


def test_a_repeated_request_is_answered_from_the_cache_without_sql(client):
    notice = factories.notice()
    url = absolute(notice)
    first = ask(client, url, maxwidth=400)
    with CaptureQueriesContext(connection) as queries:
        second = ask(client, url, maxwidth=400)
    assert second.content == first.content
    assert len(queries) == 0, [q["sql"] for q in queries]


def test_an_unpublished_page_is_no_longer_embeddable(client):
    notice = factories.notice()
    assert ask(client, absolute(notice)).status_code == 200
    notice.unpublish()
    assert ask(client, absolute(notice)).status_code == 404


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/notices/notice-1/",
        "http://testserver.evil.example/notices/",
        "ftp://testserver/notices/",
        "javascript:alert(1)",
        "http://testserver/no/such/page/",
        "http://testserver/",
        "http://testserver/cases/",
        "http://testserver/embed/page/999999/",
        "http://testserver/embed/unknown/",
        "http://testserver/admin/",
        "http://testserver:99999/notices/",
        "http://[::1/notices/",
        "not a url at all",
        "http://testserver/" + "a/" * 1100,
    ],
)
def test_urls_that_are_not_our_embeddable_pages_are_404(client, url):
    factories.notice()
    factories.case()
    response = ask(client, url)
    assert response.status_code == 404
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "没有可嵌入的内容" in response.content.decode()


def test_a_standard_page_has_nothing_to_embed(client):
    page = factories.standard("关于我们")
    assert ask(client, absolute(page)).status_code == 404


def test_a_draft_is_404(client):
    index = factories.notice_index()
    draft = RiskNoticePage(title="草稿", slug="draft", summary="摘要", live=False)
    index.add_child(instance=draft)
    draft.save_revision()
    assert ask(client, "http://testserver/notices/draft/").status_code == 404
    assert ask(client, f"http://testserver/embed/page/{draft.pk}/").status_code == 404


def test_a_private_page_is_404_not_401(client):
    # The spec's 401 would confirm to anyone that a private page exists at that address.
    notice = factories.notice()
    PageViewRestriction.objects.create(page=notice, restriction_type="login")
    assert ask(client, absolute(notice)).status_code == 404
    assert ask(client, f"http://testserver/embed/page/{notice.pk}/").status_code == 404


def test_an_embed_url_of_the_wrong_kind_or_of_an_attempt_is_404(client):
    notice = factories.notice()
    quiz = quiz_page()
    token = "a" * 22
    for url in [
        f"/embed/quiz/{notice.pk}/",
        f"/embed/page/{quiz.pk}/",
        f"/embed/quiz/{quiz.pk}/a/{token}/1/",
        f"/embed/quiz/{quiz.pk}/a/{token}/result/",
    ]:
        assert ask(client, f"http://testserver{url}").status_code == 404, url


@pytest.mark.parametrize("fmt", ["jsonp", "yaml", "html", "xml2"])
def test_other_formats_are_501(client, fmt):
    response = ask(client, absolute(factories.notice()), format=fmt)
    assert response.status_code == 501
    assert "format=json" in response.content.decode()


@pytest.mark.parametrize("query", [{}, {"url": ""}, {"url": "   "}, {"url": "\x00"}])
def test_a_missing_url_is_400_with_a_message(client, query):
    response = client.get("/oembed", query)
    assert response.status_code == 400
    assert "缺少参数 url" in response.content.decode()


@pytest.mark.parametrize("name", ["maxwidth", "maxheight"])
@pytest.mark.parametrize("value", ["abc", "0", "-5", "1.5", "+300", "１２０", "300px", "0x10"])
def test_bad_sizes_are_400_with_a_message(client, name, value):
    response = ask(client, absolute(factories.notice()), **{name: value})
    assert response.status_code == 400
    assert name in response.content.decode()
    assert "正整数" in response.content.decode()


def test_maxwidth_and_maxheight_are_respected(client):
    notice = factories.notice()
    data = ask(client, absolute(notice), maxwidth=320, maxheight=300).json()
    assert (data["width"], data["height"]) == (320, 300)
    assert 'width="320" height="300"' in data["html"]


def test_sizes_never_exceed_the_widget_or_the_maximum_width(client):
    notice = factories.notice()
    data = ask(client, absolute(notice), maxwidth=5000, maxheight=5000).json()
    assert data["width"] == MAX_WIDTH
    assert data["height"] == DEFAULT_HEIGHTS["page"]
    for value, width in [("9" * 40, MAX_WIDTH), ("9" * 5000, MAX_WIDTH), ("0" * 20 + "640", 640)]:
        assert ask(client, absolute(notice), maxwidth=value).json()["width"] == width


def test_a_wide_maxwidth_widens_the_embed_to_fill_the_column(client):
    data = ask(client, absolute(factories.notice()), maxwidth=800).json()
    assert data["width"] == 800


def test_too_small_for_any_widget_is_404(client):
    notice = factories.notice()
    assert ask(client, absolute(notice), maxwidth=MIN_WIDTH - 1).status_code == 404
    assert ask(client, absolute(notice), maxheight=oembed_module.MIN_HEIGHT - 1).status_code == 404
    assert ask(client, absolute(notice), maxwidth=MIN_WIDTH).status_code == 200


def test_an_empty_size_is_the_same_as_none(client):
    data = ask(client, absolute(factories.notice()), maxwidth="", maxheight="").json()
    assert data["width"] == DEFAULT_WIDTH


def test_only_get_and_head_are_answered(client):
    url = absolute(factories.notice())
    assert client.head("/oembed", {"url": url}).status_code == 200
    assert client.post("/oembed", {"url": url}).status_code == 405


def test_the_endpoint_answers_with_and_without_a_trailing_slash(client):
    url = absolute(factories.notice())
    assert client.get("/oembed/", {"url": url}).status_code == 200


junk = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "\x00", "-1", "0", "9" * 30, "1e9", "' OR 1=1 --", "１", " 300 ", "0x10"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
urls = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "http://testserver/notices/",
            "http://testserver/notices/notice-fuzz/",
            "http://testserver/embed/notices/?audience=%00&count=999&theme=<x>",
            "http://testserver/embed/page/0/",
            "http://testserver/embed/page/99999999999999999999/",
            "http://testserver/embed/quiz/1/a/x/1/",
            "https://testserver/%E0%A4%A/",
            "http://testserver/notices/?region=" + "9" * 300,
            "http://user:pw@testserver/notices/",
            "http://testserver:0/",
            "http://[::1]/",
            "//testserver/notices/",
            "http:///",
        ]
    ),
    st.builds(
        lambda scheme, host, path: f"{scheme}://{host}/{path}",
        st.sampled_from(["http", "https", "ftp", "HTTP"]),
        st.sampled_from(["testserver", "localhost", "TESTSERVER", "例子.中国", "evil.example"]),
        st.text(max_size=30),
    ),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=urls, fmt=st.one_of(st.sampled_from(["json", "xml", "", "JSON"]), junk), w=junk, h=junk)
def test_no_parameters_make_a_server_error(url, fmt, w, h):
    if not RiskNoticePage.objects.filter(slug="notice-fuzz").exists():
        factories.publish(
            factories.notice_index(),
            RiskNoticePage(title="模糊测试", slug="notice-fuzz", summary="摘要"),
        )
    response = Client().get("/oembed", {"url": url, "format": fmt, "maxwidth": w, "maxheight": h})
    assert response.status_code in (200, 400, 404, 501)
    if response.status_code == 200:
        assert response.content


# -- discovery -------------------------------------------------------------------------------

LINK = re.compile(
    r'<link rel="alternate" type="(application/json\+oembed|text/xml\+oembed)" href="([^"]+)" title="([^"]*)">'
)


def discovery_links(response):
    return {
        kind: html.unescape(href) for kind, href, _title in LINK.findall(response.content.decode())
    }


@pytest.mark.parametrize("make", ["notice", "case", "quiz"])
def test_pages_with_a_widget_announce_their_oembed(client, make):
    page = {"notice": factories.notice, "case": factories.case, "quiz": quiz_page}[make]()
    links = discovery_links(client.get(page.url))
    assert set(links) == {"application/json+oembed", "text/xml+oembed"}
    json_link = links["application/json+oembed"]
    assert json_link.startswith("http://testserver/oembed?")
    assert "format=json" in json_link and "format=xml" in links["text/xml+oembed"]
    assert parse_qs(urlsplit(json_link).query)["url"] == [absolute(page)]
    # The announced endpoint answers for this very page.
    response = client.get(json_link)
    assert response.status_code == 200
    assert response.json()["title"] == page.title


def test_the_notices_index_announces_its_filtered_widget(client):
    factories.notice(audiences=["elderly"])
    links = discovery_links(client.get("/notices/?audience=elderly"))
    data = client.get(links["application/json+oembed"]).json()
    assert iframe_src(data) == "http://testserver/embed/notices/?audience=elderly"


@pytest.mark.parametrize("path", ["/", "/cases/", "standard"])
def test_pages_without_a_widget_announce_nothing(client, path):
    factories.case()
    if path == "standard":
        path = factories.standard("如何举报").url
    response = client.get(path)
    assert response.status_code == 200
    assert "+oembed" not in response.content.decode()


def test_discovery_adds_no_sql_to_a_page_render(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # every request renders
    notice = factories.notice()
    client.get(notice.url)  # warm the content caches both renders share

    def count():
        # A parameter no page reads: the page is rendered, not served from its kept parts.
        with CaptureQueriesContext(connection) as queries:
            response = client.get(notice.url + "?render=1")
        assert response.status_code == 200
        return len(queries), response

    with_links, response = count()
    assert "application/json+oembed" in response.content.decode()
    with mock.patch("website.embeds.templatetags.oembed_tags.widget_for", return_value=None):
        without_links, response = count()
    assert "application/json+oembed" not in response.content.decode()
    assert with_links == without_links


# -- Wagtail's own oEmbed finder --------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wagtails_oembed_finder_embeds_our_notice_in_a_standard_page(live_server, settings):
    """A partner running Wagtail configures our endpoint as an oEmbed provider (see the
    README); an EmbedBlock holding one of our notice URLs then renders our iframe."""
    from wagtail.embeds.finders import get_finders
    from wagtail.embeds.oembed_providers import all_providers

    base = live_server.url  # http://localhost:<port>: localhost is our Wagtail site's host
    ours = {"endpoint": f"{base}/oembed", "urls": [rf"^{re.escape(base)}/.+$"]}
    settings.WAGTAILEMBEDS_FINDERS = [
        {"class": "wagtail.embeds.finders.oembed", "providers": [ours, *all_providers]}
    ]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    get_finders.cache_clear()
    try:
        notice = factories.notice("以高息为饵的理财")
        page = factories.publish(
            factories.home_page(),
            StandardPage(
                title="合作转载",
                slug="partner-embed",
                body=[{"type": "embed", "value": f"{base}{notice.url}"}],
            ),
        )
        response = Client().get(page.url)
        assert response.status_code == 200
        srcs = [html.unescape(s) for s in SRC.findall(response.content.decode())]
        assert srcs == [f"{base}/embed/page/{notice.pk}/"]
        assert 'title="以高息为饵的理财"' in response.content.decode()
    finally:
        get_finders.cache_clear()
