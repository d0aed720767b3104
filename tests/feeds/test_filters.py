"""Feeds filter by audience, region and tag as the index pages do, list only what is live
and in force, and answer a filter value that names nothing with 400, never a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import factories
from website.pages.models import RiskNoticePage

from .helpers import FEEDS, fetch, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_notices():
    factories.notice(
        "养老院预售床位", audiences=["elderly"], tags=["养老服务"], region="430922100201"
    )
    factories.notice(
        "校园虚拟币", audiences=["students"], tags=["区块链/虚拟货币"], region="430104"
    )
    factories.notice("老人挖矿机", audiences=["elderly"], tags=["区块链/虚拟货币"], region="430923")
    factories.notice("全辖区提示", audiences=["rural"])


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_filter_by_audience(client, mixed_notices, fmt):
    _, parsed = fetch(client, f"/feeds/notices/{fmt}/", {"audience": "elderly"})
    assert titles(parsed) == {"养老院预售床位", "老人挖矿机"}


def test_filter_by_tag(client, mixed_notices):
    _, parsed = fetch(client, "/feeds/notices/rss/", {"tag": "区块链虚拟货币"})
    assert titles(parsed) == {"校园虚拟币", "老人挖矿机"}


def test_filter_by_region_includes_its_subtree_and_the_whole_jurisdiction(client, mixed_notices):
    _, parsed = fetch(client, "/feeds/notices/atom/", {"region": "430922"})
    assert titles(parsed) == {"养老院预售床位", "全辖区提示"}


def test_filter_by_region_includes_content_for_its_ancestors(client, mixed_notices):
    factories.notice("益阳全市提示", region="4309")
    factories.notice("长沙市提示", region="4301")
    _, parsed = fetch(client, "/feeds/notices/rss/", {"region": "430922100201"})
    assert titles(parsed) == {"养老院预售床位", "全辖区提示", "益阳全市提示"}


def test_filters_combine(client, mixed_notices):
    _, parsed = fetch(
        client, "/feeds/notices/rss/", {"audience": "elderly", "tag": "区块链虚拟货币"}
    )
    assert titles(parsed) == {"老人挖矿机"}


def test_cases_filter_too(client):
    factories.case("老人案例", audiences=["elderly"], tags=["养老服务"], region="430922")
    factories.case("学生案例", audiences=["students"], region="430104")
    _, parsed = fetch(client, "/feeds/cases/atom/", {"audience": "elderly"})
    assert titles(parsed) == {"老人案例"}
    _, parsed = fetch(client, "/feeds/cases/rss/", {"region": "430104"})
    assert titles(parsed) == {"学生案例"}


def test_feed_title_names_the_active_filters(client, mixed_notices):
    _, parsed = fetch(client, "/feeds/notices/atom/", {"audience": "elderly", "region": "430922"})
    assert parsed.feed.title.startswith("风险提示 · 老年人 · 桃江县 · ")
    assert "老年人" in parsed.feed.subtitle


def test_self_link_is_the_canonical_filtered_url(client, mixed_notices):
    response, parsed = fetch(
        client,
        "/feeds/notices/atom/",
        {"tag": "养老服务", "audience": "elderly", "utm_source": "wx", "_": "1"},
    )
    self_link = next(link.href for link in parsed.feed.links if link.rel == "self")
    assert self_link == (
        "http://testserver/feeds/notices/atom/?audience=elderly&tag=%E5%85%BB%E8%80%81%E6%9C%8D%E5%8A%A1"
    )
    assert parsed.feed.link.startswith("http://testserver/notices/?audience=elderly&tag=")


def test_blank_filter_values_mean_no_filter(client, mixed_notices):
    _, parsed = fetch(client, "/feeds/notices/rss/", {"audience": "", "region": "  "})
    assert len(parsed.entries) == 4


def test_expired_unpublished_and_draft_notices_are_left_out(client):
    factories.notice("有效提示", valid_until=factories.days(0))
    factories.notice("过期提示", valid_until=factories.days(-1))
    factories.notice("撤下的提示").unpublish()
    factories.notice_index().add_child(
        instance=RiskNoticePage(
            title="草稿提示", slug="draft", summary="摘要", body=factories.body("正文"), live=False
        )
    )
    for fmt in ("rss", "atom"):
        _, parsed = fetch(client, f"/feeds/notices/{fmt}/")
        assert titles(parsed) == {"有效提示"}


def test_unpublished_cases_are_left_out(client):
    factories.case("在线案例")
    factories.case("撤下的案例").unpublish()
    _, parsed = fetch(client, "/feeds/cases/rss/")
    assert titles(parsed) == {"在线案例"}


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"audience": "no-such-group"}, "audience（人群）"),
        ({"tag": "不存在的标签"}, "tag（类型）"),
        ({"region": "99999999"}, "region（地区）"),
        ({"region": "'; DROP TABLE x; --"}, "region（地区）"),
        ({"audience": "x" * 5000}, "audience（人群）"),
        ({"audience": "\x00\x01"}, "audience（人群）"),
        ({"audience": ["elderly", "students"]}, "audience（人群）"),
        ({"audience": "elderly", "region": "0"}, "region（地区）"),
    ],
)
@pytest.mark.parametrize("url", FEEDS)
def test_a_filter_that_names_nothing_is_a_400_naming_the_parameter(client, url, params, named):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert named in text
    assert "<" not in text.replace("'; DROP", "")
    assert len(text) < 400


def test_the_same_value_twice_is_not_an_error(client, mixed_notices):
    _, parsed = fetch(client, "/feeds/notices/rss/", {"audience": ["elderly", "elderly"]})
    assert titles(parsed) == {"养老院预售床位", "老人挖矿机"}


def test_control_characters_around_a_known_value_are_dropped(client, mixed_notices):
    _, parsed = fetch(client, "/feeds/notices/rss/", {"audience": "elderly\x00"})
    assert titles(parsed) == {"养老院预售床位", "老人挖矿机"}


def test_only_get_and_head_are_allowed(client):
    assert client.post("/feeds/notices/rss/").status_code == 405
    assert client.head("/feeds/notices/rss/").status_code == 200


junk = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Co"]), max_size=10),
    st.sampled_from(["elderly", "430922", "养老服务", "\x00", "elderly\x00", "%00", "9" * 300]),
)
params = st.dictionaries(
    st.sampled_from(["audience", "region", "tag", "page", "status", "format", "q"]),
    st.lists(junk, min_size=1, max_size=3),
    max_size=4,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(url=st.sampled_from(FEEDS), query=params)
def test_junk_query_parameters_never_give_a_server_error(mixed_notices, url, query):
    response = Client().get(url, query)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert any(name in response.content.decode() for name in ("audience", "region", "tag"))
