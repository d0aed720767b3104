"""Feeds are found: autodiscovery links on every page, and a visible subscribe link on the
notice and case lists that keeps the reader's filters."""

import re

import pytest
from django.template.loader import render_to_string

from tests import factories

pytestmark = pytest.mark.django_db


def alternates(html):
    head = html.split("</head>")[0]
    return {
        (m.group("type"), m.group("href"))
        for m in re.finditer(
            r'<link rel="alternate" type="(?P<type>[^"]+)"[^>]*href="(?P<href>[^"]+)"', head
        )
    }


@pytest.mark.parametrize("url", ["/", "/notices/", "/cases/"])
def test_every_page_advertises_the_feeds_in_its_head(client, url):
    factories.notice_index()
    factories.case_index()
    response = client.get(url)
    assert response.status_code == 200
    assert alternates(response.content.decode()) >= {
        ("application/rss+xml", "/feeds/notices/rss/"),
        ("application/atom+xml", "/feeds/notices/atom/"),
        ("application/rss+xml", "/feeds/cases/rss/"),
        ("application/atom+xml", "/feeds/cases/atom/"),
    }


def test_discovery_links_cost_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("feeds/discovery.html")
    assert html.count('rel="alternate"') == 4


def test_advertised_feeds_answer(client):
    factories.notice("提示")
    html = client.get("/").content.decode()
    for _, href in alternates(html):
        if href.startswith("/feeds/"):
            assert client.get(href).status_code == 200


@pytest.mark.parametrize(("url", "section"), [("/notices/", "notices"), ("/cases/", "cases")])
def test_index_page_subscribe_link_carries_the_filters(client, url, section):
    factories.notice_index()
    factories.case_index()
    html = client.get(url, {"audience": "elderly", "region": "430922", "page": "1"}).content
    html = html.decode()
    assert "订阅（RSS）" in html
    assert f'href="/feeds/{section}/rss/?audience=elderly&amp;region=430922"' in html
    assert f'href="/feeds/{section}/atom/?audience=elderly&amp;region=430922"' in html


def test_subscribe_link_leaves_out_unknown_filters(client):
    factories.notice("提示")
    html = client.get("/notices/", {"audience": "no-such-group"}).content.decode()
    assert 'href="/feeds/notices/rss/"' in html


def test_subscribe_link_leads_to_the_same_items_as_the_page(client):
    factories.notice("老人提示", audiences=["elderly"])
    factories.notice("学生提示", audiences=["students"])
    html = client.get("/notices/", {"audience": "elderly"}).content.decode()
    href = re.search(r'class="feed-link" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    feed = client.get(href).content.decode()
    assert "老人提示" in feed
    assert "学生提示" not in feed
