"""Staff meet no dead ends (issue 13 §2): every link, button and menu item an editor or a
reviewer is shown leads somewhere they may go, never to 没有权限; and the admin asks no other
site for anything (avatars, scripts, fonts, update checks)."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from tests.core.admin_walk import crawl, denial
from tests.core.test_admin_in_chinese import demo_site  # noqa: F401 - a fixture


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


_crawls = {}


def _crawl(username):
    """One walk per role serves both tests (a walk over the demo site takes minutes)."""
    if username not in _crawls:
        _crawls[username] = crawl(_client(username))
    return _crawls[username]


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bianji", "shenhe"])
def test_no_link_or_button_shown_to_staff_leads_to_permission_denied(demo_site, username):  # noqa: F811
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = _client(username)
        targets, _fetched, visited = _crawl(username)
        assert visited > 80  # the walk reached the admin, not just a login page
        denied = {}
        for url, shown_on in sorted(targets.items()):
            why = denial(client, url)
            if why:
                denied[url] = (why, sorted(shown_on)[:2])
    assert len(targets) > 100
    assert not denied, "\n".join(f"{u}: {w} (shown on {s})" for u, (w, s) in denied.items())


@pytest.mark.services
@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bianji", "shenhe"])
def test_no_admin_page_makes_the_browser_fetch_from_another_host(demo_site, username):  # noqa: F811
    own = {None, "testserver", urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname}
    with override_settings(ALLOWED_HOSTS=["*"]):
        _targets, fetched, visited = _crawl(username)
    assert visited > 80
    assert any(src.startswith("/static/") for src in fetched)  # the reader saw the scripts
    foreign = {
        src: sorted(pages)[:2]
        for src, pages in fetched.items()
        if not src.startswith("data:") and urlsplit(src).hostname not in own
    }
    assert not foreign, "\n".join(f"{src} on {pages}" for src, pages in foreign.items())
