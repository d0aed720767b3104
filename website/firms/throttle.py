"""The per-client limit on lookups (page and JSON alike): generous per address, because a
village meeting or a school class shares one, yet enough to stop a script walking the lists."""

from django.conf import settings

from website.core.limits import ALLOWED, CacheUnavailable, Rate, client_address, hit

# Lookups per address per minute; settings FIRMS_LOOKUP_RATE = (limit, seconds) overrides.
DEFAULT_RATE = (120, 60)


def lookup_rate():
    return Rate.of(getattr(settings, "FIRMS_LOOKUP_RATE", DEFAULT_RATE))


def check(request, scope="firms-lookup"):
    """Count one lookup by the request's client; return the limits Verdict. With the cache
    unreachable nothing can be counted and the lookup goes ahead (it only reads the lists)."""
    try:
        return hit(scope, client_address(request), lookup_rate())
    except CacheUnavailable:
        return ALLOWED
