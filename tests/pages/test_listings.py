import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_notices():
    return {
        "elderly_pension": factories.notice(
            "养老院预售床位", audiences=["elderly"], tags=["养老服务"], region="430922100201"
        ),
        "student_crypto": factories.notice(
            "校园虚拟币", audiences=["students"], tags=["区块链/虚拟货币"], region="430104"
        ),
        "elderly_crypto": factories.notice(
            "老人挖矿机", audiences=["elderly"], tags=["区块链/虚拟货币"], region="430923"
        ),
        "everyone": factories.notice("全辖区提示", audiences=["rural"]),
    }


def titles(response):
    return {item.title for item in response.context["items"]}


def test_filter_by_audience(client, mixed_notices):
    response = client.get("/notices/", {"audience": "elderly"})
    assert titles(response) == {"养老院预售床位", "老人挖矿机"}


def test_filter_by_tag(client, mixed_notices):
    response = client.get("/notices/", {"tag": "区块链虚拟货币"})
    assert titles(response) == {"校园虚拟币", "老人挖矿机"}


def test_filter_by_region_includes_descendants_and_whole_jurisdiction(client, mixed_notices):
    # 桃江县 contains the village of the pension notice; 全辖区 notices apply everywhere.
    response = client.get("/notices/", {"region": "430922"})
    assert titles(response) == {"养老院预售床位", "全辖区提示"}


def test_filter_by_region_includes_notices_for_ancestor_regions(client, mixed_notices):
    factories.notice("益阳全市提示", region="4309")
    response = client.get("/notices/", {"region": "430922100201"})
    assert titles(response) == {"养老院预售床位", "全辖区提示", "益阳全市提示"}


def test_filters_combine(client, mixed_notices):
    response = client.get("/notices/", {"audience": "elderly", "tag": "区块链虚拟货币"})
    assert titles(response) == {"老人挖矿机"}


def test_filtered_url_is_shareable_and_pagination_keeps_filters(client):
    for i in range(14):
        factories.notice(f"老年提示{i}", audiences=["elderly"])
    factories.notice("学生提示", audiences=["students"])
    response = client.get("/notices/", {"audience": "elderly"})
    html = response.content.decode()
    assert response.context["items"].paginator.count == 14
    assert 'href="?audience=elderly&amp;page=2"' in html
    page2 = client.get("/notices/?audience=elderly&page=2")
    assert len(page2.context["items"]) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"audience": "no-such-group"},
        {"tag": "不存在的标签"},
        {"region": "99999999"},
        {"region": "'; DROP TABLE x; --"},
        {"audience": "x" * 5000},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "999999999999999999999"},
        {"status": "<script>"},
        {"audience": "\x00\x01"},
    ],
)
def test_junk_filters_are_ignored_never_an_error(client, mixed_notices, params):
    response = client.get("/notices/", params)
    assert response.status_code == 200
    assert len(response.context["items"]) >= 1


def test_unknown_filter_value_is_reported_to_the_reader(client, mixed_notices):
    response = client.get("/notices/", {"audience": "no-such-group"})
    assert "没有找到您指定的人群" in response.content.decode()


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/notices/", "/cases/", "/"])
def test_listing_queries_do_not_grow_with_items(client, url, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    tags = ["投资理财", "养老服务"]
    for _ in range(2):
        factories.notice(audiences=["elderly", "rural"], tags=tags, region="430922")
        factories.case(audiences=["elderly"], tags=tags, region="430922")
    client.get(url)  # creates the site's settings row and warms the per-content caches
    few = count_queries(client, url)
    for _ in range(10):
        factories.notice(audiences=["elderly", "students"], tags=tags, region="430923")
        factories.case(audiences=["students"], tags=tags, region="430923")
    client.get(url)  # publishing cleared the per-content caches; warm them as before
    many = count_queries(client, url)
    assert many == few
