"""Feeds are cheap to poll: cached until content changes, validated with ETag and
Last-Modified (304), and built in a constant number of SQL queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date, parse_http_date

from tests import factories

from .helpers import FEEDS, fetch, titles

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", FEEDS)
def test_feed_headers_allow_caching_and_validation(client, url):
    factories.notice("提示")
    factories.case("案例")
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == (
        "public, max-age=300, stale-while-revalidate=3600, stale-if-error=86400"
    )
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert parse_http_date(response["Last-Modified"])
    kind = "rss" if url.endswith("rss/") else "atom"
    assert response["Content-Type"] == f"application/{kind}+xml; charset=utf-8"


def test_last_modified_is_the_newest_entry_publication(client):
    factories.case("旧案例")
    newest = factories.case("新案例")
    response = client.get("/feeds/cases/rss/")
    assert response["Last-Modified"] == http_date(int(newest.last_published_at.timestamp()))


@pytest.mark.parametrize("url", FEEDS)
def test_matching_etag_gets_304_without_a_body(client, url):
    factories.notice("提示")
    factories.case("案例")
    first = client.get(url)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == (
        "public, max-age=300, stale-while-revalidate=3600, stale-if-error=86400"
    )


@pytest.mark.parametrize("url", FEEDS)
def test_unchanged_since_last_modified_gets_304(client, url):
    factories.notice("提示")
    factories.case("案例")
    first = client.get(url)
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304


def test_other_etag_gets_the_feed(client):
    factories.notice("提示")
    response = client.get("/feeds/notices/rss/", HTTP_IF_NONE_MATCH='"something-else"')
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/feeds/notices/rss/", "/feeds/notices/atom/"])
def test_a_publish_changes_etag_last_modified_and_body_at_once(client, url):
    factories.notice("第一条")
    first = client.get(url)

    factories.notice("第二条")

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert by_etag.status_code == 200
    assert by_etag["ETag"] != first["ETag"]
    assert "第二条" in by_etag.content.decode()
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200
    assert parse_http_date(by_date["Last-Modified"]) > parse_http_date(first["Last-Modified"])


def test_an_unpublished_notice_is_a_change_too(client):
    # Removing an entry changes no remaining entry's date; Last-Modified must move anyway.
    factories.notice("留下的")
    leaving = factories.notice("撤下的")
    first = client.get("/feeds/notices/atom/")

    leaving.unpublish()

    response = client.get(
        "/feeds/notices/atom/",
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert response.status_code == 200
    assert "撤下的" not in response.content.decode()
    by_date = client.get("/feeds/notices/atom/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 200
    again = client.get("/feeds/notices/atom/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_an_unrelated_publish_keeps_the_validators(client):
    factories.case("案例")
    first = client.get("/feeds/cases/rss/")
    factories.standard("关于我们")  # bumps the site-wide content version
    again = client.get("/feeds/cases/rss/")
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


def test_each_filter_and_host_is_cached_separately(client):
    factories.notice("老人提示", audiences=["elderly"])
    factories.notice("学生提示", audiences=["students"])
    _, elderly = fetch(client, "/feeds/notices/rss/", {"audience": "elderly"})
    _, students = fetch(client, "/feeds/notices/rss/", {"audience": "students"})
    _, everyone = fetch(client, "/feeds/notices/rss/")
    assert titles(elderly) == {"老人提示"}
    assert titles(students) == {"学生提示"}
    assert titles(everyone) == {"老人提示", "学生提示"}
    _, other_host = fetch(client, "/feeds/notices/rss/", HTTP_HOST="bank.example.cn")
    assert other_host.entries[0].link.startswith("http://bank.example.cn/")


def test_a_cached_feed_costs_no_sql(client, django_assert_num_queries):
    factories.notice("提示", audiences=["elderly"])
    client.get("/feeds/notices/rss/", {"audience": "elderly"})
    with django_assert_num_queries(0):
        response = client.get("/feeds/notices/rss/", {"audience": "elderly"})
    assert response.status_code == 200


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def make_items(n, offset=0):
    tags = ["投资理财", "养老服务"]
    regions = ["430922", "430923", "430922100201"]
    for i in range(offset, offset + n):
        audiences = ["elderly", "students"] if i % 2 else ["elderly", "rural"]
        region = regions[i % 3]
        factories.notice(f"提示{i}", audiences=audiences, tags=tags, region=region)
        factories.case(f"案例{i}", audiences=audiences, tags=tags[: i % 2 + 1], region=region)


@pytest.mark.parametrize("url", FEEDS)
@pytest.mark.parametrize("params", [{}, {"audience": "elderly", "region": "4309"}])
def test_feed_queries_do_not_grow_with_items(client, url, params, django_assert_max_num_queries):
    make_items(3)
    client.get(url, params)  # creates the site's settings row
    factories.standard()  # a publish: the next request builds the feed again
    few = count_queries(client, url, params)

    make_items(9, offset=3)
    with django_assert_max_num_queries(few):
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(fetch(client, url, params)[1].entries) == 12


@pytest.mark.parametrize("url", FEEDS)
def test_a_304_can_be_read_across_origins_and_is_not_split_by_cookie(client, url):
    # A partner's script revalidating a feed reads the 304 and its ETag; a CDN keeps one
    # copy whatever cookies the visitor sent.
    factories.notice("提示")
    first = client.get(url)
    client.cookies["elder"] = "1"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ORIGIN="https://bank.example")
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in again["Access-Control-Expose-Headers"]
    assert "cookie" not in first.get("Vary", "").lower()
    assert "cookie" not in again.get("Vary", "").lower()
