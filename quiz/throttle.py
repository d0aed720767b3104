"""The quiz's limits, on top of the site's one limiter (``website.core.limits``).

Limits key first on what names one person: the attempt token for answers, the browser's
session (when it has one) for new attempts. The per-address ceilings are a backstop against one
flooding client and stay generous, because a class on the school Wi-Fi or a village meeting on
one carrier address is many people behind one address.
"""

import logging

from django.conf import settings

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
        # One round trip for all of them on Redis: an answer is checked twice (attempt, address).
        verdicts = limits.hit_many(wanted)
    except limits.CacheUnavailable:
        # Answers stay bound to their attempt's secret token; a quiz that keeps working
        # while Redis restarts is worth more than counting a few minutes of requests.
        logger.warning("quiz throttle skipped: the shared cache is unreachable")
        return limits.ALLOWED
    return limits.worst(verdicts)


def what_is_limited(verdict):
    """Return what a refusal limited, for the page to say so: "attempt", "session" or
    "network" (the address, which many people may share)."""
    return {"quiz-token": "attempt", "quiz-session": "session"}.get(verdict.scope, "network")
