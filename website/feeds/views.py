"""RSS and Atom views: cached per feed, filters and host until content changes, and answering
conditional GETs with 304.

The public page cache leaves /feeds/ alone (website/core/cache.py), so these views keep
their own cache: a hit costs one cache round trip (two on a rebuild) and no SQL at all
for the usual filter values.
"""

import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from website.core.cache import cached_for_content
from website.core.conditional import EXPOSED_HEADERS
from website.feeds.feeds import FEEDS
from website.feeds.generators import GENERATORS
from website.pages.filters import FilterError, check_names, parse_filters, parse_level

MAX_AGE = 300
# A CDN may serve a feed this much longer while it revalidates, or while we are down.
STALE_WHILE_REVALIDATE, STALE_IF_ERROR = 3600, 86400
# How long a feed remembers its last ETag and Last-Modified across content changes.
STATE_TIMEOUT = 60 * 60 * 24 * 30


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


def render(feed, generator_class, feed_url, state_key):
    """Return the feed rendered, with its ETag and Last-Modified.

    Last-Modified is the newest entry's date the first time a feed is built; after that
    it moves to the build time whenever the body changes, so a notice that expired or
    was unpublished (which changes no remaining entry's date) still counts as a change.
    """
    generated = feed.build(generator_class, feed_url)
    body = generated.writeString("utf-8").encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    previous = cache.get(state_key)
    if previous and previous[0] == etag:
        last_modified = previous[1]
    elif previous:
        last_modified = max(int(timezone.now().timestamp()), previous[1] + 1)
    else:
        last_modified = int(generated.latest_post_date().timestamp())
    cache.set(state_key, (etag, last_modified), STATE_TIMEOUT)
    return Rendered(body, etag, last_modified)


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
    rendered = cached_for_content(
        key, lambda: render(feed, generator_class, feed_url, f"feed-state:{identity}")
    )

    response = HttpResponse(rendered.body, content_type=generator_class.content_type)
    response["ETag"] = rendered.etag
    response["Last-Modified"] = http_date(rendered.last_modified)
    response["Cache-Control"] = (
        f"public, max-age={MAX_AGE}, stale-while-revalidate={STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={STALE_IF_ERROR}"
    )
    _cors(response)
    answer = get_conditional_response(
        request, etag=rendered.etag, last_modified=rendered.last_modified, response=response
    )
    return answer if answer is response else _cors(answer)
