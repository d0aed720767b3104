import pytest
from django.contrib.auth.models import User

from tests import factories
from website.taxonomy.models import Audience

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_hit(client):
    factories.notice("提示")
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"


def test_publishing_is_visible_at_once(client):
    factories.notice("旧提示")
    client.get("/notices/")
    assert client.get("/notices/")["X-Cache"] == "HIT"
    factories.notice("刚发布的提示")
    response = client.get("/notices/")
    assert "刚发布的提示" in response.content.decode()


def test_editing_a_published_page_is_visible_at_once(client):
    page = factories.notice("原标题")
    client.get(page.url)
    page.title = "改过的标题"
    page.save_revision().publish()
    assert "改过的标题" in client.get(page.url).content.decode()


def test_a_saved_draft_does_not_change_the_public_page(client):
    page = factories.notice("已发布标题")
    page.title = "草稿标题"
    page.save_revision()
    html = client.get(page.url).content.decode()
    assert "已发布标题" in html and "草稿标题" not in html


def test_unpublishing_removes_the_page_at_once(client):
    page = factories.notice("要撤下的提示")
    assert client.get(page.url).status_code == 200
    client.get("/")
    page.unpublish()
    assert client.get(page.url).status_code == 404
    assert "要撤下的提示" not in client.get("/").content.decode()


def test_reference_data_change_clears_the_cache(client):
    client.get("/")
    Audience.objects.filter(slug="elderly").update(entry_label="x")  # no signal: stays cached
    assert client.get("/")["X-Cache"] == "HIT"
    audience = Audience.objects.get(slug="elderly")
    audience.entry_label = "我是退休老人"
    audience.save()
    assert "我是退休老人" in client.get("/").content.decode()


def test_logged_in_editors_bypass_the_cache(client):
    factories.notice("提示")
    client.get("/")
    user = User.objects.create_superuser("ed", "ed@example.com", "pw-123456789")
    client.force_login(user)
    response = client.get("/")
    assert "X-Cache" not in response
    # The editor's page (with the Wagtail user bar) must not be served to the public.
    client.logout()
    client.cookies.pop("sessionid", None)
    assert "wagtail-userbar" not in client.get("/").content.decode()


def test_404_and_search_posts_are_not_cached(client):
    assert "X-Cache" not in client.get("/no-such-page/")
    assert client.post("/search/").status_code == 405


def test_pages_with_a_csrf_token_are_never_cached(client, rf):
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    from website.core.cache import PublicPageCacheMiddleware

    def view_with_form(request):
        return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')

    middleware = PublicPageCacheMiddleware(view_with_form)
    for _ in range(2):
        request = rf.get("/form/")
        request.COOKIES["csrftoken"] = "x" * 32
        response = middleware(request)
        assert response.get("X-Cache") != "HIT"
