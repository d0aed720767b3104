"""What partners asked of the feeds: a level filter, entry images, categories that say
what they are, a 400 for a misspelt filter name, CORS on errors."""

import xml.etree.ElementTree as ET

import pytest

from tests import factories
from tests.api.helpers import image

from .helpers import ATOM, fetch, titles

pytestmark = pytest.mark.django_db

MEDIA = "{http://search.yahoo.com/mrss/}"


@pytest.fixture
def levels():
    factories.notice("一般提示", level="notice")
    factories.notice("警示提示", level="warning")
    factories.notice("严重提示", level="severe")


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_bank_screen_can_ask_for_severe_notices_only(client, levels, fmt):
    response, parsed = fetch(client, f"/feeds/notices/{fmt}/", {"level": "severe"})
    assert titles(parsed) == {"严重提示"}
    assert "严重警示" in parsed.feed.title
    _, everything = fetch(client, f"/feeds/notices/{fmt}/")
    assert titles(everything) == {"一般提示", "警示提示", "严重提示"}
    assert response["ETag"] != client.get(f"/feeds/notices/{fmt}/")["ETag"]


def test_an_unknown_level_is_a_400_listing_the_levels(client, levels):
    response = client.get("/feeds/notices/rss/", {"level": "red"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "level" in text and "severe" in text and "warning" in text
    assert response["Access-Control-Allow-Origin"] == "*"


def test_cases_have_no_level(client):
    factories.case("案例")
    response = client.get("/feeds/cases/atom/", {"level": "severe"})
    assert response.status_code == 400
    assert "level" in response.content.decode()


@pytest.mark.parametrize(
    "name, nearest", [("audiance", "audience"), ("Region", "region"), ("audience[]", "audience")]
)
def test_a_misspelt_filter_name_is_a_400_naming_the_valid_ones(client, levels, name, nearest):
    response = client.get("/feeds/notices/rss/", {name: "elderly"})
    assert response.status_code == 400
    text = response.content.decode()
    assert name in text and f"是不是 {nearest}" in text
    assert "audience、region、tag、level" in text
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Type"].startswith("text/plain")


def test_tracking_tags_and_cache_busters_are_not_filters(client, levels):
    _, parsed = fetch(client, "/feeds/notices/rss/", {"utm_source": "wx", "_": "123"})
    assert len(parsed.entries) == 3


def test_categories_say_whether_they_are_audiences_tags_or_regions(client):
    factories.notice(
        "养老提示", audiences=["elderly"], tags=["养老服务"], region="430922", level="severe"
    )
    rss = ET.fromstring(client.get("/feeds/notices/rss/").content)
    domains = {c.text: c.get("domain") for c in rss.iter("category")}
    assert domains["老年人"] == "http://testserver/api/v2/audiences/"
    assert domains["养老服务"] == "http://testserver/api/v2/tags/"
    assert domains["湖南省 益阳市 桃江县"] == "http://testserver/api/v2/regions/"
    atom = ET.fromstring(client.get("/feeds/notices/atom/").content)
    schemes = {c.get("term"): c.get("scheme") for c in atom.iter(f"{ATOM}category")}
    assert schemes["老年人"].endswith("/api/v2/audiences/")
    assert schemes["养老服务"].endswith("/api/v2/tags/")
    labels = {c.get("label") for c in atom.iter(f"{ATOM}category")}
    assert "适用人群：老年人" in labels and "地区：湖南省 益阳市 桃江县" in labels


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_entries_carry_their_listing_image(client, fmt):
    notice = factories.notice("有图的提示")
    notice.listing_image = image()
    notice.save_revision().publish()
    factories.notice("没图的提示")
    _, parsed = fetch(client, f"/feeds/notices/{fmt}/")
    by_title = {e.title: e for e in parsed.entries}
    pictured = by_title["有图的提示"]
    assert pictured.media_content[0]["url"].startswith("http://testserver/")
    assert pictured.media_content[0]["width"] == "480"
    enclosures = [link for link in pictured.links if link.rel == "enclosure"]
    assert enclosures and enclosures[0].type == "image/png" and int(enclosures[0].length) > 0
    assert not getattr(by_title["没图的提示"], "media_content", None)
    root = ET.fromstring(client.get(f"/feeds/notices/{fmt}/").content)
    assert len(list(root.iter(f"{MEDIA}thumbnail"))) == 1
