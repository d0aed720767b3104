"""Impressions per partner site (referring host) per day and widget; no personal data.

Only the host of the ``Referer`` header is kept, never the full URL (a partner's page address
can carry a reader's identifiers in its query string), the IP address or the user agent.
"""

import ipaddress
import logging
import re
from urllib.parse import urlsplit

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .models import HOST_MAX_LENGTH, Impression

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
        f"INSERT INTO {table} ({day}, {host}, {widget}, {count}) VALUES (%s, %s, %s, 1) "
        f"ON CONFLICT ({day}, {host}, {widget}) DO UPDATE SET {count} = {table}.{count} + 1"
    )


def record(request, widget):
    """Count one view of ``widget`` for the host that framed it; return True if counted.

    One SQL statement. HEAD requests and prefetches are not views. A database error is
    logged and swallowed: a counter must never break the widget.
    """
    if widget not in WIDGETS:
        raise ValueError(f"unknown widget {widget!r}")
    if request.method != "GET" or is_prefetch(request):
        return False
    host = referring_host(request.META.get("HTTP_REFERER", ""))
    day = connection.ops.adapt_datefield_value(timezone.localdate())
    try:
        # Inside a transaction a failed statement would poison everything after it
        # (PostgreSQL); a savepoint confines it. In autocommit, the usual case for a
        # widget request, the statement is its own transaction.
        if connection.in_atomic_block:
            with transaction.atomic():
                _execute(day, host, widget)
        else:
            _execute(day, host, widget)
    except DatabaseError as exc:
        # The referrer stays out of the log; the first line of the message names the fault.
        message = str(exc).splitlines()[0][:200] if str(exc) else ""
        logger.warning("impression of %s not counted: %s %s", widget, type(exc).__name__, message)
        return False
    return True


def _execute(day, host, widget):
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [day, host, widget])
