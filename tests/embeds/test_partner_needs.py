"""Widgets and oEmbed for partners: a level filter, misspelt names refused, unknown filter
values refused by oEmbed, and campaigns embeddable like notices and cases."""

import html
import re

import pytest

from tests import factories
from tests.campaigns.outreach import factories as of

pytestmark = pytest.mark.django_db

SRC = re.compile(r'<iframe src="([^"]+)"')


@pytest.fixture
def levels():
    factories.notice("一般提示", level="notice")
    factories.notice("严重提示", level="severe")


@pytest.mark.parametrize("widget", ["notices", "kiosk"])
def test_widgets_show_only_the_level_asked_for(client, levels, widget):
    text = client.get(f"/embed/{widget}/", {"level": "severe"}).content.decode()
    assert "严重提示" in text and "一般提示" not in text
    everything = client.get(f"/embed/{widget}/?count=5").content.decode()
    assert "一般提示" in everything or widget == "kiosk"


def test_the_level_travels_with_the_widgets_own_links(client, levels):
    text = client.get("/embed/notices/", {"level": "severe"}).content.decode()
    assert 'href="/embed/notices/?size=large&amp;level=severe"' in text
    kiosk = client.get("/embed/kiosk/", {"level": "severe"}).content.decode()
    assert "level=severe" in kiosk


@pytest.mark.parametrize(
    "path, name", [("/embed/notices/", "audiance"), ("/embed/kiosk/", "intervall")]
)
def test_a_misspelt_parameter_is_a_400_inside_the_frame(client, levels, path, name):
    response = client.get(path, {name: "x"})
    assert response.status_code == 400
    text = response.content.decode()
    assert name in text and "audience" in text and "level" in text


def test_an_unknown_level_is_a_400(client, levels):
    response = client.get("/embed/notices/", {"level": "red"})
    assert response.status_code == 400
    assert "severe" in response.content.decode()


def test_a_card_takes_only_its_look(client):
    notice = factories.notice("提示")
    assert client.get(f"/embed/page/{notice.pk}/", {"theme": "dark"}).status_code == 200
    response = client.get(f"/embed/page/{notice.pk}/", {"them": "dark"})
    assert response.status_code == 400 and "theme" in response.content.decode()


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("http://testserver/notices/?tag=nonsense", "tag"),
        ("http://testserver/notices/?audience=nobody", "audience"),
        ("http://testserver/embed/notices/?region=000000", "region"),
        ("http://testserver/embed/kiosk/?level=red", "level"),
        ("http://testserver/embed/notices/?audiance=elderly", "audiance"),
    ],
)
def test_oembed_refuses_filters_that_name_nothing(client, url, parameter):
    factories.notice("提示", audiences=["elderly"])
    response = client.get("/oembed", {"url": url})
    assert response.status_code == 404
    assert parameter in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_oembed_passes_the_level_on(client, levels):
    factories.notice_index()
    data = client.get("/oembed", {"url": "http://testserver/embed/kiosk/?level=severe"}).json()
    src = html.unescape(SRC.search(data["html"]).group(1))
    assert src == "http://testserver/embed/kiosk/?level=severe"
    assert "严重警示" in data["title"]


def test_a_campaign_is_a_card_with_its_next_events(client):
    page = of.campaign("防范非法集资宣传月")
    of.event(page, title="社区宣讲")
    card = client.get(f"/embed/page/{page.pk}/")
    text = card.content.decode()
    assert card.status_code == 200
    assert "防范非法集资宣传月" in text and "社区宣讲" in text and "宣传月" in text
    assert "13812345678" not in text and "张三" not in text


def test_a_campaign_has_oembed_discovery_and_a_share_panel(client):
    page = of.campaign("防范非法集资宣传月")
    text = client.get(page.url).content.decode()
    assert 'type="application/json+oembed"' in text
    assert f"/embed/page/{page.pk}/" in text  # the share panel's snippet
    data = client.get("/oembed", {"url": f"http://testserver{page.url}"}).json()
    assert data["title"] == "防范非法集资宣传月"
    assert html.unescape(SRC.search(data["html"]).group(1)) == (
        f"http://testserver/embed/page/{page.pk}/"
    )
