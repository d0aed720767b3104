import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_sitemap_lists_published_pages_only(client):
    live = factories.notice("已发布")
    draft = factories.notice("撤下的")
    draft.unpublish()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    assert f"/notices/{live.slug}/</loc>" in xml
    assert f"/notices/{draft.slug}/" not in xml


def test_unknown_url_gets_a_chinese_404_page(client):
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert "找不到这个页面" in response.content.decode()
