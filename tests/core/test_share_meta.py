"""What a link-preview bot sees (WeChat, QQ, DingTalk and search engines all read Open Graph
and JSON-LD): pages are fetched from a live server and parsed with extruct, the extractor
such crawlers are built on, rather than by matching strings."""

import extruct
import pytest
import requests
from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.models import Site

from tests import factories
from website.core.models import ReportingSettings

BASE = settings.FANGFEI_BASE_URL


def card(html, url):
    """Return (Open Graph properties as a dict, JSON-LD items, canonical href, icons)."""
    data = extruct.extract(html, base_url=url, syntaxes=["opengraph", "json-ld"], uniform=True)
    (og,) = data["opengraph"]
    soup = BeautifulSoup(html, "html.parser")
    canonical = soup.find("link", rel="canonical")["href"]
    icons = {" ".join(link["rel"]): link["href"] for link in soup.find_all("link", rel=True)}
    return og, data["json-ld"], canonical, icons


# Serialized rollback: a plain flush would re-create content types under new ids and break
# the serialized-rollback tests that run after this one.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_shared_case_notice_and_home_show_a_proper_card(live_server):
    reporting = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    reporting.hotline = "0737-1234567"
    reporting.save()
    case = factories.case("养老院床位骗局", summary="高息认购床位，最后人去楼空。")
    notice = factories.notice("警惕虚拟货币", summary="不要相信稳赚不赔的币。")

    for page, kind in ((case, "Article"), (notice, "Article")):
        html = requests.get(live_server.url + page.url, timeout=30).text
        og, ld, canonical, icons = card(html, live_server.url + page.url)
        assert og["og:title"] == page.title
        assert og["og:description"] == page.summary
        assert og["og:url"] == canonical == BASE + page.url
        assert og["og:image"].startswith(BASE + "/static/")
        assert og["@type"] == "article"
        (article,) = ld
        assert article["@type"] == kind and article["headline"] == page.title
        assert article["publisher"]["@type"] == "GovernmentOrganization"
        assert article["datePublished"] and article["url"] == canonical
        assert icons["apple-touch-icon"].endswith(".png")
        assert "icon" in icons

    html = requests.get(live_server.url + "/", timeout=30).text
    og, ld, canonical, _icons = card(html, live_server.url + "/")
    assert canonical == og["og:url"] == BASE + "/"
    assert og["og:description"]
    (org,) = ld
    assert org["@type"] == "GovernmentOrganization"
    assert org["telephone"] == "0737-1234567" and org["url"] == BASE + "/"
    # The picture the card points at is really there.
    image = requests.get(live_server.url + og["og:image"][len(BASE) :], timeout=30)
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"


@pytest.mark.django_db
def test_a_page_with_its_own_picture_shares_that_picture(client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="海报", file=get_test_image_file())
    page = factories.case("带图的案例")
    page.listing_image = image
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    og, ld, _canonical, _icons = card(html, BASE + page.url)
    assert og["og:image"].startswith(BASE + "/media/images/")
    assert ld[0]["image"] == [og["og:image"]]


@pytest.mark.django_db
def test_quiz_pages_and_pages_without_a_summary_still_have_a_description(client):
    from quiz.models import QuizPage

    quiz = QuizPage(title="防非知识测一测", slug="quiz", intro="十道题，看看您能不能识破骗局。")
    factories.publish(factories.home_page(), quiz)
    html = client.get(quiz.url).content.decode()
    og, _ld, _canonical, _icons = card(html, BASE + quiz.url)
    assert og["og:description"] == "十道题，看看您能不能识破骗局。"
    assert og["@type"] == "website"

    bare = factories.standard("没有导语的页面")
    og, _ld, _canonical, _icons = card(client.get(bare.url).content.decode(), BASE + bare.url)
    assert "非法集资" in og["og:description"]


@pytest.mark.django_db
def test_json_ld_cannot_be_closed_by_page_text(client):
    page = factories.case('</script><script>alert("x")</script>', summary="<b>&</b>")
    html = client.get(page.url).content.decode()
    assert '</script><script>alert("x")' not in html
    _og, ld, _canonical, _icons = card(html, BASE + page.url)
    assert ld[0]["headline"] == '</script><script>alert("x")</script>'
