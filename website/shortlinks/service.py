"""The short-link service: make a link for a page of ours with a label saying what it counts
for, count a visit, and read the counts back for reports.

Printed QR codes (one per 七进 event, or per campaign and channel) and SMS blasts (one per
blast, so clicks can be set against what the blast cost) share it. Callers label their links
(``kind``, ``ref``, ``channel``); this module never learns what an event or a blast is.

A code is short plain ASCII from an alphabet without look-alikes (no 0/o, 1/l/i), so it
survives being typed from paper and costs few characters in an SMS, where a percent-encoded
Chinese address would look like phishing.
"""

import re
import secrets

from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from website.core.site_address import public_url
from website.shortlinks.models import DailyCount, ShortLink

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 6  # 31**6 ≈ 887 million codes: a guess rarely hits one
CODE_RE = re.compile(rf"^[{ALPHABET}]{{4,12}}$")
MAX_TRIES = 8


def is_valid_code(code):
    """Return True when ``code`` (already lower-cased) could be one of our codes."""
    return bool(CODE_RE.match(code))


def _check_target(target_path):
    if not target_path.startswith("/") or target_path.startswith("//") or "\\" in target_path:
        raise ValueError(f"a short link leads to a path on this site, not {target_path!r}")


def link_for(target_path, *, kind, ref, channel=""):
    """Return the ShortLink for ``target_path`` labelled (``kind``, ``ref``, ``channel``),
    making it the first time. Idempotent: the same arguments always give the same link, also
    when two processes ask at once.

    Raises ValueError when ``target_path`` is not a path on this site (``/…``).
    """
    _check_target(target_path)
    label = {"kind": kind, "ref": str(ref), "channel": channel or "", "target_path": target_path}
    found = ShortLink.objects.filter(**label).first()
    if found:
        return found
    for _attempt in range(MAX_TRIES):
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                return ShortLink.objects.create(code=code, **label)
        except IntegrityError:
            # Either another process made this label's link just now, or the code is taken.
            found = ShortLink.objects.filter(**label).first()
            if found:
                return found
    raise RuntimeError("no free short-link code after several tries")


def short_url(link):
    """Return the link's absolute address on the site's public base address
    (FANGFEI_BASE_URL), e.g. ``https://fangfei.example.cn/s/k3m9px``."""
    return public_url(f"/s/{link.code}")


def placeholder_url(mark="·"):
    """Return an address as long as any ``short_url()`` (every code has CODE_LENGTH
    characters), with ``mark`` for the code: what a link will cost before its code exists."""
    return public_url("/s/" + mark * CODE_LENGTH)


def target_of(code):
    """Return the target path of ``code`` without counting, or None for a code we did not
    issue."""
    code = code.lower()
    if not is_valid_code(code):
        return None
    return ShortLink.objects.filter(code=code).values_list("target_path", flat=True).first()


def record_visit(code):
    """Count one visit of ``code`` today and return the link's target path, or None when no
    link has that code (junk, a typo, a guess). Nothing about the visitor is stored.

    The day's count is one INSERT … ON CONFLICT DO UPDATE (SQLite ≥ 3.24 and PostgreSQL
    both speak it): concurrent visits never lose a count or collide on the first of a day.
    """
    code = code.lower()
    if not is_valid_code(code):
        return None
    link = ShortLink.objects.filter(code=code).values_list("pk", "target_path").first()
    if link is None:
        return None
    pk, target = link
    table = connection.ops.quote_name(DailyCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (link_id, day, count) VALUES (%s, %s, 1) "
            f"ON CONFLICT (link_id, day) DO UPDATE SET count = {table}.count + 1",
            [pk, timezone.localdate()],
        )
    return target


def _visits(kind, refs, *, since=None, until=None):
    qs = DailyCount.objects.filter(link__kind=kind, link__ref__in=refs)
    if since:
        qs = qs.filter(day__gte=since)
    if until:
        qs = qs.filter(day__lte=until)
    return qs


def counts(kind, refs, *, since=None, until=None):
    """Return {ref: visits} for links of ``kind`` labelled with each of ``refs`` (all their
    channels and targets together), 0 for a ref without visits; optionally only the days
    from ``since`` to ``until`` (dates, inclusive). The keys are the refs as given."""
    by_text = {str(ref): ref for ref in refs}
    result = dict.fromkeys(by_text.values(), 0)
    rows = (
        _visits(kind, list(by_text), since=since, until=until)
        .values_list("link__ref")
        .annotate(n=Sum("count"))
    )
    for ref, n in rows:
        result[by_text[ref]] = n or 0
    return result


def channel_counts(kind, ref, *, since=None, until=None):
    """Return {channel: visits} for the links of (``kind``, ``ref``); channels without
    visits are left out."""
    rows = (
        _visits(kind, [str(ref)], since=since, until=until)
        .values_list("link__channel")
        .annotate(n=Sum("count"))
    )
    return {channel: n for channel, n in rows if n}


def link_counts(kind, ref):
    """Return [(ShortLink, visits)] for every link labelled (``kind``, ``ref``), oldest
    first, 0 for a link nobody followed yet: one query."""
    links = (
        ShortLink.objects.filter(kind=kind, ref=str(ref))
        .annotate(visits=Sum("daily_counts__count"))
        .order_by("pk")
    )
    return [(link, link.visits or 0) for link in links]
