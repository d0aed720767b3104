import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_every_page_offers_the_switch(client):
    page = factories.notice("提示")
    for url in ["/", "/notices/", page.url, "/search/?q=养老", "/for/elderly/"]:
        html = client.get(url).content.decode()
        assert "/mode/elder/on/?next=" in html, url


def test_switch_sets_cookie_and_returns_to_the_page(client):
    response = client.get("/mode/elder/on/", {"next": "/notices/?audience=elderly"})
    assert response.status_code == 302
    assert response["Location"] == "/notices/?audience=elderly"
    assert response.cookies["elder"].value == "1"
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans" class="elder">' in html
    assert "退出长辈模式" in html


def test_switch_off_clears_the_cookie(client):
    client.get("/mode/elder/on/")
    response = client.get("/mode/elder/off/", {"next": "/"})
    assert response.cookies["elder"].value == ""
    assert 'class="elder"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_switch_never_redirects_off_site(client, target):
    response = client.get("/mode/elder/on/", {"next": target})
    assert response["Location"] == "/"


def test_switch_only_answers_get(client):
    assert client.post("/mode/elder/on/").status_code == 405


def test_cached_page_is_never_served_in_the_other_mode(client):
    factories.notice("提示")
    standard = client.get("/notices/")
    assert standard["X-Cache"] == "MISS"
    assert client.get("/notices/")["X-Cache"] == "HIT"
    client.cookies["elder"] = "1"
    elder = client.get("/notices/")
    assert elder["X-Cache"] == "MISS"
    assert 'class="elder"' in elder.content.decode()
    assert client.get("/notices/")["X-Cache"] == "HIT"
    assert 'class="elder"' in client.get("/notices/").content.decode()


def test_unknown_switch_state_is_404(client):
    assert client.get("/mode/elder/maybe/").status_code == 404
