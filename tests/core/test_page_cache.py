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


# -- who bypasses the cache ----------------------------------------------------------------------
def test_a_made_up_session_cookie_gets_the_cached_page(client):
    factories.notice("提示")
    assert client.get("/")["X-Cache"] == "MISS"
    for made_up in ("x", "not-a-session-key", "a" * 32, "0123456789abcdefghij0123456789ab"):
        client.cookies["sessionid"] = made_up
        assert client.get("/")["X-Cache"] == "HIT", made_up


def test_a_made_up_session_cookie_alone_fills_the_cache(client):
    client.cookies["sessionid"] = "b" * 32
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"


def test_an_anonymous_session_gets_the_cached_page(client):
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["campaigns_sms_signup"] = {"phone": "13800138000", "at": 0}
    session.create()
    client.get("/")
    client.cookies["sessionid"] = session.session_key
    assert client.get("/")["X-Cache"] == "HIT"


def test_a_visitor_who_gave_a_page_password_bypasses_the_cache(client):
    from django.contrib.sessions.backends.db import SessionStore
    from wagtail.models import PageViewRestriction

    session = SessionStore()
    session[PageViewRestriction.passed_view_restrictions_session_key] = [1]
    session.create()
    client.get("/")
    client.cookies["sessionid"] = session.session_key
    assert "X-Cache" not in client.get("/")


def test_a_signed_in_editor_with_a_cached_page_still_gets_their_own(client):
    factories.notice("提示")
    assert client.get("/")["X-Cache"] == "MISS"
    client.force_login(User.objects.create_superuser("ed2", "ed2@example.com", "pw-123456789"))
    response = client.get("/")
    assert "X-Cache" not in response
    assert "wagtail-userbar" in response.content.decode()


# -- which query parameters make a page --------------------------------------------------------
def test_unknown_query_parameters_share_one_cached_page(client):
    factories.notice("提示")
    assert client.get("/notices/")["X-Cache"] == "MISS"
    for query in ("utm_source=wechat", "utm_source=qq&from=singlemessage", "fbclid=1&x=%FF"):
        assert client.get(f"/notices/?{query}")["X-Cache"] == "HIT", query


def test_unknown_query_parameters_never_reach_a_cached_page(client):
    html = client.get("/?utm_campaign=secret-partner-id").content.decode()
    assert "secret-partner-id" not in html
    response = client.get("/")
    assert response["X-Cache"] == "HIT"
    assert "secret-partner-id" not in response.content.decode()


def test_parameters_a_page_reads_keep_their_own_entries(client):
    factories.notice("当前提示")
    assert client.get("/notices/")["X-Cache"] == "MISS"
    assert client.get("/notices/?status=expired")["X-Cache"] == "MISS"
    assert client.get("/notices/?page=2")["X-Cache"] == "MISS"
    assert client.get("/notices/?audience=elderly")["X-Cache"] == "MISS"
    assert client.get("/notices/?utm_source=x&status=expired")["X-Cache"] == "HIT"
    assert client.get("/search/?q=养老")["X-Cache"] == "MISS"
    assert client.get("/search/?q=投资")["X-Cache"] == "MISS"
    assert client.get("/search/?utm_source=x&q=养老")["X-Cache"] == "HIT"


def test_the_order_of_parameters_does_not_make_a_new_entry(client):
    factories.notice_index()
    client.get("/notices/?status=expired&page=1")
    assert client.get("/notices/?page=1&status=expired")["X-Cache"] == "HIT"


def test_the_api_still_refuses_unknown_parameters(client):
    assert client.get("/api/v2/pages/")["X-Cache"] == "MISS"
    assert client.get("/api/v2/pages/?utm_source=x").status_code == 400


# -- compressed copies ------------------------------------------------------------------------
def test_a_browser_taking_gzip_gets_a_copy_compressed_once_not_per_hit(client):
    import gzip
    from unittest import mock

    from django.middleware import gzip as django_gzip

    factories.notice("压缩提示", summary="不要相信保本高息。" * 20)
    plain = client.get("/notices/").content
    with mock.patch.object(
        django_gzip, "compress_string", wraps=django_gzip.compress_string
    ) as compressing:
        first = client.get("/notices/", headers={"Accept-Encoding": "gzip, deflate"})
        again = client.get("/notices/", headers={"Accept-Encoding": "gzip, deflate"})
    assert (first["X-Cache"], again["X-Cache"]) == ("MISS", "HIT")
    assert compressing.call_count == 1  # when it was stored, not on the hit
    for response in (first, again):
        assert response["Content-Encoding"] == "gzip"
        assert int(response["Content-Length"]) == len(response.content)
        assert gzip.decompress(response.content) == plain
        vary = {v.strip().lower() for v in response["Vary"].split(",")}
        assert {"accept-encoding", "cookie"} <= vary
    # A client that takes no gzip still gets the page as it is.
    bare = client.get("/notices/")
    assert bare["X-Cache"] == "HIT" and "Content-Encoding" not in bare
    assert bare.content == plain


def test_a_publish_reaches_the_compressed_copy_at_once(client):
    import gzip

    factories.notice("旧提示")
    gz = {"Accept-Encoding": "gzip"}
    client.get("/notices/", headers=gz)
    assert client.get("/notices/", headers=gz)["X-Cache"] == "HIT"
    factories.notice("刚发布的压缩提示")
    response = client.get("/notices/", headers=gz)
    assert "刚发布的压缩提示" in gzip.decompress(response.content).decode()


def test_elder_mode_has_its_own_compressed_copy(client):
    import gzip

    factories.notice("提示")
    gz = {"Accept-Encoding": "gzip"}
    standard = gzip.decompress(client.get("/", headers=gz).content)
    client.cookies["elder"] = "1"
    elder = client.get("/", headers=gz)
    assert elder["X-Cache"] == "MISS"
    assert gzip.decompress(elder.content) != standard
