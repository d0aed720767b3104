"""The framable widgets under /embed/: current notices, one notice or case, a kiosk that
rotates notices, and a whole quiz attempt (through the quiz page's own routes: see
``website.embeds.snippets`` for how page types declare their widget).

Every widget works without JavaScript and without cookies (partners' visitors often block
third-party cookies), counts one impression per view for the framing site, and renders from
a content-versioned cache, so a publish shows on every partner site at the next load.
"""

from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.models import Page

from website.core.cache import cached_for_content
from website.embeds import impressions, params
from website.embeds.framing import embed_frame_ancestors
from website.embeds.snippets import CARD_KINDS, embed_kind, routable_path, routable_types
from website.pages.models import RiskNoticePage

NOTICES_DEFAULT, NOTICES_MAX = 5, 10
KIOSK_DEFAULT, KIOSK_MAX = 8, 20
INTERVAL_DEFAULT, INTERVAL_MIN, INTERVAL_MAX = 15, 5, 300
# Browsers may keep a widget this long; publishing reaches partners within it.
BROWSER_CACHE_SECONDS = 60
# The parameters each widget reads: any other name is a 400 naming these.
NOTICES_PARAMS = (*params.FILTER_NAMES, "count", *params.LOOK_NAMES)
KIOSK_PARAMS = (*NOTICES_PARAMS, "interval", "i", "pause")


def _notices(filters, level):
    """Return the current notices the filters and level (None: any) select."""
    notices = filters.apply(RiskNoticePage.current())
    return notices.filter(level=level) if level else notices


class EmbedFrame:
    """Where a widget (or the quiz) is drawn: inside a partner's iframe, with a Look.

    A page that runs its own routes in the frame gets this as ``frame``: it links to its
    routes through ``url`` and extends ``base_template``.
    """

    embedded = True
    base_template = "embeds/quiz_base.html"

    def __init__(self, look):
        self.look = look

    def url(self, page, name, *args):
        """Return the in-frame URL of the page's route ``name``, keeping the Look."""
        subpath = page.reverse_subpage(name, args=args)
        return routable_path(embed_kind(page), page.pk, subpath) + self.look.query


def _policy():
    # No inline script or style anywhere in the widgets, so the policy can forbid them;
    # frame-ancestors is what lets partners frame these views at all. Images may also come
    # from media storage on another origin (S3, a CDN).
    media = urlsplit(settings.MEDIA_URL)
    images = f" {media.scheme}://{media.netloc}" if media.scheme and media.netloc else ""
    return (
        f"default-src 'self'; img-src 'self' data:{images}; style-src 'self'; "
        "script-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; "
        f"frame-ancestors {embed_frame_ancestors()}"
    )


def framable(view):
    """Let partners frame ``view``; set the widget's content policy and keep it unindexed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = _policy()
        response["X-Robots-Tag"] = "noindex"
        return response

    return xframe_options_exempt(wrapped)


def _page(request, template, context, status=200):
    html = render_to_string(template, context, request=request)
    return HttpResponse(html, status=status)


def _public(response):
    patch_cache_control(response, public=True, max_age=BROWSER_CACHE_SECONDS)
    return response


def _problem(request, message, status=400, look=None):
    """A message inside the iframe, where the partner who pasted it will see it."""
    context = {"frame": EmbedFrame(look or params.Look()), "message": message, "status": status}
    response = _page(request, "embeds/problem.html", context, status=status)
    patch_cache_control(response, no_cache=True)
    return response


def _look_or_default(request):
    try:
        return params.look(request.GET)
    except params.BadParam:
        return params.Look()


def _widget_url(path, filters=None, look_params=None, **values):
    """Return ``path`` with a canonical query: the filters, the look's non-default values and
    ``values`` (None left out).

    Built from parsed parameters, never from the raw query string: the HTML holding these
    links is cached under a key of the parsed values, so anything else in the query string
    would otherwise end up in links shown to everyone.
    """
    query = {**(filters.as_query() if filters else {}), **(look_params or {})}
    query.update({k: v for k, v in values.items() if v is not None})
    return f"{path}?{urlencode(query)}" if query else path


def _other_size(look):
    """Return the look parameters of the other type size (大字/标准字: a plain link)."""
    return look.params(size="normal" if look.large else "large")


def _cached_html(request, key, template, build_context):
    """Render ``template`` once per content version (and day: notices expire at midnight)."""
    key = f"embed:{key}:{timezone.localdate()}"
    return cached_for_content(
        key, lambda: render_to_string(template, build_context(), request=request)
    )


@framable
@require_safe
def notices(request):
    """Current risk notices, most severe first, filtered like the notices index."""
    try:
        params.names(request.GET, NOTICES_PARAMS)
        look = params.look(request.GET)
        count = params.integer(request.GET, "count", NOTICES_DEFAULT, 1, NOTICES_MAX)
        filters = params.filters(request.GET)
        level = params.level(request.GET)
    except params.BadParam as exc:
        return _problem(request, str(exc), look=_look_or_default(request))

    def build():
        items = list(_notices(filters, level)[:count])
        more_query = urlencode(filters.as_query())
        return {
            "frame": EmbedFrame(look),
            "items": items,
            "filters": filters,
            "more_url": "/notices/" + (f"?{more_query}" if more_query else ""),
            "size_toggle_url": _widget_url(
                request.path,
                filters,
                _other_size(look),
                count=count if count != NOTICES_DEFAULT else None,
                level=level,
            ),
        }

    key = f"notices:{filters.key}:{level}:{count}:{look.key}"
    html = _cached_html(request, key, "embeds/notices.html", build)
    impressions.record(request, "notices")
    return _public(HttpResponse(html))


@framable
@require_safe
def kiosk(request):
    """One notice at a time in large type for branch screens; the page moves on by itself.

    A meta refresh, not a script, turns the pages: screens in bank branches run whatever
    browser they shipped with, and every turn fetches the current notices afresh.
    """
    try:
        params.names(request.GET, KIOSK_PARAMS)
        look = params.look(request.GET)
        count = params.integer(request.GET, "count", KIOSK_DEFAULT, 1, KIOSK_MAX)
        interval = params.integer(
            request.GET, "interval", INTERVAL_DEFAULT, INTERVAL_MIN, INTERVAL_MAX
        )
        index = params.integer(request.GET, "i", 0, 0, KIOSK_MAX - 1)
        paused = params.integer(request.GET, "pause", 0, 0, 1) == 1
        filters = params.filters(request.GET)
        level = params.level(request.GET)
    except params.BadParam as exc:
        return _problem(request, str(exc), look=_look_or_default(request))

    def build():
        items = list(_notices(filters, level)[:count])
        position = index % len(items) if items else 0
        following = (position + 1) % len(items) if items else 0

        def url(i, pause=None):
            return _widget_url(
                request.path,
                filters,
                look.params(),
                count=count if count != KIOSK_DEFAULT else None,
                interval=interval if interval != INTERVAL_DEFAULT else None,
                level=level,
                i=i,
                pause=pause,
            )

        return {
            "paused": paused,
            # WCAG 2.2.1: whoever stands at the screen can stop the turning.
            "pause_url": url(position, pause=None if paused else 1),
            "frame": EmbedFrame(params.Look(theme=look.theme, size="large")),
            "item": items[position] if items else None,
            "position": position + 1,
            "total": len(items),
            "interval": interval,
            "next_url": url(following),
        }

    key = f"kiosk:{filters.key}:{level}:{count}:{interval}:{index}:{paused}:{look.key}"
    html = _cached_html(request, key, "embeds/kiosk.html", build)
    impressions.record(request, "kiosk")
    response = HttpResponse(html)
    patch_cache_control(response, no_cache=True)
    return response


def _next_events(campaign, count=3):
    """Return the campaign's public events that have not ended, earliest first."""
    return list(campaign.public_events().filter(end_at__gte=timezone.now())[:count])


def _live_page(kinds, page_id):
    """Return the live, public page ``page_id`` if it embeds as one of ``kinds``, else None."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    return page if embed_kind(page) in kinds else None


@framable
@require_safe
def page_card(request, page_id):
    """One risk notice or case study as a card linking to the full page."""
    try:
        params.names(request.GET, params.LOOK_NAMES)
        look = params.look(request.GET)
    except params.BadParam as exc:
        return _problem(request, str(exc))

    def build():
        item = _live_page(CARD_KINDS, page_id)
        if item is None:
            return None  # cached too: junk ids cost one cache read, not a query
        kind = embed_kind(item)
        context = {
            "frame": EmbedFrame(look),
            "item": item,
            "kind": kind,
            # A campaign's card lists its next few events (they change with a publish or
            # an event edit, both of which bump the content version this is cached under).
            "events": _next_events(item) if kind == "campaign" else [],
            "size_toggle_url": _widget_url(request.path, look_params=_other_size(look)),
        }
        return render_to_string("embeds/page_card.html", context, request=request)

    html = cached_for_content(f"embed:page:{page_id}:{look.key}:{timezone.localdate()}", build)
    if html is None:
        return _problem(request, gettext("这条内容已下线或不存在。"), status=404, look=look)
    impressions.record(request, "page")
    return _public(HttpResponse(html))


@framable
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def routable(request, widget, page_id, subpath):
    """Run one of a live page's own routes (those in its ``embed_routes``) inside the frame,
    passing an EmbedFrame as ``frame``: the quiz, from its start to its result.

    The quiz posts without a CSRF token: the token's cookie would be a third-party cookie
    here, which browsers increasingly drop. Nothing is at stake for a forged post: there is
    no session, and an answer can only be recorded on an attempt whose secret token is in
    the URL.
    """
    try:
        look = params.look(request.GET)
    except params.BadParam as exc:
        return _problem(request, str(exc))
    types = routable_types(widget)
    page = _live_page((widget,), page_id) if types else None
    match = None
    if page is not None:
        try:
            match = page.resolve_subpage("/" + subpath)
        except Http404:
            match = None
    if match is None or match.url_name not in page.embed_routes:
        message = getattr(types[0], "embed_missing_message", None) if types else None
        message = message or gettext("这条内容已下线或不存在。")
        return _problem(request, str(message), status=404, look=look)
    # The first route is the way in: one impression per widget shown, not per answer.
    if request.method == "GET" and match.url_name == page.embed_routes[0]:
        impressions.record(request, widget)
    # The quiz keeps the site's own (light) colours: its forms are styled for them.
    frame = EmbedFrame(params.Look(size=look.size))
    response = match.func(request, *match.args, frame=frame, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    return response
