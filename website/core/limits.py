"""Who is asking, and how often: the one client address and the one rate limiter of the site.

``client_ip`` is the only place that reads REMOTE_ADDR or X-Forwarded-For; every limit (quiz,
SMS codes, webhooks, anything new) asks it, so one setting, ``TRUSTED_PROXY_COUNT``, is right
for all of them. ``address_bucket`` says what an address is counted as (an IPv6 host owns a /64).

Counters live in Django's default cache (Redis in production, so every web process and worker
shares them; ``locmem://`` counts per process). ``count`` is the only counter: ``cache.incr``
adds to it, ``cache.add`` creates it when missing, so two requests never read the same value.

``hit`` is a sliding-window limit built from two such fixed-window counters: the previous
window's count is weighted by how much of it still overlaps the last ``seconds`` (the estimate
Cloudflare uses). A plain fixed window lets a client spend twice its limit across a boundary; a
token bucket would need a read-modify-write of one value, which Django's cache API cannot make
atomic without a lock or a Redis script. The sliding counter needs only add/incr and one get,
and is off at most by how unevenly the previous window's requests were spread.
"""

import ipaddress
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.utils.crypto import salted_hmac

PREFIX = "limits"


# -- who is asking ------------------------------------------------------------------------------
def trusted_proxy_count():
    """Return how many reverse proxies of ours sit in front of Django (0: none).

    TRUSTED_PROXY_COUNT, or the older SMS_TRUSTED_PROXY_COUNT when only that one is set.
    """
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0) or getattr(
        settings, "SMS_TRUSTED_PROXY_COUNT", 0
    )
    try:
        return max(0, int(count))
    except (TypeError, ValueError):
        return 0


def client_ip(request):
    """Return the client's IP address as a string ("" when there is none that parses).

    REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies we run sit in front of us: then the address
    the outermost of them saw, counted from the right of X-Forwarded-For (entries further left
    are whatever the client chose to send, so they are never believed).
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = trusted_proxy_count()
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote.strip()))
    except ValueError:
        return ""


def address_bucket(ip):
    """Return what an address is counted as: itself for IPv4, its /64 for IPv6 (one IPv6 host
    usually owns a whole /64 and can rotate inside it), "unknown" for anything unparsable."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def client_address(request):
    """Return the bucket of the request's client address (see ``address_bucket``)."""
    return address_bucket(client_ip(request))


def session_key(request):
    """Return the key of the browser's session, or "" when it brought none.

    A browser can make one up, which only buys it a fresh per-session budget: the per-address
    ceiling still counts it.
    """
    session = getattr(request, "session", None)
    return (getattr(session, "session_key", None) or "")[:64]


# -- counting -----------------------------------------------------------------------------------
class CacheUnavailable(RuntimeError):
    """The shared cache cannot be reached, so nothing can be counted.

    The cache backend ignores Redis errors so that public pages keep rendering (its calls
    then return None); a limit cannot: each caller decides whether to let the request through
    (reading a page, unsubscribing) or to refuse it (sending a code to someone's phone).
    """


@dataclass(frozen=True)
class Rate:
    """``limit`` requests per ``seconds``."""

    limit: int
    seconds: int

    @classmethod
    def of(cls, value):
        """Return a Rate from a Rate or a ``(limit, seconds)`` pair (settings and JSON)."""
        if isinstance(value, Rate):
            return value
        limit, seconds = value
        return cls(int(limit), max(1, int(seconds)))


@dataclass(frozen=True)
class Verdict:
    """``allowed``, else how long to wait: ``wait`` in seconds, ``retry_after`` rounded up for
    the Retry-After header. ``scope`` names the limit that refused."""

    allowed: bool
    wait: float = 0.0
    scope: str = ""

    @property
    def retry_after(self):
        return max(1, math.ceil(self.wait)) if not self.allowed else 0


ALLOWED = Verdict(True)


def worst(verdicts):
    """Return one Verdict for several limits: refused if any refused, with the longest wait."""
    refused = [v for v in verdicts if not v.allowed]
    return max(refused, key=lambda v: v.wait) if refused else ALLOWED


def key(scope, ident, *parts):
    """Return the cache key of ``ident`` under ``scope``: identities (addresses, numbers,
    session keys) are stored only as a keyed hash, and every key has the same short shape."""
    digest = salted_hmac("website.core.limits", str(ident)).hexdigest()[:24]
    return ":".join([PREFIX, scope, digest, *map(str, parts)])


def ask_cache(what, call, *args, **kwargs):
    """Return ``call(*args, **kwargs)``, a call on the shared cache, for ``what`` (a key or
    lock, named in errors). Raises CacheUnavailable when the cache cannot answer: the site's
    cache swallows Redis errors and returns None, and a cache that does not swallow them
    raises a connection error. Counters, cooldowns and locks all need a real answer."""
    try:
        value = call(*args, **kwargs)
    except (ConnectionError, OSError) as exc:
        raise CacheUnavailable(f"{what}: {exc}") from exc
    if value is None:
        raise CacheUnavailable(f"{what}: no answer")
    return value


def count(key, timeout, amount=1):
    """Atomically add ``amount`` to the counter ``key`` (created with ``timeout`` seconds to
    live); return the new value. Raises CacheUnavailable when the cache cannot be reached and
    RuntimeError if it keeps losing the key."""
    # incr first: the counter usually exists, so this is one round trip to Redis, not two.
    for _attempt in range(5):
        try:
            return ask_cache(key, cache.incr, key, amount)
        except ValueError:  # not there yet (or expired): create it, unless another request did
            if ask_cache(key, cache.add, key, amount, timeout=timeout):
                return amount
    raise RuntimeError(f"cache counter {key} keeps vanishing")


def spend(key, limit, timeout, amount=1):
    """Take ``amount`` from the budget ``limit`` kept in counter ``key``; return (allowed, used).

    A refused request is given back at once, so it spends nothing (``used`` is then the count
    it would have made).
    """
    used = count(key, timeout, amount)
    if used > limit:
        give_back(key, amount)
        return False, used
    return True, used


def give_back(key, amount=1):
    """Take ``amount`` off the counter ``key`` again (a request a later check refused)."""
    try:
        cache.decr(key, amount)
    except ValueError:  # the counter expired meanwhile: nothing left to give back
        pass


def hit(scope, ident, rate, *, cost=1, now=None, charge_refused=True):
    """Count one request (of weight ``cost``) by ``ident`` against ``rate``; return a Verdict.

    With ``charge_refused`` a refused request still counts, so a client that keeps hammering
    stays refused; without it (a worker waiting for its turn) it is given back.
    """
    rate = Rate.of(rate)
    if rate.limit <= 0:
        return ALLOWED
    now = time.time() if now is None else now
    window = rate.seconds
    slot = int(now // window)
    elapsed = (now - slot * window) / window
    current_key = key(scope, ident, window, slot)
    current = count(current_key, 2 * window + 1, cost)
    previous = cache.get(key(scope, ident, window, slot - 1)) or 0
    if _fits(rate, previous, current, elapsed):
        return ALLOWED
    if not charge_refused:
        give_back(current_key, cost)
        current -= cost
    return Verdict(False, _wait(rate, previous, current, elapsed, cost), scope)


def _fits(rate, previous, current, elapsed):
    # The sliding-window estimate: the previous window weighted by how much still overlaps.
    return previous * (1 - elapsed) + current <= rate.limit


def hit_many(wanted, now=None):
    """Count one request against every ``(scope, ident, rate)`` in ``wanted``; return their
    Verdicts, in order, skipping none (a rate of 0 is ALLOWED).

    The same counters and arithmetic as ``hit`` (refused requests stay counted), but on
    django-redis all of them in one MULTI/EXEC round trip: for a request checked against
    several limits at once, such as a quiz answer (its attempt and its address). On any other
    cache, ``hit`` for each. Raises CacheUnavailable when Redis cannot be reached.
    """
    now = time.time() if now is None else now
    pipeline = _redis_pipeline()
    if pipeline is None:
        return [hit(scope, ident, rate, now=now) for scope, ident, rate in wanted]
    import redis

    plans = []
    for scope, ident, rate in wanted:
        rate = Rate.of(rate)
        if rate.limit <= 0:
            plans.append(None)
            continue
        window = rate.seconds
        slot = int(now // window)
        current = cache.make_key(key(scope, ident, window, slot))
        # count(): created with its lifetime when missing, then incremented.
        pipeline.set(current, 0, ex=2 * window + 1, nx=True)
        pipeline.incrby(current, 1)
        pipeline.get(cache.make_key(key(scope, ident, window, slot - 1)))
        plans.append((scope, rate, (now - slot * window) / window))
    try:
        replies = iter(pipeline.execute() if any(plans) else [])
    except redis.RedisError as exc:
        raise CacheUnavailable(f"limits: {exc}") from exc
    verdicts = []
    for plan in plans:
        if plan is None:
            verdicts.append(ALLOWED)
            continue
        scope, rate, elapsed = plan
        _created, current, previous = next(replies), int(next(replies)), int(next(replies) or 0)
        if _fits(rate, previous, current, elapsed):
            verdicts.append(ALLOWED)
        else:
            verdicts.append(Verdict(False, _wait(rate, previous, current, elapsed, 1), scope))
    return verdicts


def uses_redis():
    """Return True when the shared cache is django-redis (production, the services tier)."""
    return type(caches["default"]).__module__.startswith("django_redis")


def _redis_pipeline():
    if not uses_redis():
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default").pipeline(transaction=True)


def _wait(rate, previous, current, elapsed, cost):
    """Return seconds until ``cost`` more fits, if nothing else is counted meanwhile."""
    window, room = rate.seconds, rate.limit - cost
    if previous and current <= room:
        # The previous window's weight has to fade enough inside this window.
        return max(0.0, window * (1 - (room - current) / previous - elapsed))
    # Only in a later window: this one's count then fades in turn.
    fade = 1 - max(0, room) / current if current else 0
    return window * (1 - elapsed) + window * max(0.0, fade)


def once(scope, ident, timeout):
    """Return True for the first call with (``scope``, ``ident``) within ``timeout`` seconds,
    False for every later one: cooldowns and "alert once" guards. Raises CacheUnavailable when
    the cache cannot say."""
    name = key(scope, ident)
    return bool(ask_cache(name, cache.add, name, time.time() + timeout, timeout=timeout))


def once_left(scope, ident):
    """Return the seconds left before ``once(scope, ident, …)`` can be True again (0 if now)."""
    until = cache.get(key(scope, ident))
    return max(0.0, until - time.time()) if until else 0.0


def forget(scope, ident):
    """Make ``once(scope, ident, …)`` True again at once (what it guarded did not happen)."""
    cache.delete(key(scope, ident))
