"""RSS and Atom views: cached per feed, filters and host until content changes.

The public page cache leaves /feeds/ alone (website/core/cache.py), so these views keep
their own cache: a hit costs one cache round trip (two on a rebuild) and no SQL at all
for the usual filter values. Validators and the 304s are the API's
(``website.core.conditional``): a feed is the same for every visitor.
"""

import hashlib
from typing import NamedTuple

from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from website.core.cache import cached_for_content
from website.core.conditional import EXPOSED_HEADERS, body_etag, first_served, public
from website.feeds.feeds import FEEDS
from website.feeds.generators import GENERATORS
from website.pages.filters import FilterError, check_names, parse_filters, parse_level

MAX_AGE = 300
# A CDN may serve a feed this much longer while it revalidates, or while we are down.
STALE_WHILE_REVALIDATE, STALE_IF_ERROR = 3600, 86400


class Rendered(NamedTuple):
    body: bytes
    etag: str
    last_modified: float  # a POSIX timestamp, whole seconds


def feed_path(section, fmt, filters=None, level=None):
    """Return the path of a feed, with ``filters`` (ListingFilters) and ``level`` as a
    sorted query."""
    path = reverse(f"feeds:{section}_{fmt}")
    query = dict(filters.as_query()) if filters is not None else {}
    if level:
        query["level"] = level
    query = urlencode(sorted(query.items()))
    return f"{path}?{query}" if query else path


def _cors(response):
    # Partners' pages may read feeds from the browser, errors included (so their script can
    # show why); feeds are public and cookie-free.
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


def render(feed, generator_class, feed_url):
    """Return the feed rendered, with its ETag and Last-Modified.

    Last-Modified is the newest entry's date the first time a feed is built; after that
    it moves on whenever the body changes (``first_served``), so a notice that expired or
    was unpublished (which changes no remaining entry's date) still counts as a change.
    """
    generated = feed.build(generator_class, feed_url)
    body = generated.writeString("utf-8").encode("utf-8")
    etag = body_etag(body)
    newest = generated.latest_post_date().timestamp()
    return Rendered(body, etag, first_served(feed_url, etag, hint=newest))


@require_safe
def feed_view(request, section, fmt):
    """Return the ``section`` feed (notices, cases) as ``fmt`` (rss, atom); 400 with a
    plain message when a filter parameter names nothing."""
    feed_class = FEEDS[section]
    try:
        check_names(request.GET, feed_class.params)
        filters = parse_filters(request.GET)
        level = parse_level(request.GET) if "level" in feed_class.params else None
    except FilterError as error:
        hint = _("可用的取值与网站栏目页筛选栏中的相同；去掉此参数即订阅全部内容。")
        response = HttpResponseBadRequest(
            f"{error}\n{hint}\n", content_type="text/plain; charset=utf-8"
        )
        # The same URL stays wrong until someone edits it.
        response["Cache-Control"] = "public, max-age=60"
        return _cors(response)

    feed = feed_class(request, filters, level)
    generator_class = GENERATORS[fmt]
    feed_url = request.build_absolute_uri(feed_path(section, fmt, filters, level))
    # Links are absolute for the host (and scheme) asked, so each host has its own copy.
    identity = hashlib.sha256(feed_url.encode()).hexdigest()[:32]
    # Notices leave the feed at midnight when they expire, with no publish to say so.
    key = f"feed:{identity}:{timezone.localdate().isoformat()}"
    rendered = cached_for_content(key, lambda: render(feed, generator_class, feed_url))

    response = HttpResponse(rendered.body, content_type=generator_class.content_type)
    response["ETag"] = rendered.etag
    response["Last-Modified"] = http_date(rendered.last_modified)
    public(response, MAX_AGE, STALE_WHILE_REVALIDATE, STALE_IF_ERROR)
    # AnonymousConditionalGetMiddleware answers If-None-Match / If-Modified-Since.
    return _cors(response)
