"""One ledger engine for every message the office must send exactly once: blast deliveries
(``SmsDelivery``) and organiser reminders (``EventReminder``).

A ledger is a table with one row per message, whose id is the gateway's idempotency key.
Every step is a short transaction that moves rows between states, so a worker may die at
any instant:

    queued ──claim──▶ submitting ──accepted──▶ done (submitted, sent)
      ▲                    │ rejected ─▶ failed
      └──not at gateway────┤ unknown (timeout, 5xx) or worker died ─▶ settled by lookup
                           └ no longer wanted at claim time ─▶ skipped

A row is only ever resent after the gateway has said it does not have it. The ledger
model needs the fields ``status``, ``attempts``, ``claimed_at``, ``next_attempt_at`` and
``gateway_id``; the names of its "done" state, its done-time and its error field are
given to :class:`Ledger`.
"""

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

from campaigns.sms.sending import Result
from website.core.limits import CacheUnavailable, ask_cache

logger = logging.getLogger(__name__)

#: What tells sending that the shared cache is unreachable. The site's cache swallows Redis
#: errors (so pages keep rendering): the limiter then raises CacheUnavailable, and a lock
#: taken with cache.add simply is not had. A cache configured to raise gives the other two.
#: Sending catches these and pauses (nothing claimed, nothing lost) until the next beat tick
#: finds Redis back.
CACHE_DOWN = (CacheUnavailable, RedisError, ConnectionInterrupted)


def backoff(attempts):
    """Return the seconds to wait before attempt ``attempts + 1``: 10, 20, 40 … capped at 600."""
    return min(600, 10 * 2 ** max(0, attempts - 1))


@dataclass(frozen=True)
class Ledger:
    """The claim / submit / settle cycle over one ledger model.

    ``prefix`` makes the idempotency key (``d123``); ``done`` and ``done_at`` are the
    status and time field set when the gateway accepts a row; ``error`` is the field that
    holds the last error code; ``retry_after(attempts)`` gives the seconds before a retry;
    ``settle_limit`` caps the rows one settler looks up at once.
    """

    model: type
    prefix: str
    done: str
    done_at: str
    error: str
    settle_limit: int = 2000
    retry_after: Callable[[int], int] = backoff

    @property
    def Status(self):  # noqa: N802 - mirrors the model's own inner class
        return self.model.Status

    @property
    def settle_lock(self):
        return f"ledger-settle:{self.model._meta.label_lower}"

    def key(self, pk):
        """Return the gateway idempotency key of row ``pk``."""
        return f"{self.prefix}{pk}"

    def pk(self, key):
        """Return the row id inside idempotency key ``key``."""
        return int(key[len(self.prefix) :])

    # -- claiming ---------------------------------------------------------------------
    def claim(self, size, vet, *, now=None, scope=None, fields=None):
        """Claim up to ``size`` due queued rows (within ``scope``, a Q); return the claimed items.

        Rows are locked with FOR UPDATE SKIP LOCKED (SQLite has a single writer), so
        concurrent workers never claim the same row. ``fields`` picks what is read of each
        row (a values_list; default: model instances). ``vet(rows)`` returns
        ``(wanted, unwanted)``: ``wanted`` a list of ``(pk, item)`` to claim, ``unwanted``
        a dict ``{pk: error}`` of rows to mark skipped (error None leaves the field alone).
        """
        now = now or timezone.now()
        Status = self.Status
        with transaction.atomic():
            rows = (
                self.model.objects.select_for_update(skip_locked=True)
                .filter(status=Status.QUEUED)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            )
            if scope is not None:
                rows = rows.filter(scope)
            rows = rows.order_by("id")
            rows = list((rows.values_list(*fields) if fields else rows)[:size])
            if not rows:
                return []
            wanted, unwanted = vet(rows)
            by_error = defaultdict(list)
            for pk, error in unwanted.items():
                by_error[error].append(pk)
            for error, pks in by_error.items():
                extra = {} if error is None else {self.error: error[:40]}
                self.model.objects.filter(pk__in=pks).update(status=Status.SKIPPED, **extra)
            if wanted:
                self.model.objects.filter(pk__in=[pk for pk, _ in wanted]).update(
                    status=Status.SUBMITTING,
                    claimed_at=now,
                    next_attempt_at=None,
                    attempts=F("attempts") + 1,
                )
        return [item for _, item in wanted]

    # -- recording the gateway's answers -----------------------------------------------
    def record(self, results, now=None):
        """Write the gateway's answers (``Result``s) into rows that are still 'submitting'."""
        now = now or timezone.now()
        ids = {r.key: self.pk(r.key) for r in results}
        accepted = [(ids[r.key], r.gateway_id) for r in results if r.status == Result.ACCEPTED]
        rejected = defaultdict(list)
        for r in results:
            if r.status == Result.REJECTED:
                rejected[(r.error or "rejected")[:40]].append(ids[r.key])
        retry = [ids[r.key] for r in results if r.status == Result.RETRY]
        unknown = [ids[r.key] for r in results if r.status == Result.UNKNOWN]
        in_flight = self.model.objects.filter(status=self.Status.SUBMITTING)
        with transaction.atomic():
            if accepted:
                self._mark_done(accepted, now)
            for error, pks in rejected.items():
                in_flight.filter(pk__in=pks).update(
                    status=self.Status.FAILED, **{self.error: error}
                )
            if retry:
                self.requeue(retry, now, error="gateway_retry")
            if unknown:
                # Left "submitting": the settler asks the gateway once its answer is final.
                in_flight.filter(pk__in=unknown).update(
                    next_attempt_at=now
                    + datetime.timedelta(seconds=settings.SMS_SETTLE_DELAY_SECONDS),
                    **{self.error: "unknown"},
                )

    def _mark_done(self, pairs, now):
        # Django's bulk_update builds a CASE per row and costs half a second per 200 rows;
        # an UPDATE … FROM a VALUES list (PostgreSQL, SQLite ≥ 3.33) costs milliseconds.
        table = self.model._meta.db_table
        done_at = self.model._meta.get_field(self.done_at).column
        error = self.model._meta.get_field(self.error).column
        values = ", ".join(["(%s, %s)"] * len(pairs))
        sql = (
            f"WITH v(id, gid) AS (VALUES {values}) "
            f"UPDATE {table} SET status = %s, gateway_id = v.gid, {done_at} = %s, {error} = '' "
            f"FROM v WHERE {table}.id = v.id AND {table}.status = %s"
        )
        params = [x for pk, gid in pairs for x in (pk, (gid or "")[:64])]
        params += [self.done, now, self.Status.SUBMITTING]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    def requeue(self, pks, now, error):
        """Put 'submitting' rows back in the queue after ``retry_after``, or fail them once
        they have had SMS_MAX_ATTEMPTS."""
        max_attempts = settings.SMS_MAX_ATTEMPTS
        rows = self.model.objects.filter(pk__in=pks, status=self.Status.SUBMITTING)
        rows.filter(attempts__gte=max_attempts).update(
            status=self.Status.FAILED, **{self.error: f"{error}_gave_up"[:40]}
        )
        for attempts in set(
            rows.filter(attempts__lt=max_attempts).values_list("attempts", flat=True)
        ):
            rows.filter(attempts=attempts).update(
                status=self.Status.QUEUED,
                next_attempt_at=now + datetime.timedelta(seconds=self.retry_after(attempts)),
                **{self.error: error},
            )

    # -- settling rows left in flight ------------------------------------------------------
    def in_flight(self, now):
        """Return the 'submitting' rows nobody is working on any more: their worker has been
        silent for SMS_STALE_SECONDS, or the gateway's answer was ambiguous and its settle
        delay has passed."""
        stale_before = now - datetime.timedelta(seconds=settings.SMS_STALE_SECONDS)
        return self.model.objects.filter(status=self.Status.SUBMITTING).filter(
            Q(claimed_at__lte=stale_before) | Q(next_attempt_at__lte=now)
        )

    def settle(self, backend, now=None, *, no_lookup=None, no_lookup_error=""):
        """Resolve rows left in flight against ``backend.lookup``; return (found, requeued).

        Found at the gateway: done. Not found: queued again (or failed after
        SMS_MAX_ATTEMPTS). Rows matching ``no_lookup`` (a Q: a channel without a lookup,
        such as e-mail) cannot be checked, so they fail with ``no_lookup_error`` rather
        than risk a second message. One settler runs at a time (a cache lock); the others
        return (0, 0). Raises one of CACHE_DOWN while the cache is unreachable.
        """
        now = now or timezone.now()
        if not ask_cache(self.settle_lock, cache.add, self.settle_lock, 1, 60):
            return 0, 0
        try:
            candidates = self.in_flight(now)
            if no_lookup is not None:
                candidates.filter(no_lookup).update(
                    status=self.Status.FAILED, **{self.error: no_lookup_error}
                )
                candidates = candidates.exclude(no_lookup)
            rows = list(candidates.order_by("id").values_list("id", flat=True)[: self.settle_limit])
            if not rows:
                return 0, 0
            found = backend.lookup([self.key(pk) for pk in rows])
            missing = [pk for pk in rows if self.key(pk) not in found]
            with transaction.atomic():
                still = set(
                    self.model.objects.select_for_update()
                    .filter(pk__in=rows, status=self.Status.SUBMITTING)
                    .values_list("id", flat=True)
                )
                accepted = [
                    Result(key, Result.ACCEPTED, gateway_id=gid or "")
                    for key, gid in found.items()
                    if self.pk(key) in still
                ]
                self.record(accepted, now)
                self.requeue([pk for pk in missing if pk in still], now, error="not_at_gateway")
            logger.warning(
                "settled %s in-flight rows of %s: %s at gateway, %s requeued",
                len(rows),
                self.model._meta.label,
                len(found),
                len(missing),
            )
            return len(found), len(missing)
        finally:
            cache.delete(self.settle_lock)
