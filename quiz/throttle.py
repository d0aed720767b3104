"""The quiz's limits, on top of the site's one limiter (``website.core.limits``).

Limits key first on what names one person: the attempt token for answers, the browser's
session (when it has one) for new attempts. The per-address ceilings are a backstop against one
flooding client and stay generous, because a class on the school Wi-Fi or a village meeting on
one carrier address is many people behind one address.
"""

import logging
import time

from django.conf import settings
from django.core.cache import caches

from website.core import limits

# name: (requests allowed, per seconds); override with settings.QUIZ_THROTTLE_RATES.
logger = logging.getLogger(__name__)

DEFAULT_RATES = {
    # All quiz POSTs from one address: 200 people answering a question every few seconds.
    "ip": (1000, 60),
    "token": (30, 60),  # POSTs for one attempt: one person
    "start": (300, 600),  # new attempts from one address: a village meeting of 200, and more
    "session": (20, 600),  # new attempts from one browser session
}
# Whose identity each limit counts: the address, the attempt, the session.
ADDRESS_KINDS = {"ip", "start"}


def rates():
    return {**DEFAULT_RATES, **getattr(settings, "QUIZ_THROTTLE_RATES", {})}


def check(request, *kinds, token=None):
    """Count one request against each of ``kinds`` ("ip", "token", "start", "session");
    return a ``limits.Verdict`` whose ``scope`` names the limit that refused.

    Every counter is incremented even when an earlier one refuses, so a refused client
    keeps paying for its requests. A limit with nothing to key on (no session) is skipped.
    """
    configured = rates()
    address = limits.client_address(request)
    idents = {"token": token or "", "session": limits.session_key(request)}
    wanted = []
    for kind in kinds:
        ident = address if kind in ADDRESS_KINDS else idents[kind]
        if ident:
            wanted.append((f"quiz-{kind}", ident, limits.Rate.of(configured[kind])))
    try:
        pipeline = _pipeline()
        if pipeline is None:
            verdicts = [limits.hit(scope, ident, rate) for scope, ident, rate in wanted]
        else:
            verdicts = _hit_all(pipeline, wanted, time.time())
    except limits.CacheUnavailable:
        # Answers stay bound to their attempt's secret token; a quiz that keeps working
        # while Redis restarts is worth more than counting a few minutes of requests.
        logger.warning("quiz throttle skipped: the shared cache is unreachable")
        return limits.ALLOWED
    return limits.worst(verdicts)


def uses_redis():
    """Return True when the shared cache is django-redis (production, the services tier)."""
    return type(caches["default"]).__module__.startswith("django_redis")


def _pipeline():
    """Return a Redis pipeline on the shared cache's server, or None when the cache is not
    django-redis (tests' local memory): then each limit is counted on its own."""
    try:
        from django_redis import get_redis_connection
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    if not uses_redis():
        return None
    return get_redis_connection("default").pipeline(transaction=True)


def _hit_all(pipeline, wanted, now):
    """Count one request against every (scope, ident, rate) in ``wanted`` in one round trip
    to Redis; return their Verdicts.

    The same sliding-window counters as ``limits.hit`` (same keys, same arithmetic), so the
    two can count together: each counter is created with its lifetime if missing, then
    incremented, and the previous window's counter is read, all in one MULTI/EXEC.
    """
    import redis

    backend = caches["default"]
    plans = []
    for scope, ident, rate in wanted:
        if rate.limit <= 0:
            continue
        window = rate.seconds
        slot = int(now // window)
        current = backend.make_key(limits.key(scope, ident, window, slot))
        pipeline.set(current, 0, ex=2 * window + 1, nx=True)
        pipeline.incrby(current, 1)
        pipeline.get(backend.make_key(limits.key(scope, ident, window, slot - 1)))
        plans.append((scope, rate, (now - slot * window) / window))
    if not plans:
        return []
    try:
        replies = pipeline.execute()
    except redis.RedisError as exc:
        raise limits.CacheUnavailable(f"quiz limits: {exc}") from exc
    verdicts = []
    for n, (scope, rate, elapsed) in enumerate(plans):
        current, previous = int(replies[3 * n + 1]), int(replies[3 * n + 2] or 0)
        if previous * (1 - elapsed) + current <= rate.limit:
            verdicts.append(limits.ALLOWED)
        else:
            # A refused request stays counted, as limits.hit does by default.
            wait = limits._wait(rate, previous, current, elapsed, 1)
            verdicts.append(limits.Verdict(False, wait, scope))
    return verdicts


def what_is_limited(verdict):
    """Return what a refusal limited, for the page to say so: "attempt", "session" or
    "network" (the address, which many people may share)."""
    return {"quiz-token": "attempt", "quiz-session": "session"}.get(verdict.scope, "network")
