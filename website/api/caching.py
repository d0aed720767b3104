"""How long partners' caches (browsers, CDNs) may keep API answers, and their validators.

Answers are anonymous and public (``website.api.views``), so any shared cache may keep them.
Content changes on publish, and a new risk notice should reach partners within about a
minute; reference data (audiences, regions, tags) changes a few times a year. A CDN may
serve a slightly stale copy while it revalidates (``stale-while-revalidate``: revalidation
is a 304 once the ETag matches) or while we are down (``stale-if-error``).
"""

from functools import partial, wraps

from website.core import conditional

MINUTE, HOUR, DAY = 60, 3600, 86400
# policy: (max-age, stale-while-revalidate, stale-if-error)
POLICIES = {
    "content": (MINUTE, 10 * MINUTE, DAY),
    "images": (5 * MINUTE, HOUR, DAY),
    "reference": (HOUR, DAY, 7 * DAY),
}
# A 400 or 404 depends only on the URL and what is published: briefly cacheable, so a
# partner's broken URL hammered by every visitor costs us little, and a page published
# after a 404 shows within a minute.
ERROR_MAX_AGE = MINUTE
CACHEABLE_ERRORS = (400, 404, 405, 410)


def _policy_headers(response, policy):
    if response.has_header("Cache-Control"):
        return
    if response.status_code == 200:
        max_age, swr, sie = POLICIES[policy]
        conditional.public(response, max_age, swr, sie)
    elif response.status_code in CACHEABLE_ERRORS:
        conditional.public(response, ERROR_MAX_AGE)


def _stamp(request, response):
    conditional.stamp(request, response)


def cache_headers(request, response, policy):
    """Give an API answer its Cache-Control, and (once rendered) its ETag and Last-Modified."""
    _policy_headers(response, policy)
    if response.status_code == 200:
        if hasattr(response, "add_post_render_callback") and not response.is_rendered:
            response.add_post_render_callback(partial(_stamp, request))
        else:
            _stamp(request, response)
    return response


def api_answer(policy):
    """Decorate a plain API view with ``cache_headers(policy)``."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return cache_headers(request, view(request, *args, **kwargs), policy)

        return wrapped

    return decorate
