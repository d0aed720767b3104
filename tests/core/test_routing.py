"""Pages routed from the content-versioned cache (website/core/routing.py): never a stale
page after a publish, unpublish, move or rename; restrictions still asked for; editors see
what they saw before; queries per page constant whatever the number of items listed."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # Every request renders: what is measured here is the routing and fragments under it.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def assert_sent_on(response, new_url):
    """The old address no longer serves the page: Wagtail's redirects app sends it on."""
    assert response.status_code in (301, 302, 404)
    if response.status_code != 404:
        assert response["Location"].endswith(new_url)


def test_a_routed_page_costs_no_query_once_found(client):
    page = factories.notice("提示")
    client.get(page.url)  # Wagtail's walk finds it; the route and the page pieces are kept
    assert queries(client, page.url) == 0


def test_a_published_change_shows_on_the_next_request(client):
    page = factories.notice("旧标题")
    assert "旧标题" in client.get(page.url).content.decode()
    page.title = "新标题"
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert "新标题" in html and "旧标题" not in html


def test_an_unpublished_page_is_gone_at_once(client):
    page = factories.notice("将撤下")
    assert client.get(page.url).status_code == 200
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_renamed_page_moves_to_its_new_address(client):
    page = factories.notice("改地址")
    old_url = page.url
    assert client.get(old_url).status_code == 200
    page.slug = "renamed-notice"
    page.save_revision().publish()
    page.refresh_from_db()
    assert_sent_on(client.get(old_url), page.url)
    assert "改地址" in client.get(page.url).content.decode()


def test_a_moved_page_is_served_at_its_new_place_only(client):
    page = factories.standard("会移动的页面")
    parent = factories.standard("新的上级")
    old_url = page.url
    assert client.get(old_url).status_code == 200
    page.move(parent, pos="last-child")
    page.refresh_from_db()
    assert_sent_on(client.get(old_url), page.url)
    assert "会移动的页面" in client.get(page.url).content.decode()


def test_a_deleted_page_is_not_served_from_the_route_cache(client):
    page = factories.standard("将删除")
    url = page.url
    assert client.get(url).status_code == 200
    page.delete()
    assert client.get(url).status_code == 404


def test_a_page_made_private_asks_for_login_although_its_route_was_kept(client):
    page = factories.notice("将设为仅登录可见")
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type="login")
    response = client.get(page.url)
    assert response.status_code == 302
    assert "/_util/login/" in response["Location"]


def test_a_section_with_a_password_asks_for_it_on_every_page_below(client):
    page = factories.notice("口令保护")
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(
        page=factories.notice_index(), restriction_type="password", password="mima-123"
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert "口令保护" not in html
    assert 'name="password"' in html


def test_routable_sub_paths_still_route_under_a_kept_home_page(client):
    client.get("/")  # the home page's route is kept
    assert client.get("/for/elderly/").status_code == 200
    assert client.get("/for/no-such-audience/").status_code == 404
    page = factories.notice("首页之下")
    assert client.get(page.url).status_code == 200
    assert client.get(page.url + "no-such-child/").status_code == 404


def test_an_unknown_address_is_a_404_and_is_not_kept(client):
    client.get("/")
    assert client.get("/no-such-page/").status_code == 404
    with CaptureQueriesContext(connection) as again:
        assert client.get("/no-such-page/").status_code == 404
    assert len(again.captured_queries) > 0  # looked up again: nothing was kept for it


def test_a_changed_site_root_is_followed_at_once(client):
    page = factories.standard("新首页候选")
    assert client.get("/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = page
    site.save()
    assert "新首页候选" in client.get("/").content.decode()


def test_editors_get_the_user_bar_and_a_fresh_page(client):
    page = factories.notice("编辑看到的")
    client.get(page.url)  # an anonymous visit keeps the route
    editor = User.objects.create_superuser("ed", "ed@example.com", "pw-123456789")
    client.force_login(editor)
    html = client.get(page.url).content.decode()
    assert "编辑看到的" in html
    assert "wagtail-userbar" in html
    # A change no signal announces (a draft saved, here a direct update) is seen at once.
    from wagtail.models import Page

    Page.objects.filter(pk=page.pk).update(title="改过的标题")
    assert "改过的标题" in client.get(page.url).content.decode()


def test_first_request_after_a_publish_costs_the_same_queries_whatever_the_items(client):
    tags = ["投资理财"]
    for _ in range(2):
        factories.notice(audiences=["elderly"], tags=tags, region="430922")
    client.get("/notices/")
    factories.notice(audiences=["elderly"], tags=tags)  # a publish: every cache is cold again
    few = queries(client, "/notices/")
    for _ in range(10):
        factories.notice(audiences=["students"], tags=tags, region="430923")
    many = queries(client, "/notices/")  # cold again after the last publish
    assert many == few


def test_content_fragments_key_on_the_display_mode():
    template = Template(
        "{% load fangfei_tags %}{% content_cache 'mode-test' %}"
        "{% if elder_mode %}长辈{% else %}普通{% endif %}{% endcontent_cache %}"
    )
    assert template.render(Context({"elder_mode": False})) == "普通"
    assert template.render(Context({"elder_mode": True})) == "长辈"
    assert template.render(Context({"elder_mode": False})) == "普通"


def test_home_in_elder_mode_never_gets_the_normal_fragments(client):
    normal = client.get("/").content.decode()
    client.cookies["elder"] = "1"
    elder = client.get("/").content.decode()
    assert 'class="elder"' in elder and 'class="elder"' not in normal
    client.cookies["elder"] = "0"
    assert 'class="elder"' not in client.get("/").content.decode()


def test_remembered_translations_keep_each_language_apart():
    from django.utils import translation

    with translation.override("en"):
        english = translation.gettext("Page")
    with translation.override("zh-hans"):
        chinese = translation.gettext("Page")
    with translation.override("en"):
        assert translation.gettext("Page") == english
    assert chinese != english
