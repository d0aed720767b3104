"""Per-client throttling for quiz submissions, kept in the shared cache.

Fixed-window counters keyed by client IP and by attempt token: one flooding client cannot
fill the answer table, and one attempt cannot be hammered from many addresses. With Redis
as the cache every web process shares the counters; ``locmem://`` counts per process.
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

# name: (requests allowed, per seconds); override with settings.QUIZ_THROTTLE_RATES.
DEFAULT_RATES = {
    "ip": (120, 60),  # all quiz POSTs from one address
    "token": (30, 60),  # POSTs for one attempt
    "start": (30, 600),  # new attempts from one address
}


@dataclass
class Verdict:
    allowed: bool
    retry_after: int = 0


def rates():
    return {**DEFAULT_RATES, **getattr(settings, "QUIZ_THROTTLE_RATES", {})}


def client_ip(request):
    """Return the client address Django was given (set it right in the proxy, not here)."""
    return (request.META.get("REMOTE_ADDR") or "unknown")[:64]


def _hit(name, ident, limit, window, now):
    slot = int(now // window)
    key = f"quiz:throttle:{name}:{ident}:{slot}"
    if cache.add(key, 1, window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 1)
            count = 1
    return count <= limit, int(window - now % window) + 1


def check(request, *kinds, token=None):
    """Count one request against each of ``kinds`` ("ip", "token", "start"); return a Verdict.

    Every counter is incremented even when an earlier one refuses, so a refused client
    keeps paying for its requests.
    """
    now = time.time()
    configured = rates()
    allowed, retry = True, 0
    for kind in kinds:
        limit, window = configured[kind]
        ident = token if kind == "token" else client_ip(request)
        ok, wait = _hit(kind, ident, limit, window, now)
        if not ok:
            allowed, retry = False, max(retry, wait)
    return Verdict(allowed, retry)
