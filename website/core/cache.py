"""Whole-page cache for anonymous visitors, invalidated at once on publish.

Served before sessions and auth run, so a hit costs one cache round trip. Each entry holds
the site-wide content version it was rendered under (bumped by ``website.core.signals``
whenever anything public changes) and is keyed by display mode and full URL, so a publish,
an unpublish or a change of mode can never be answered with an old page. Anyone with a session cookie (editors, previewers)
bypasses the cache in both directions.
"""

import hashlib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from website.core.display_mode import is_elder_mode

VERSION_KEY = "public-page-cache-version"
# Bump when the shape of what cached_for_content stores changes, so a deploy never reads
# entries written by older code.
CONTENT_CACHE_SCHEMA = 2
# Embeds count an impression per view and feeds answer conditional GETs: both keep
# their own content-versioned caches instead.
BYPASS_PREFIXES = (
    "/admin/",
    "/django-admin/",
    "/mode/",
    "/static/",
    "/media/",
    "/documents/",
    "/embed/",
    "/oembed",
    "/feeds/",
)
MAX_QUERY_LENGTH = 256


def bump_content_version():
    """Invalidate every cached page (one cache write, shared by all processes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


MISSING = object()


def _read_current(key):
    """Return (content version, value stored under ``key`` for that version, or MISSING).

    One round trip: entries carry the version they were written under, so a bump of the
    version invalidates them all without touching them.
    """
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY, 0)
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return version, entry[1]
    return version, MISSING


def cached_for_content(key, build, timeout=3600):
    """Return ``build()``, cached until the next change of public content.

    For pieces every page shows (filter lists, reporting channels): one cache round trip
    instead of their database queries, and never older than the pages around them.
    """
    key = f"content:{CONTENT_CACHE_SCHEMA}:{key}"
    version, value = _read_current(key)
    if value is not MISSING:
        return value
    value = build()
    cache.set(key, (version, value), timeout)
    return value


def seconds_until_midnight():
    """Return seconds until the next local midnight, when notices may expire."""
    now = timezone.localtime()
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _cacheable_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.PUBLIC_PAGE_CACHE_SECONDS > 0
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(BYPASS_PREFIXES)
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        )

    def _key(self, request):
        digest = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()[:32]
        mode = "elder" if is_elder_mode(request) else "std"
        return f"page:{mode}:{digest}"

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)

        # One round trip: the current content version and the stored page, which carries
        # the version it was rendered under. A page from an older version is a miss.
        key = self._key(request)
        version, response = _read_current(key)
        if response is not MISSING:
            response["X-Cache"] = "HIT"
            return response

        response = self.get_response(request)
        # The page depends on the elder-mode and session cookies: tell any CDN so.
        patch_vary_headers(response, ("Cookie",))
        if self._cacheable_response(request, response):
            response["X-Cache"] = "MISS"
            timeout = min(settings.PUBLIC_PAGE_CACHE_SECONDS, seconds_until_midnight())
            # Rendered already (TemplateResponse is rendered by the handler before here).
            cache.set(key, (version, response), timeout)
        return response

    @staticmethod
    def _cacheable_response(request, response):
        user = getattr(request, "user", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            # A page that rendered a CSRF token belongs to one visitor.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (user is not None and user.is_authenticated)
            and "no-store" not in response.get("Cache-Control", "")
            and "private" not in response.get("Cache-Control", "")
        )
