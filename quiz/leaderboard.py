"""What counts towards the regional leaderboard, and what staff should look at.

A leaderboard invites inflation: before this, three addresses moved a district from second
to first in 39 seconds by finishing attempts in a loop. Only what one client cannot inflate
counts now:

- **one attempt per person per day**: the person is a random id in a signed, long-lived
  cookie (``ff_quiz_client``). It is the only thing that tells 60 students on one school
  Wi-Fi apart (carrier-grade NAT puts whole villages on one address too), so the address
  alone cannot be the person. The first attempt a browser completes on a local
  (Asia/Shanghai) day counts; its other attempts that day do not.
- **at most QUIZ_LEADERBOARD_DAILY_PER_ADDRESS people per address per day** (default 60, a
  class): a script that throws its cookie away gets a new "person" each time, so the address
  caps what it can add, and such floods are flagged for staff (``anomalies``).

Attempts from before these keys were recorded count one each, as they always did. Both keys
are keyed hashes: the database never holds the cookie value or the address.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Min,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Concat, RowNumber, TruncDate
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from quiz.models import Attempt
from website.core import limits
from website.taxonomy.models import Region

COOKIE = "ff_quiz_client"
COOKIE_SALT = "quiz.leaderboard.client"
COOKIE_MAX_AGE = 365 * 24 * 3600
DAILY_PER_ADDRESS = 60
# Staff are told about an address that completes this many attempts of one quiz in one day
# (a class at a 进学校 event does that too: it is a prompt to look, not a verdict) …
ANOMALY_ADDRESS_DAILY = 30
# … and about a region whose attempts on one day reach this many times its usual daily
# number over the previous four weeks, and at least ANOMALY_MIN_JUMP.
ANOMALY_JUMP_FACTOR = 5
ANOMALY_MIN_JUMP = 20
BASELINE_DAYS = 28
RECENT_DAYS = 7
MAX_ANOMALIES = 50


def _setting(name, default):
    return getattr(settings, name, default)


def counting_rules():
    """Return the rules the public page states: {"per_address": people per network per day}."""
    return {"per_address": _setting("QUIZ_LEADERBOARD_DAILY_PER_ADDRESS", DAILY_PER_ADDRESS)}


# -- who is taking the quiz ---------------------------------------------------------------------
def _digest(kind, value):
    return salted_hmac(f"quiz.leaderboard.{kind}", value, algorithm="sha256").hexdigest()[:24]


def browser_id(request):
    """Return (id, is_new): the browser's id from its signed cookie, or a fresh one."""
    try:
        value = request.get_signed_cookie(COOKIE, salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        value = None
    if value and len(value) <= 64:
        return value, False
    return secrets.token_urlsafe(16), True


def remember_client(request, attempt, response, set_cookie=True):
    """Record on ``attempt`` which browser and network started it; return ``response``,
    with the browser's cookie set (or renewed) on it when ``set_cookie``."""
    value, _is_new = browser_id(request)
    bucket = limits.client_address(request)
    Attempt.objects.filter(pk=attempt.pk).update(
        client_key=_digest("client", value),
        address_key=_digest("address", bucket) if bucket != "unknown" else "",
    )
    if not set_cookie:
        return response
    response.set_signed_cookie(
        COOKIE,
        value,
        salt=COOKIE_SALT,
        max_age=COOKIE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


# -- what counts --------------------------------------------------------------------------------
def _local_day():
    return TruncDate("completed_at", tzinfo=timezone.get_current_timezone())


def _or_own(field):
    """``field``, or for an attempt recorded before it existed a value of its own (so legacy
    attempts each count as one person on one network, as they always did)."""
    return Case(
        When(**{field: ""}, then=Concat(Value("#"), Cast("pk", CharField()))),
        default=F(field),
        output_field=CharField(),
    )


def counted_attempts(attempts, per_address=None):
    """Return the attempts among ``attempts`` (completed ones) that count for the ranking.

    A browser's first completed attempt of each local day, and of those at most
    ``per_address`` (QUIZ_LEADERBOARD_DAILY_PER_ADDRESS) per network per day, the earliest.
    Two subqueries, both computed in SQL.
    """
    if per_address is None:
        per_address = counting_rules()["per_address"]
    firsts = (
        attempts.annotate(day=_local_day(), who=_or_own("client_key"))
        .values("day", "who")
        .annotate(first=Min("pk"))
        .values("first")
    )
    chosen = (
        Attempt.objects.filter(pk__in=firsts)
        .annotate(
            nth=Window(
                RowNumber(),
                partition_by=[_or_own("address_key"), _local_day()],
                order_by=F("pk").asc(),
            )
        )
        .filter(nth__lte=per_address)
        .values("pk")
    )
    return Attempt.objects.filter(pk__in=chosen)


# -- what staff should look at ------------------------------------------------------------------
@dataclass(frozen=True)
class Anomaly:
    """Something on the leaderboard staff should look at; ``message`` says what, in Chinese."""

    kind: str  # "address" | "jump"
    day: datetime.date
    message: str


def _recent_attempts(quiz, since):
    qs = Attempt.objects.filter(completed_at__gte=since)
    if quiz is not None:
        qs = qs.filter(quiz=quiz)
    return qs


def _busy_addresses(quiz, since, threshold):
    rows = (
        _recent_attempts(quiz, since)
        .exclude(address_key="")
        .annotate(day=_local_day())
        .values("address_key", "day")
        .annotate(n=Count("pk"), browsers=Count("client_key", distinct=True))
        .filter(n__gte=threshold)
        .order_by("-day", "-n")[:MAX_ANOMALIES]
    )
    per_address = counting_rules()["per_address"]
    found = []
    for row in rows:
        counted = min(row["browsers"], per_address)
        found.append(
            Anomaly(
                "address",
                row["day"],
                _(
                    "%(day)s：同一网络（编号 %(key)s）完成了 %(n)s 次答题，来自 %(b)s 台设备，"
                    "计入排行榜 %(c)s 人次。可能是一次集体活动（如进学校），也可能是有人刷榜。"
                )
                % {
                    "day": row["day"].isoformat(),
                    "key": row["address_key"][:6],
                    "n": row["n"],
                    "b": row["browsers"],
                    "c": counted,
                },
            )
        )
    return found


def _jumps(quiz, today, level):
    start = today - datetime.timedelta(days=BASELINE_DAYS + RECENT_DAYS)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    rows = (
        _recent_attempts(quiz, since)
        .filter(region__isnull=False)
        .annotate(day=_local_day())
        .values("region", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    regions = {r.pk: r for r in Region.objects.all()}
    by_code = {r.code: r for r in regions.values()}
    daily = {}  # (region at the leaderboard's level, day) -> attempts
    for row in rows:
        region = regions.get(row["region"])
        if region is None or region.level < level:
            continue
        ancestor = region
        for code in region.path.strip("/").split("/"):
            candidate = by_code.get(code)
            if candidate is not None and candidate.level == level:
                ancestor = candidate
        key = (ancestor.pk, row["day"])
        daily[key] = daily.get(key, 0) + row["n"]
    factor = _setting("QUIZ_ANOMALY_JUMP_FACTOR", ANOMALY_JUMP_FACTOR)
    minimum = _setting("QUIZ_ANOMALY_MIN_JUMP", ANOMALY_MIN_JUMP)
    found = []
    for offset in range(RECENT_DAYS):
        day = today - datetime.timedelta(days=offset)
        for (region_pk, when), n in daily.items():
            if when != day or n < minimum:
                continue
            baseline = sum(
                daily.get((region_pk, day - datetime.timedelta(days=back)), 0)
                for back in range(1, BASELINE_DAYS + 1)
            )
            usual = baseline / BASELINE_DAYS
            if n >= factor * usual:
                found.append(
                    Anomaly(
                        "jump",
                        day,
                        _(
                            "%(day)s：%(region)s 当天完成答题 %(n)s 次，"
                            "而此前四周平均每天 %(usual).1f 次，请核实是否有集体活动。"
                        )
                        % {
                            "day": day.isoformat(),
                            "region": regions[region_pk].name,
                            "n": n,
                            "usual": usual,
                        },
                    )
                )
    found.sort(key=lambda a: a.day, reverse=True)
    return found[:MAX_ANOMALIES]


def anomalies(quiz=None, today=None):
    """Return the Anomalies of the last RECENT_DAYS local days, newest first: networks that
    completed ANOMALY_ADDRESS_DAILY attempts or more in a day, then regions whose day far
    exceeded their usual rate (at ``quiz``'s leaderboard level; county for all quizzes)."""
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=RECENT_DAYS - 1), datetime.time.min
        )
    )
    threshold = _setting("QUIZ_ANOMALY_ADDRESS_DAILY", ANOMALY_ADDRESS_DAILY)
    level = quiz.leaderboard_level if quiz is not None else Region.Level.COUNTY
    return _busy_addresses(quiz, since, threshold) + _jumps(quiz, today, level)
