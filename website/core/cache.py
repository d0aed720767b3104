"""Whole-page cache for anonymous visitors, invalidated at once on publish.

Served before sessions and auth run, so a hit costs one cache round trip. Each entry holds
the site-wide content version it was rendered under (bumped by ``website.core.signals``
whenever anything public changes) and is keyed by display mode, address and the query
parameters the site reads, so a publish, an unpublish or a change of mode can never be
answered with an old page.

Only a real session that changes what a page shows (a signed-in editor, a visitor who gave
a page's password) bypasses the cache in both directions; a made-up ``sessionid`` cookie does
not. Parameters that no page reads (``utm_source`` and the like) are removed from the request
before the page renders, so they neither make new entries nor end up in a cached page's links.
Pages declare the parameters they read with ``cache_query_params`` (page models) or in the
``PUBLIC_PAGE_CACHE_QUERY_PARAMS`` setting (other views). With the cache unreachable the
backend (django-redis with IGNORE_EXCEPTIONS) answers every read as a miss, so pages render
uncached until Redis is back.
"""

import functools
import hashlib
import re
import threading
from datetime import datetime, time, timedelta
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from wagtail.models import PageViewRestriction, get_page_models

from website.core import cache_reads
from website.core.compression import accepts_gzip, compress
from website.core.display_mode import is_elder_mode

VERSION_KEY = "public-page-cache-version"
# Bump when the shape of what cached_for_content stores changes, so a deploy never reads
# entries written by older code.
CONTENT_CACHE_SCHEMA = 3
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
    # The tip-off form reads its own prefill parameters (pretext, page) and is never cached.
    "/report/",
)
# The API checks every parameter itself and answers 400 to unknown ones (never cached), so
# its whole query string is the key.
WHOLE_QUERY_PREFIXES = ("/api/",)
MAX_QUERY_LENGTH = 256
# Django's session keys: 32 lower-case letters and digits. Anything else names no session
# and is not worth a database query.
SESSION_KEY_FORMAT = re.compile(r"[a-z0-9]{32}")
# Session entries that change what a public page shows: a signed-in user (the Wagtail user
# bar, private pages) and the page passwords a visitor has given.
PERSONAL_SESSION_KEYS = (
    "_auth_user_id",
    PageViewRestriction.passed_view_restrictions_session_key,
)


def bump_content_version():
    """Invalidate every cached page (one cache write, shared by all processes)."""
    bump_version(VERSION_KEY)


def bump_version(key):
    """Bump the version counter ``key`` now, and again when the current transaction commits.

    A request reading the database between the first bump and the commit still sees the old
    rows, and whatever it cached under the new version must not outlive the commit.
    """
    _bump(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(functools.partial(_bump, key))


def _bump(key):
    _forget_prefetched()
    try:
        cache.incr(key)
    except ValueError:
        # Missing (a new or flushed cache): start from the clock, so a version after a flush
        # never repeats one that copies kept in a process (``kept_in_process``) were made under.
        cache.set(key, _fresh_version(), timeout=None)


def _fresh_version():
    # Microseconds: far more than the bumps a site could make in the meantime.
    return int(datetime.now().timestamp() * 1_000_000)


def _versions(found, version_keys):
    """The versions ``version_keys`` name in ``found`` (a get_many answer). One that is
    missing (a new or emptied cache) is started from the clock first, so every version in
    use is known, never 0, and never one a process kept copies under before the flush."""
    missing = [key for key in version_keys if key not in found]
    if missing:
        for key in missing:
            cache.add(key, _fresh_version(), timeout=None)  # another process may win
        found.update(cache_reads.get_many(missing))
    return tuple(found.get(key, 0) for key in version_keys)


MISSING = object()

# Content-versioned entries read ahead for the request being served (``read_current_many``'s
# ``prefetch``): {full key: (version, value or MISSING)}. Emptied when a request starts or
# ends and on any version bump, so nothing read ahead outlives its request or its version.
_prefetched = threading.local()


def _forget_prefetched(**kwargs):
    _prefetched.entries = {}
    _prefetched.version = None
    _prefetched.versions = {}


# Other version counters read in the route's round trip (``read_with_route``): a request then
# knows them, as it knows the content version, without a trip of its own.
_ROUTE_VERSION_KEYS = []


def read_with_route(version_key):
    """Have every routed page request read the counter ``version_key`` with its route, for
    ``read_versioned(…, keep=True)`` to use (the quiz bank's, read by every quiz screen)."""
    if version_key not in _ROUTE_VERSION_KEYS:
        _ROUTE_VERSION_KEYS.append(version_key)


def request_content_version():
    """The content version this request read with its route (None outside page requests)."""
    return getattr(_prefetched, "version", None)


request_started.connect(_forget_prefetched, dispatch_uid="fangfei-prefetch-start")
request_finished.connect(_forget_prefetched, dispatch_uid="fangfei-prefetch-end")


def content_key(name):
    """The cache key ``cached_for_content(name, …)`` stores under."""
    return f"content:{CONTENT_CACHE_SCHEMA}:{name}"


def _read_current(key):
    """Return (content version, value stored under ``key`` for that version, or MISSING).

    One round trip (none when the request read it ahead): entries carry the version they
    were written under, so a bump of the version invalidates them all without touching them.
    """
    ahead = getattr(_prefetched, "entries", None)
    if ahead and key in ahead:
        return ahead.pop(key)
    found = cache_reads.get_many([VERSION_KEY, key])
    (version,) = _versions(found, (VERSION_KEY,))
    entry = found.get(key)
    if entry is not None and entry[0] == version:
        return version, entry[1]
    return version, MISSING


def read_current_many(keys, prefetch=()):
    """Return (content version, {key: value} for those of ``keys`` stored for that version).

    One round trip whatever the number of keys. The full keys in ``prefetch`` (see
    ``content_key``) are read in the same trip and kept for this request, so the
    ``cached_for_content`` or page body that asks for them next costs no trip of its own.
    """
    counters = (VERSION_KEY, *(_ROUTE_VERSION_KEYS if prefetch else ()))
    found = cache_reads.get_many([*counters, *keys, *prefetch])
    versions = _versions(found, counters)
    version = versions[0]
    current = {}
    for key in (*keys, *prefetch):
        entry = found.get(key)
        if entry is not None and entry[0] == version:
            current[key] = entry[1]
    if prefetch:
        ahead = getattr(_prefetched, "entries", None)
        if ahead is None:
            ahead = _prefetched.entries = {}
        for key in prefetch:
            ahead[key] = (version, current.pop(key, MISSING))
        _prefetched.version = version
        _prefetched.versions = dict(zip(counters, versions, strict=True))
    return version, current


# HTML kept in this process under a version read in the same request (``kept_in_process``):
# {key: (version, html)}. Bounded: emptied whole when full, then refilled by the next requests.
_local_fragments = {}
LOCAL_FRAGMENTS_MAX = 4096


def _hold(store, limit, key, entry):
    """Put ``entry`` in the process-local ``store``, emptied whole first when it holds
    ``limit`` entries (cheaper than any eviction order, and refilled by the next requests)."""
    if len(store) >= limit:
        store.clear()
    store[key] = entry


def render_noting_token(request, render):
    """Return (``render()``'s HTML, whether that rendering handed out the visitor's CSRF
    token): what did may not be kept for anyone else. Django marks every hand-out in
    ``CSRF_COOKIE_NEEDS_UPDATE``; the mark left by parts rendered before is put back."""
    meta = getattr(request, "META", None)
    if meta is None:
        return str(render()), False
    before = meta.pop("CSRF_COOKIE_NEEDS_UPDATE", None)
    html = str(render())
    used = bool(meta.get("CSRF_COOKIE_NEEDS_UPDATE"))
    if before:
        meta["CSRF_COOKIE_NEEDS_UPDATE"] = before
    return html, used


def kept_in_process(key, version, render, request=None):
    """Return ``render()``'s HTML, kept in this process under ``version`` (a version read from
    the shared cache in this request, so a change anywhere is seen at once). With no version
    known (None, 0: outside page requests, or a cache just emptied) it is rendered afresh."""
    if not version:
        return render()
    kept = _local_fragments.get(key)
    if kept is not None and kept[0] == version:
        return mark_safe(kept[1])
    html, used = render_noting_token(request, render)
    if not used:
        _hold(_local_fragments, LOCAL_FRAGMENTS_MAX, key, (version, html))
    return mark_safe(html)


# A whole screen kept in the process with holes for what differs per request
# (``render_kept``). Stand-ins are letters, digits and hyphens, which no escaping or URL
# encoding on the way changes; so is every path a kept screen may show.
_HOLE = "kept-hole-{}-7d41e2"
_HOLES = re.compile(r"kept-hole-(\w+)-7d41e2|(/kept-path-7d41e2/)")
_PATH = "/kept-path-7d41e2/"
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9_\-/]*")


def render_kept(request, template_name, context, key, holes):
    """Return the HTML of ``template_name`` with ``context``, kept in this process as a shell
    for the next request that differs only in ``holes``.

    For the screens of one person's quiz attempt at the peak: everything around the question
    (header, footer, titles) is the same for all, and rendering it was a third of an answer's
    time. ``holes`` ({name: value}) are context values put in per request, each shown as is
    (no filter) in the template; a SafeString goes in as HTML, anything else escaped. The
    request's path goes in too. The shell is kept per ``key`` (what else the template reads),
    display mode, address, day, language and the content version this request read with its
    route; signed-in users, paths with a query or odd characters and a rendering that handed
    out a CSRF token are rendered as usual.
    """
    version = request_content_version()
    user = getattr(request, "user", None)
    plain = (
        version
        and not request.META.get("QUERY_STRING")
        and _PLAIN_PATH.fullmatch(request.path)
        and not (user is not None and user.is_authenticated)
    )
    if not plain:
        return render_to_string(template_name, {**context, **holes}, request)
    full_key = (
        "kept-page",
        template_name,
        *key,
        is_elder_mode(request),
        request.scheme,
        request.get_host(),
        timezone.localdate(),
        translation.get_language(),
    )
    kept = _local_fragments.get(full_key)
    if kept is not None and kept[0] == version:
        shell = kept[1]
    else:
        stand_ins = {name: _HOLE.format(name) for name in holes}
        path = request.path
        request.path = _PATH  # what base.html reads for its links to this page
        try:
            shell, used = render_noting_token(
                request, lambda: render_to_string(template_name, {**context, **stand_ins}, request)
            )
        finally:
            request.path = path
        if used:
            return render_to_string(template_name, {**context, **holes}, request)
        _hold(_local_fragments, LOCAL_FRAGMENTS_MAX, full_key, (version, shell))
    values = {name: str(conditional_escape(value)) for name, value in holes.items()}
    return mark_safe(
        _HOLES.sub(lambda m: request.path if m.group(2) else values[m.group(1)], shell)
    )


# Values read from the shared cache and kept decoded in this process, with the versions they
# were stored under (``read_versioned(keep=True)``): {key: (versions, value)}.
_local_values = {}
LOCAL_VALUES_MAX = 4096


def read_versioned(keys, version_keys, keep=False):
    """Return (the versions named by ``version_keys``, as a tuple; {key: value} for those of
    ``keys`` stored as ``(that tuple, value)``, i.e. written since none of them changed).

    One round trip, versions and entries together. With ``keep``, entries are also kept
    decoded in this process: a key held under the versions just read is neither fetched nor
    unpickled again (a bank question, a page list: a quarter of a millisecond each), and one
    held under older versions costs a second trip; when the counters were read with this
    request's route (``read_with_route``) and every entry is held, no trip at all. The caller
    must not change what it gets.
    """
    held = {key: _local_values[key] for key in keys if key in _local_values} if keep else {}
    known = getattr(_prefetched, "versions", None) or {}
    if held and len(held) == len(keys) and all(key in known for key in version_keys):
        # Every counter was read with this request's route and every entry is held: no trip.
        versions = tuple(known[key] for key in version_keys)
        wanted = versions if len(versions) > 1 else versions[0]
        if all(stored == wanted for stored, _value in held.values()):
            return versions, {key: value for key, (_stored, value) in held.items()}
    found = cache_reads.get_many([*version_keys, *(key for key in keys if key not in held)])
    versions = _versions(found, version_keys)
    wanted = versions if len(versions) > 1 else versions[0]
    stale = [key for key, (stored, _value) in held.items() if stored != wanted]
    if stale:
        found.update(cache_reads.get_many(stale))
    current = {}
    for key in keys:
        if key in held and key not in stale:
            current[key] = held[key][1]
            continue
        entry = found.get(key)
        if entry is not None and entry[0] == wanted:
            current[key] = entry[1]
            if keep:
                _hold(_local_values, LOCAL_VALUES_MAX, key, entry)
    return versions, current


def cached_for_content(key, build, timeout=3600, keep=False):
    """Return ``build()``, cached until the next change of public content.

    For pieces every page shows (filter lists, reporting channels): one cache round trip
    instead of their database queries, and never older than the pages around them. With
    ``keep`` the value is also kept decoded in this process (see ``read_versioned``): for
    large values many requests read, which the caller must not change.
    """
    key = content_key(key)
    if keep:
        (version,), found = read_versioned([key], (VERSION_KEY,), keep=True)
        value = found.get(key, MISSING)
    else:
        version, value = _read_current(key)
    if value is not MISSING:
        return value
    value = build()
    cache.set(key, (version, value), timeout)
    return value


FRAGMENT_SECONDS = 3600


def content_fragment(key, render, request=None):
    """Return the HTML ``render()`` makes, kept until the next change of public content.

    Like ``cached_for_content`` in one round trip, but a rendering that used the visitor's
    CSRF token (a form) is returned and not kept: it belongs to one visitor.
    """
    key = content_key(key)
    version, html = _read_current(key)
    if html is not MISSING:
        return mark_safe(html)
    html, used = render_noting_token(request, render)
    if not used:
        cache.set(key, (version, html), min(FRAGMENT_SECONDS, seconds_until_midnight()))
    return mark_safe(html)


BODY_CACHE_ATTR = "_fangfei_page_body"


class BodyCachedPage:
    """Page-model mixin: the page's own parts of the HTML (base.html's ``page_body_cache``
    around the head's meta tags and the content block) kept per content version, display
    mode, day and address.

    With the page cache bypassed (signed-in editors, a server with the page cache off) a
    page still costs no queries and no rendering of its body: one round trip reads the
    version and the body together, and on a hit the page's own context is never built; only
    base.html's header, footer and user bar are rendered. Previews (which never pass through
    ``serve``), routable sub-pages, query parameters no page reads and anything that handed
    out a CSRF token are never kept.
    """

    def serve(self, request, *args, **kwargs):
        from django.template.response import TemplateResponse

        # RoutablePageMixin passes the resolved view first: only its index is this page.
        view_name = getattr(args[0], "__name__", None) if args else "index_route"
        key = page_body_key(request) if view_name == "index_route" else None
        if key is None:
            return super().serve(request, *args, **kwargs)
        version, parts = _read_current(key)
        if parts is MISSING:
            # Filled by the page_body_cache nodes as they render: key, version, parts, whether
            # any of them handed out a CSRF token.
            setattr(request, BODY_CACHE_ATTR, [key, version, {}, False])
            return super().serve(request, *args, **kwargs)
        request.is_preview = False
        # What base.html needs around the kept parts: the page itself (title, footer dates).
        context = {"page": self, "self": self, "request": request, "cached_parts": parts}
        return TemplateResponse(request, self.get_template(request), context)


def page_body_key(request):
    """The key ``BodyCachedPage`` keeps this request's page body under, or None."""
    if request.method not in ("GET", "HEAD"):
        return None
    query = request.META.get("QUERY_STRING", "")
    # A parameter no page reads may still be echoed in links: such requests are rendered
    # afresh rather than kept once for every made-up query string.
    if len(query) > MAX_QUERY_LENGTH or not set(request.GET).issubset(key_query_params()):
        return None
    mode = "elder" if is_elder_mode(request) else "std"
    address = f"{request.get_host()}{request.get_full_path()}\x1f{timezone.localdate()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return content_key(f"body:{mode}:{digest}")


def page_part(request, part, render):
    """Return the HTML of the page's ``part`` (base.html's ``page_body_cache``), collected for
    the kept copy ``BodyCachedPage.serve`` found missing; all parts are kept once the body (the
    last) is rendered, unless one of them handed out a CSRF token."""
    pending = getattr(request, BODY_CACHE_ATTR, None)
    if pending is None:
        return render()
    html, used = render_noting_token(request, render)
    key, version, parts, token_used = pending
    parts[part] = html
    pending[3] = token_used = token_used or used
    if part == "body" and not token_used:
        cache.set(key, (version, parts), min(FRAGMENT_SECONDS, seconds_until_midnight()))
    return mark_safe(html)


def seconds_until_midnight():
    """Return seconds until the next local midnight, when notices may expire."""
    now = timezone.localtime()
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time.min, tzinfo=now.tzinfo)
    return max(1, int((tomorrow - now).total_seconds()))


@functools.cache
def key_query_params():
    """Return the names of the query parameters that some public page reads: those of
    ``PUBLIC_PAGE_CACHE_QUERY_PARAMS`` and every page model's ``cache_query_params``."""
    return _key_query_params(tuple(settings.PUBLIC_PAGE_CACHE_QUERY_PARAMS))


@functools.cache
def _key_query_params(configured):
    # Asked on every cache hit; page models are fixed once the apps are loaded, so the walk
    # over them is done once per configured tuple, not per request.
    names = set(configured)
    for model in get_page_models():
        names.update(getattr(model, "cache_query_params", ()))
    return frozenset(names)


def session_data(request):
    """Return the data of the live session the request's cookie names, or None for no cookie,
    a made-up one or an expired session.

    A database outage counts as None: a cached public page is still right for anyone.
    """
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key or not SESSION_KEY_FORMAT.fullmatch(key):
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    try:
        data = store.load()
    except DatabaseError:
        return None
    # load() gives a new, empty session for a key it does not know.
    return data if store.session_key == key else None


def keep_key_params(request):
    """Drop from ``request`` the query parameters no page reads; return the query kept.

    The page then renders from exactly what its cache key holds. Outside the page tree's
    parameters (the API) the query string is left whole.
    """
    if not request.META.get("QUERY_STRING") or request.path.startswith(WHOLE_QUERY_PREFIXES):
        return request.META.get("QUERY_STRING", "")
    wanted = key_query_params()
    kept = QueryDict(mutable=True)
    for name in sorted(request.GET):
        if name in wanted:
            kept.setlist(name, request.GET.getlist(name))
    query = kept.urlencode()
    if query != request.META.get("QUERY_STRING", ""):
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
    return query


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _cacheable_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.PUBLIC_PAGE_CACHE_SECONDS > 0
            and not request.path.startswith(BYPASS_PREFIXES)
            and len(request.META.get("QUERY_STRING", "")) <= MAX_QUERY_LENGTH
        )

    def _key(self, request):
        query = keep_key_params(request)
        address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        mode = "elder" if is_elder_mode(request) else "std"
        # Browsers that take gzip get a copy compressed once, when it is stored.
        encoding = "gz" if accepts_gzip(request) else "id"
        return f"page:{mode}:{encoding}:{digest}"

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            data = session_data(request)
            if data is None:
                # A made-up cookie: render as for anyone, without the session middleware
                # deleting the cookie (a response setting cookies is never cached).
                del request.COOKIES[settings.SESSION_COOKIE_NAME]
            elif any(name in data for name in PERSONAL_SESSION_KEYS):
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
            # Compressed here, not above on every hit; what is cached carries no secret.
            response = compress(request, response)
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
