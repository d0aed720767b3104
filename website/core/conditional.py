"""Caching headers and conditional GETs for anonymous, public answers (the JSON API, RSS and
Atom feeds, calendar feeds): what lets a partner's CDN or browser keep them and revalidate with a 304.

Two halves, on either side of the public page cache:

- ``stamp`` runs in the view, on a miss: the ETag (a hash of the body) and Last-Modified
  (when this body was first served) are computed once and stored with the cached answer,
  so a cache hit costs nothing more.
- ``AnonymousConditionalGetMiddleware`` sits above the page cache and so sees hits too: it
  answers ``If-None-Match`` / ``If-Modified-Since`` with 304 and drops ``Vary: Cookie``,
  which the page cache adds for pages (elder mode lives in a cookie) but which would stop
  any shared cache from keeping an answer that no cookie changes.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, quote_etag

# Answers under these paths, and answers of these types, are the same for every visitor.
ANONYMOUS_PREFIXES = ("/api/", "/feeds/")
ANONYMOUS_TYPES = ("text/calendar",)
# How long a URL remembers the ETag and Last-Modified it last answered with.
STATE_TIMEOUT = 60 * 60 * 24 * 30
# Response headers a partner's script may read besides the CORS-safelisted ones
# (Last-Modified, Cache-Control … are readable already; ETag is not).
EXPOSED_HEADERS = "ETag, Retry-After"


def body_etag(body):
    """Return a strong ETag for ``body`` (bytes)."""
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def first_served(key, etag, hint=None):
    """Return the Last-Modified (a POSIX timestamp) of the answer ``etag`` at ``key`` (a URL).

    The first time, ``hint`` (the newest change the content records) or now; after that it
    stays while the ETag stays and moves to now whenever the body changes, so a change that
    leaves no date behind (an item unpublished, an event dropped) still counts. Without the
    cache it is now, which can only cost a 200 where a 304 would have done.
    """
    state_key = f"last-modified:{hashlib.sha256(key.encode()).hexdigest()[:32]}"
    now = int(timezone.now().timestamp())
    previous = cache.get(state_key)
    if previous and previous[0] == etag:
        return previous[1]
    if previous:
        last_modified = max(now, previous[1] + 1)
    else:
        last_modified = min(int(hint), now) if hint else now
    cache.set(state_key, (etag, last_modified), STATE_TIMEOUT)
    return last_modified


def stamp(request, response, hint=None):
    """Give a 200 ``response`` its ETag and Last-Modified, keyed by the request's full URL."""
    if response.status_code != 200 or response.streaming:
        return response
    etag = response.get("ETag") or body_etag(response.content)
    response["ETag"] = etag
    last_modified = first_served(request.build_absolute_uri(), etag, hint)
    response["Last-Modified"] = http_date(last_modified)
    return response


def public(response, max_age, stale_while_revalidate=None, stale_if_error=None):
    """Mark ``response`` cacheable by anyone for ``max_age`` seconds; a CDN may serve it
    ``stale_while_revalidate`` seconds longer while it fetches a fresh copy, and
    ``stale_if_error`` seconds longer while we are down."""
    directives = {"public": True, "max_age": max_age}
    if stale_while_revalidate:
        directives["stale_while_revalidate"] = stale_while_revalidate
    if stale_if_error:
        directives["stale_if_error"] = stale_if_error
    patch_cache_control(response, **directives)
    return response


def is_anonymous(request, response):
    """Return whether ``response`` is the same for every visitor whatever their cookies
    (never one marked private, such as the calendar of a restricted page)."""
    if "private" in response.get("Cache-Control", ""):
        return False
    return request.path.startswith(ANONYMOUS_PREFIXES) or response.get(
        "Content-Type", ""
    ).startswith(ANONYMOUS_TYPES)


def drop_needless_vary(response):
    """Remove ``Cookie`` from Vary, and ``Accept-Language`` when the site speaks one language
    (LocaleMiddleware adds it anyway): each would split a CDN's copy by browser for nothing."""
    needless = {"cookie"} | ({"accept-language"} if len(settings.LANGUAGES) == 1 else set())
    vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
    kept = [v for v in vary if v.lower() not in needless]
    if len(kept) != len(vary):
        if kept:
            response["Vary"] = ", ".join(kept)
        else:
            del response["Vary"]


class AnonymousConditionalGetMiddleware:
    """Above the page cache: 304s for anonymous answers, hits included; no Vary: Cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_anonymous(request, response):
            return response
        drop_needless_vary(response)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        etag = response.get("ETag")
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        if not (etag or last_modified):
            return response
        answer = get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
        if answer is not response:
            # A 304 keeps only the validators and caching headers; cross-origin readers
            # need the CORS ones too, and whether the page cache answered is worth knowing.
            for header, value in response.items():
                if header.lower().startswith("access-control-") or header == "X-Cache":
                    answer[header] = value
        return answer
