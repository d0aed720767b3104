"""Serving Wagtail pages without walking the tree on every request.

Wagtail routes a request by finding the Site (one query), then asking each level of the
tree for the child with the next slug and turning it into its specific page (two queries
per level), and checks view restrictions on the page and its ancestors (two more queries),
before the page renders. On this site that was most of an uncached page's time.

Here the page a path leads to is remembered in the shared cache under the content version
(``website.core.cache``), which every publish, unpublish, move, deletion, privacy change and
change of Site bumps: a page found once is served from then on with one cache round trip
and no query, and never outlives the content it was found under. What is remembered:

- under the path of each page that Wagtail's own walk led to, the Site, the specific page
  and the routable ancestors on the way (RoutablePageMixin pages, whose own sub-paths come
  before their children's slugs);
- the tree paths of pages carrying a view restriction (usually none), so the restriction
  check costs no query for a page that no restriction covers.

A request looks up every prefix of its path at once and takes the deepest page remembered.
A routable page continues the routing itself (its sub-paths need no query; its children
are Wagtail's own walk), so quiz tokens and calendar paths need no entry of their own and
the number of entries stays the number of pages. A routable ancestor whose sub-paths match
the request, a non-routable page with path left over, or nothing remembered: Wagtail's own
walk decides, exactly as before, and its answer is remembered.

Signed-in users get the page fetched afresh (one query by primary key): drafts change
columns that the editor's user bar may read, and saving a draft does not bump the version.
"""

import copy
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.http.request import split_domain_port
from django.urls import Resolver404
from wagtail import hooks
from wagtail import wagtail_hooks as wagtail_core_hooks
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve_chain

from website.core.cache import (
    cached_for_content,
    content_key,
    page_body_key,
    read_current_many,
)
from website.core.context_processors import reporting_key

ROUTE_SCHEMA = 2
# Paths longer than this (many levels) are routed by Wagtail alone; none of ours is near it.
MAX_COMPONENTS = 12
ROUTE_TIMEOUT = 24 * 3600


def _route_key(host, port, components):
    path = "/".join(components)
    digest = hashlib.sha256(f"{host}:{port}:{path}".encode()).hexdigest()[:32]
    return f"route:{ROUTE_SCHEMA}:{digest}"


def _custom_route(model):
    """True when ``model`` routes sub-paths itself (RoutablePageMixin or its own route())."""
    return model.route is not Page.route


class _Entry:
    """What the cache holds for one page's path."""

    __slots__ = ("site", "page", "routers", "restricted", "root_paths")

    def __init__(self, site, page, routers, restricted, root_paths):
        self.site = site
        self.page = page
        # (number of path components above the router, its page model) for each live
        # ancestor with its own routes, shallowest first.
        self.routers = routers
        # Whether a view restriction may cover the page, and Wagtail's site root paths (for
        # the page's links): both change only with a new content version.
        self.restricted = restricted
        self.root_paths = root_paths

    def __getstate__(self):
        return (self.site, self.page, self.routers, self.restricted, self.root_paths)

    def __setstate__(self, state):
        self.site, self.page, self.routers, self.restricted, self.root_paths = state


def _shadowed(routers, components):
    """True when a routable ancestor has a route of its own for the rest of the path."""
    for depth, model in routers:
        resolver = getattr(model, "get_resolver", None)
        if resolver is None:
            return True  # a route() of its own we cannot ask without the page: let Wagtail
        rest = components[depth:]
        sub_path = "/" + "".join(f"{c}/" for c in rest)
        try:
            resolver().resolve(sub_path)
        except (Resolver404, Http404):
            continue
        return True
    return False


def _remember(request, site, page, requested, version):
    """Store the page Wagtail's walk found for the path ``requested`` (components) under the
    page's own path below the site's root."""
    root = site.root_page
    if not page.url_path.startswith(root.url_path):
        return
    components = [c for c in page.url_path[len(root.url_path) :].split("/") if c]
    if requested[: len(components)] != components:
        return  # a page that routed elsewhere by a route() of its own: not by its path
    step = Page.steplen
    ancestor_paths = [page.path[:end] for end in range(step, len(page.path), step)]
    ancestors = (
        Page.objects.filter(path__in=ancestor_paths, depth__gte=root.depth)
        .order_by("depth")
        .values_list("depth", "content_type_id", "live")
    )
    routers = []
    for depth, content_type_id, live in ancestors:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if live and model is not None and _custom_route(model):
            routers.append((depth - root.depth, model))
    stored = copy.copy(page)
    # Per-request state Wagtail's walk left on the page (its parent) stays out of the cache.
    stored.__dict__.pop("_cached_parent_obj", None)
    key = _route_key(*_host_port(request), components)
    entry = _Entry(site, stored, routers, may_be_restricted(page), Site.get_site_root_paths())
    cache.set(key, (version, entry), ROUTE_TIMEOUT)


def _host_port(request):
    return split_domain_port(request._get_raw_host())[0], request.get_port()


def route(request, path):
    """Return Wagtail's RouteResult for ``path`` (or None for no page), from the cache when
    the page was found before under the current content version."""
    components = [c for c in path.split("/") if c]
    if len(components) > MAX_COMPONENTS:
        return Page.route_for_request(request, path)
    host, port = _host_port(request)
    depths = range(len(components), -1, -1)  # deepest first
    keys = [_route_key(host, port, components[:k]) for k in depths]
    # In the same round trip: what the page will ask for next (its kept body, the reporting
    # channels every page shows).
    ahead = [content_key(reporting_key(request))]
    body_key = page_body_key(request)
    if body_key is not None:
        ahead.append(body_key)
    version, found = read_current_many(keys, prefetch=ahead)
    for k, key in zip(depths, keys, strict=True):
        entry = found.get(key)
        if entry is None:
            continue
        rest = components[k:]
        model = type(entry.page)
        routable = _custom_route(model)
        if (rest and not routable) or _shadowed(entry.routers, components):
            break
        page = entry.page
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            page = model.objects.filter(pk=page.pk).first()
            if page is None or not page.live:
                break
        request._wagtail_site = entry.site
        # Both caches Wagtail's URLs read: the request's, and the page's own (for page.url).
        request._wagtail_cached_site_root_paths = entry.root_paths
        page._wagtail_cached_site_root_paths = entry.root_paths
        try:
            result = page.route(request, rest) if routable else RouteResult(page)
        except Http404:
            result = None
        request._wagtail_route_for_request = result
        if result is not None and result[0].pk == page.pk and not entry.restricted:
            request._fangfei_unrestricted_page = page.pk
        if result is not None and result[0].pk != page.pk:
            # A routable page handed the rest of the path to its children (Wagtail's walk):
            # remember the page that walk found.
            _remember(request, entry.site, result[0], components, version)
        return result

    result = Page.route_for_request(request, path)
    site = Site.find_for_request(request)
    if result is not None and site is not None:
        _remember(request, site, result[0], components, version)
    return result


def _restricted_paths():
    """Tree paths of the pages that carry a view restriction, per content version."""
    return cached_for_content(
        "view-restricted-paths",
        lambda: sorted(PageViewRestriction.objects.values_list("page__path", flat=True)),
    )


def may_be_restricted(page):
    """False when no view restriction can apply to ``page`` (so none need be queried)."""
    if page.alias_of_id is not None:
        return True  # restrictions come from the alias's source page: let Wagtail look
    return any(page.path.startswith(path) for path in _restricted_paths())


def check_view_restrictions(callback):
    """Wagtail's restriction check, skipped for pages no restriction covers."""
    wagtails = wagtail_core_hooks.check_view_restrictions(callback)

    def inner(page, request, serve_args, serve_kwargs):
        known_free = getattr(request, "_fangfei_unrestricted_page", None) == page.pk
        if not known_free and may_be_restricted(page):
            return wagtails(page, request, serve_args, serve_kwargs)
        return callback(page, request, serve_args, serve_kwargs)

    return inner


def serve(request, path):
    """Wagtail's serve view, with the routing above and the cheaper restriction check."""
    route_result = route(request, path)
    if route_result is None:
        raise Http404
    page, args, kwargs = route_result

    on_serve_chain = serve_chain
    for fn in reversed(hooks.get_hooks("on_serve_page")):
        if fn is wagtail_core_hooks.check_view_restrictions:
            fn = check_view_restrictions
        on_serve_chain = fn(on_serve_chain)

    for fn in hooks.get_hooks("before_serve_page"):
        result = fn(page, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result

    return on_serve_chain(page, request, args, kwargs)
