"""The default Wagtail Site follows FANGFEI_BASE_URL.

Wagtail builds the sitemap's and the calendar feeds' absolute links from the Site record's
hostname and port; its first migration creates that record as ``localhost:80``. Pointing it
at the one configured address after every ``migrate`` keeps those links on the same address
as the API, SMS and admin links.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DEFAULT_DB_ALIAS

logger = logging.getLogger(__name__)


def address(base_url=None):
    """Return (hostname, port) of ``base_url`` (default FANGFEI_BASE_URL), the port filled
    in from the scheme when the address has none."""
    parsed = urlsplit(base_url or settings.FANGFEI_BASE_URL)
    return parsed.hostname, parsed.port or (443 if parsed.scheme == "https" else 80)


def sync_default_site(using=DEFAULT_DB_ALIAS, **kwargs):
    """Point the default Wagtail Site at FANGFEI_BASE_URL; return the Site if it changed.

    Returns None when there is no default Site yet, it already matches, or another Site
    record holds that address (logged: two records for one address is for a person to sort
    out).
    """
    from wagtail.models import Site

    hostname, port = address()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (hostname, port):
        return None
    taken = Site.objects.using(using).filter(hostname=hostname, port=port).exclude(pk=site.pk)
    if taken.exists():
        logger.warning(
            "default site not moved to %s:%s: another site record has that address",
            hostname,
            port,
        )
        return None
    site.hostname, site.port = hostname, port
    site.save(using=using)
    return site


@checks.register(checks.Tags.compatibility)
def check_base_url_scheme(app_configs, **kwargs):
    """Warn when FANGFEI_BASE_URL is https on a port Wagtail's Site record reads as http."""
    parsed = urlsplit(settings.FANGFEI_BASE_URL)
    if parsed.scheme == "https" and parsed.port not in (None, 443):
        return [
            checks.Warning(
                "FANGFEI_BASE_URL uses https on a port other than 443; Wagtail writes the "
                "sitemap's and calendars' links as http:// for any such port.",
                id="core.W001",
            )
        ]
    return []


def public_url(path):
    """Return ``path`` (``/…``) on the one public address, FANGFEI_BASE_URL: every link the
    site sends out of itself (SMS links and opt-outs, short links, QR codes) is built here,
    so they can never disagree about the address."""
    return settings.FANGFEI_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def public_hostname():
    """Return the host name of FANGFEI_BASE_URL (lower case), e.g. ``fangfei.example.cn``."""
    return (urlsplit(settings.FANGFEI_BASE_URL).hostname or "").lower()
