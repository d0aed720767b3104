"""One public address (FANGFEI_BASE_URL): the default Wagtail Site follows it, so the sitemap
and calendar links agree with the API, SMS and admin links."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from wagtail.models import Site

from tests import factories
from website.core.site_address import check_base_url_scheme, sync_default_site
from website.settings.env import public_base_url

pytestmark = pytest.mark.django_db


def test_every_address_setting_is_the_one_base_url(settings):
    # SMS links and opt-outs are built by site_address.public_url, which reads it directly.
    assert (
        settings.WAGTAILADMIN_BASE_URL == settings.WAGTAILAPI_BASE_URL == settings.FANGFEI_BASE_URL
    )


def test_the_default_site_follows_the_base_url(settings):
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn"
    assert sync_default_site() is not None
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("fangfei.example.cn", 443)
    assert site.root_url == "https://fangfei.example.cn"
    assert sync_default_site() is None  # already there


def test_a_port_in_the_base_url_goes_to_the_site(settings):
    settings.FANGFEI_BASE_URL = "http://192.168.1.20:8000"
    sync_default_site()
    assert Site.objects.get(is_default_site=True).root_url == "http://192.168.1.20:8000"


def test_migrate_points_the_default_site_at_the_base_url(settings):
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn"
    call_command("migrate", verbosity=0)
    assert Site.objects.get(is_default_site=True).hostname == "fangfei.example.cn"


def test_the_sitemap_uses_the_base_url(settings, client):
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn"
    sync_default_site()
    notice = factories.notice("提示")
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>https://fangfei.example.cn{notice.url}</loc>" in body
    assert "localhost" not in body


def test_another_site_on_the_address_is_left_alone(settings):
    default = Site.objects.get(is_default_site=True)
    Site.objects.create(hostname="fangfei.example.cn", port=443, root_page=default.root_page)
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn"
    assert sync_default_site() is None
    assert Site.objects.get(is_default_site=True).hostname == default.hostname


@pytest.mark.parametrize(
    "given, expected",
    [
        ("https://fangfei.example.cn/", "https://fangfei.example.cn"),
        ("https://FangFei.Example.CN", "https://fangfei.example.cn"),
        ("http://localhost:8000", "http://localhost:8000"),
    ],
)
def test_the_base_url_is_read_as_scheme_host_and_port(given, expected):
    assert public_base_url(given) == expected


@pytest.mark.parametrize(
    "junk",
    [
        "fangfei.example.cn",
        "ftp://fangfei.example.cn",
        "https://fangfei.example.cn/site/",
        "https://fangfei.example.cn?x=1",
        "https://user:pw@fangfei.example.cn",
        "https://fangfei.example.cn:port",
        "https://",
        "",
    ],
)
def test_a_base_url_that_is_not_an_address_stops_start_up(junk):
    with pytest.raises(ImproperlyConfigured):
        public_base_url(junk)


def test_https_on_an_odd_port_is_flagged(settings):
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn:8443"
    assert [w.id for w in check_base_url_scheme(None)] == ["core.W001"]
    settings.FANGFEI_BASE_URL = "https://fangfei.example.cn"
    assert check_base_url_scheme(None) == []
