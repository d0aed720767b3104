"""Impressions per partner site (referring host) per day and widget; no personal data.

Only the host of the ``Referer`` header is kept, never the full URL (a partner's page address
can carry a reader's identifiers in its query string), the IP address or the user agent.

With Redis as the cache (production), a view is one HINCRBY in a Redis hash and beat moves
the counts into the database every minute (``flush``): a write per view would make every view
of a popular partner's page queue for the same row lock and wait for its own commit. Without
Redis (the embedded default) each view is one upsert.
"""

import datetime
import ipaddress
import logging
import re
from contextlib import nullcontext
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_redis import get_redis_connection
from redis.exceptions import RedisError, ResponseError

from website.embeds.models import HOST_MAX_LENGTH, Impression

logger = logging.getLogger(__name__)

WIDGETS = frozenset(Impression.Widget.values)
UNKNOWN_HOST_LABEL = "（未知来源）"
# A Referer longer than this is not a browser's; it is not worth parsing.
MAX_REFERER_LENGTH = 4096
# One DNS label after IDNA encoding: letters, digits, hyphens inside (underscores appear in
# real intranet names).
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
# Headers with which browsers mark prefetches and prerenders that nobody may ever see.
_PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")
# Redis keys of the buffer: a hash of "day|widget|host" → views, the batch being moved to
# the database, and the lock that lets one flush run at a time.
BUFFER_KEY = "fangfei:embeds:impressions"
FLUSHING_KEY = "fangfei:embeds:impressions:flushing"
FLUSH_LOCK_KEY = "fangfei:embeds:impressions:lock"
FLUSH_LOCK_SECONDS = 300


def referring_host(referer):
    """Return the host of ``referer``: lower-case, IDNA (punycode) form, without port or
    trailing dot; "" when there is none or it cannot be parsed.
    """
    if not referer or not isinstance(referer, str) or len(referer) > MAX_REFERER_LENGTH:
        return ""
    try:
        host = urlsplit(referer.strip()).hostname
    except ValueError:
        return ""
    if not host:
        return ""
    host = host.rstrip(".")
    try:
        # A zone ("%eth0") names the reader's network interface, not the site.
        return str(ipaddress.ip_address(host)).split("%")[0]
    except ValueError:
        pass
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return ""
    labels = host.split(".")
    if len(host) > HOST_MAX_LENGTH or not all(_LABEL.match(label) for label in labels):
        return ""
    return host


def display_host(host):
    """Return ``host`` as people read it: Unicode for IDNA names, 未知来源 for ""."""
    if not host:
        return UNKNOWN_HOST_LABEL
    try:
        shown = host.encode("ascii").decode("idna")
    except UnicodeError:
        return host
    return shown if shown == host else f"{shown}（{host}）"


def is_prefetch(request):
    """Return True for a browser's speculative load (prefetch or prerender)."""
    return any(
        "prefetch" in request.META.get(header, "").lower()
        or "prerender" in request.META.get(header, "").lower()
        for header in _PREFETCH_HEADERS
    )


def _upsert_sql():
    quote = connection.ops.quote_name
    table = quote(Impression._meta.db_table)
    day, host, widget, count = (
        quote(Impression._meta.get_field(name).column)
        for name in ("day", "host", "widget", "count")
    )
    # SQLite (3.24+) and PostgreSQL both speak this upsert; concurrent increments serialise
    # on the unique index instead of racing in a read-modify-write.
    return (
        f"INSERT INTO {table} ({day}, {host}, {widget}, {count}) VALUES (%s, %s, %s, %s) "
        f"ON CONFLICT ({day}, {host}, {widget}) "
        f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def _redis():
    """Return a Redis client when views are buffered in Redis, else None."""
    if not settings.EMBED_IMPRESSIONS_BUFFERED:
        return None
    return get_redis_connection("default")


def record(request, widget):
    """Count one view of ``widget`` for the host that framed it; return True if counted.

    One Redis command when buffered, else one SQL statement. HEAD requests and prefetches
    are not views. A storage error is logged and swallowed: a counter must never break the
    widget.
    """
    if widget not in WIDGETS:
        raise ValueError(f"unknown widget {widget!r}")
    if request.method != "GET" or is_prefetch(request):
        return False
    host = referring_host(request.META.get("HTTP_REFERER", ""))
    day = timezone.localdate()
    client = _redis()
    if client is not None:
        try:
            client.hincrby(BUFFER_KEY, f"{day.isoformat()}|{widget}|{host}", 1)
            return True
        except RedisError as exc:
            logger.warning("impression of %s not buffered: %s", widget, type(exc).__name__)
            # Counted in the database instead.
    try:
        _write([(day, host, widget, 1)])
    except DatabaseError as exc:
        # The referrer stays out of the log; the first line of the message names the fault.
        message = str(exc).splitlines()[0][:200] if str(exc) else ""
        logger.warning("impression of %s not counted: %s %s", widget, type(exc).__name__, message)
        return False
    return True


def _write(rows):
    """Add ``rows`` of (day, host, widget, views) to the counters."""
    params = [(connection.ops.adapt_datefield_value(day), host, w, n) for day, host, w, n in rows]
    # Inside a transaction a failed statement would poison everything after it
    # (PostgreSQL); a savepoint confines it. In autocommit, the usual case for a widget
    # request, the statement is its own transaction.
    atomic = connection.in_atomic_block or len(params) > 1
    with transaction.atomic() if atomic else nullcontext(), connection.cursor() as cursor:
        if len(params) == 1:
            cursor.execute(_upsert_sql(), params[0])
        else:
            cursor.executemany(_upsert_sql(), params)


def _parse(field, views):
    """Return (day, host, widget, views) from a buffer entry, or None for a malformed one."""
    try:
        day, widget, host = field.decode().split("|", 2)
        return datetime.date.fromisoformat(day), host, widget, int(views)
    except (UnicodeDecodeError, ValueError):
        return None


def flush():
    """Move the views buffered in Redis into the database; return how many were moved.

    The buffer is renamed away in one atomic step, so views counted meanwhile start a new
    one; a batch left behind by a flush that died is moved first, by the next flush. A lock
    keeps two flushes (beat, the staff report) from moving one batch twice.
    """
    client = _redis()
    if client is None or not client.set(FLUSH_LOCK_KEY, 1, nx=True, ex=FLUSH_LOCK_SECONDS):
        return 0
    try:
        if not client.exists(FLUSHING_KEY):
            try:
                client.rename(BUFFER_KEY, FLUSHING_KEY)
            except ResponseError:  # no views since the last flush
                return 0
        rows = [
            row for row in (_parse(f, v) for f, v in client.hgetall(FLUSHING_KEY).items()) if row
        ]
        if rows:
            _write(rows)
        client.delete(FLUSHING_KEY)
        return sum(row[3] for row in rows)
    finally:
        client.delete(FLUSH_LOCK_KEY)
