"""A page's own parts kept per content version (website.core.cache.BodyCachedPage): served
as rendered, without building the page's context again; never across modes, addresses,
days, previews, or to a request the cache cannot name; one cache read per page."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from tests import factories
from website.core import cache as content_cache
from website.core import cache_reads
from website.pages.models import RiskNoticeIndexPage, RiskNoticePage

pytestmark = pytest.mark.django_db

MAIN = re.compile(r'<main id="main".*?</main>', re.S)


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    # The whole-page cache would answer before any of this runs.
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


def main_part(response):
    assert response.status_code == 200
    return MAIN.search(response.content.decode()).group(0)


@pytest.fixture
def context_builds(monkeypatch):
    """Count the notice pages' context builds."""
    built = []
    original = RiskNoticePage.get_context

    def counting(self, request, *args, **kwargs):
        built.append(self.pk)
        return original(self, request, *args, **kwargs)

    monkeypatch.setattr(RiskNoticePage, "get_context", counting)
    return built


def test_a_kept_body_is_the_page_as_rendered_and_builds_no_context(client, context_builds):
    page = factories.notice("保本高息是陷阱", text="任何承诺保本保息的投资都要当心。")
    first = client.get(page.url)
    again = client.get(page.url)
    assert context_builds == [page.pk]
    assert again.content == first.content
    assert "任何承诺保本保息的投资都要当心。" in main_part(again)
    # The head's share tags are the page's own too.
    assert 'property="og:title" content="保本高息是陷阱' in again.content.decode()


def test_each_mode_and_each_address_has_its_own_body(client):
    factories.notice("第一条")
    normal = main_part(client.get("/"))
    client.cookies["elder"] = "1"
    elder_first = main_part(client.get("/"))
    elder_kept = main_part(client.get("/"))
    assert elder_first == elder_kept != normal
    client.cookies["elder"] = "0"
    assert main_part(client.get("/")) == normal
    # A sub-page of home (a routable path) is not home's body, nor is home its body; and it
    # is rendered each time (its title comes from its own context, which a kept copy lacks).
    audience = main_part(client.get("/for/elderly/"))
    assert audience != normal
    assert main_part(client.get("/")) == normal
    from website.taxonomy.models import Audience

    again = client.get("/for/elderly/").content.decode()
    title = again.split("<title>")[1].split("</title>")[0]
    assert f"{Audience.objects.get(slug='elderly').name}防骗提示" in title


def test_a_listing_keeps_each_page_number_apart(client):
    index = factories.notice_index()
    for n in range(25):
        factories.notice(f"提示{n:02d}")
    first = main_part(client.get(index.url))
    second = main_part(client.get(index.url + "?page=2"))
    assert first != second
    assert main_part(client.get(index.url + "?page=2")) == second
    assert main_part(client.get(index.url)) == first


def test_a_publish_shows_at_once_in_every_kept_body(client):
    page = factories.notice("旧的说法", text="旧的正文")
    client.get(page.url)
    client.get("/")
    page.title, page.summary = "新的说法", "新的摘要"
    page.save_revision().publish()
    assert "新的说法" in main_part(client.get(page.url))
    home = main_part(client.get("/"))
    assert "新的说法" in home and "旧的说法" not in home


def test_parameters_no_page_reads_are_rendered_and_never_kept(client, context_builds):
    page = factories.notice("带参数")
    for n in range(3):
        assert "带参数" in main_part(client.get(page.url + f"?utm_source=wechat{n}"))
    assert len(context_builds) == 3
    client.get(page.url)
    client.get(page.url)
    assert len(context_builds) == 4


def test_a_preview_neither_reads_nor_leaves_a_kept_body(client, admin_user):
    page = factories.notice("已发布", text="已发布的正文")
    client.get(page.url)  # kept
    draft = page.get_latest_revision_as_object()
    draft.body = factories.body("草稿里的新正文")
    draft.save_revision(user=admin_user)
    request = RequestFactory().get(page.url)
    request.user = admin_user
    preview = draft.make_preview_request(request).render().content.decode()
    assert "草稿里的新正文" in preview and "已发布的正文" not in preview
    public = main_part(client.get(page.url))
    assert "已发布的正文" in public and "草稿里的新正文" not in public


def test_a_body_that_handed_out_a_csrf_token_is_not_kept():
    from django.middleware.csrf import get_token

    def pending_request(key):
        request = RequestFactory().get("/")
        setattr(request, content_cache.BODY_CACHE_ATTR, [key, 7, {}, False])
        return request

    # A form in the head: the whole page belongs to its visitor, body included.
    key = content_cache.content_key("body:with-token")
    request = pending_request(key)
    content_cache.page_part(request, "meta", lambda: f"<meta content={get_token(request)}>")
    content_cache.page_part(request, "body", lambda: "<p>no form</p>")
    assert cache.get(key) is None
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the page still sets its cookie
    # A token handed out before the page's parts (elsewhere on the page) keeps nothing out.
    key = content_cache.content_key("body:without-token")
    request = pending_request(key)
    get_token(request)
    content_cache.page_part(request, "meta", lambda: "<meta>")
    content_cache.page_part(request, "body", lambda: "<p>no form</p>")
    assert cache.get(key) == (7, {"meta": "<meta>", "body": "<p>no form</p>"})
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]


def test_a_notice_expiring_at_midnight_leaves_the_kept_listing_the_next_day(client, monkeypatch):
    today = timezone.localdate()
    factories.notice("今天到期", valid_until=today)
    index = RiskNoticeIndexPage.objects.get()
    assert "今天到期" in main_part(client.get(index.url))
    tomorrow = today + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
    assert "今天到期" not in main_part(client.get(index.url))


def test_a_page_costs_one_cache_read_once_its_body_is_kept(client, monkeypatch):
    """Route, body, head and the reporting channels all come in one read."""
    page = factories.notice("一次读取")
    client.get(page.url)
    client.get(page.url)
    reads, inside = [], []
    # Reads of the shared cache: its own get, and the hot path's get_many (cache_reads).
    for owner, name in ((cache, "get"), (cache_reads, "get_many")):
        original = getattr(owner, name)

        def counting(*args, _original=original, _name=name, **kwargs):
            # The local-memory backend's get_many is made of gets: count the outer call.
            if not inside:
                reads.append(_name)
            inside.append(1)
            try:
                return _original(*args, **kwargs)
            finally:
                inside.pop()

        monkeypatch.setattr(owner, name, counting)
    assert "一次读取" in main_part(client.get(page.url))
    assert reads == ["get_many"]


def test_header_and_footer_kept_in_the_process_follow_a_settings_change(client):
    from wagtail.models import Site

    from website.core.models import ReportingSettings

    settings = ReportingSettings.for_site(Site.objects.get(is_default_site=True))
    settings.office_name, settings.hotline = "桃江县处非办", "0737-1234567"
    settings.save()
    page = factories.notice("页脚")
    first = client.get(page.url).content.decode()
    assert "桃江县处非办" in first and "0737-1234567" in first
    assert client.get(page.url).content.decode() == first  # the kept header and footer
    settings.office_name, settings.hotline = "安化县处非办", "0737-7654321"
    settings.save()
    html = client.get(page.url).content.decode()
    assert "安化县处非办" in html and "0737-7654321" in html
    assert "桃江县处非办" not in html and "0737-1234567" not in html
    # Each page keeps its own address in the footer's correction link and print note, and
    # never the address of the page the kept pieces were first rendered on.
    other = factories.notice("另一页")
    footer = client.get(other.url).content.decode().split("<footer")[1]
    assert other.url in footer and page.url not in footer


def test_a_version_after_an_emptied_cache_never_repeats_an_earlier_one():
    import time

    for _ in range(3):
        content_cache.bump_content_version()
    first = cache.get(content_cache.VERSION_KEY)
    time.sleep(0.01)  # a restart takes longer than this
    cache.clear()  # Redis restarted, or the key evicted
    content_cache.bump_content_version()
    assert cache.get(content_cache.VERSION_KEY) > first


def test_a_filtered_listing_kept_is_the_listing_as_rendered_head_included(client):
    factories.notice("给长辈的提示", audiences=["elderly"])
    index = factories.notice_index()
    address = index.url + "?audience=elderly"
    first = client.get(address).content.decode()
    # The oEmbed discovery link names the filtered listing, kept or not.
    assert "%3Faudience%3Delderly" in first
    assert client.get(address).content.decode() == first
