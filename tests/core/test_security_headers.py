"""Public pages get a Content-Security-Policy that runs only the site's own script files and a
Permissions-Policy; the admin gets a policy Wagtail's inline scripts survive; the /embed/
widgets keep their own."""

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User

from tests import factories

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


class ScriptFinder(HTMLParser):
    """Collects inline scripts and on…= handlers, which script-src 'self' would block."""

    def __init__(self):
        super().__init__()
        self.inline = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        handlers = [name for name in attrs if name.startswith("on")]
        if handlers:
            self.inline.append(f"<{tag} {handlers}>")
        if tag == "script" and not attrs.get("src"):
            kind = attrs.get("type", "text/javascript")
            self._in_inline_script = kind in ("text/javascript", "module", "")
        if tag == "a" and (attrs.get("href") or "").lower().startswith("javascript:"):
            self.inline.append("javascript: link")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.inline.append(data.strip()[:60])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def public_urls():
    notice = factories.notice("提示")
    case = factories.case("案例")
    page = factories.standard("关于我们")
    return [
        "/",
        "/notices/",
        notice.url,
        "/cases/",
        case.url,
        page.url,
        "/search/?q=养老",
        "/sms/subscribe/",
        "/no-such-page/",
    ]


def test_public_pages_only_run_the_sites_own_script_files(client):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code in (200, 404), url
        policy = directives(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        finder = ScriptFinder()
        finder.feed(response.content.decode())
        assert finder.inline == [], url


def test_a_cached_page_carries_the_same_headers(client):
    factories.notice("提示")
    first = client.get("/")
    second = client.get("/")
    assert second["X-Cache"] == "HIT"
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Permissions-Policy"] == first["Permissions-Policy"]


def test_public_pages_refuse_camera_microphone_and_location(client):
    policy = client.get("/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_the_admin_keeps_its_inline_scripts_working(client):
    client.force_login(User.objects.create_superuser("ad", "ad@example.com", "pw-123456789"))
    notice = factories.notice("提示")
    for url in ("/admin/", f"/admin/pages/{notice.pk}/edit/", "/admin/pages/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = directives(response)
        assert "script-src" not in policy and "default-src" not in policy, url
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
    assert client.get("/admin/login/").status_code in (200, 302)


def test_the_embed_widgets_keep_their_own_policy(client, settings):
    settings.EMBED_FRAME_ANCESTORS = ["https://news.example.cn"]
    factories.notice("提示")
    policy = directives(client.get("/embed/notices/"))
    assert policy["frame-ancestors"] == ["https://news.example.cn"]
    assert policy["style-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
