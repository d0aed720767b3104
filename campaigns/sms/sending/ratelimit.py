"""One send-rate limit shared by every worker on every machine (Celery's own ``rate_limit``
is per worker): SMS_RATE_PER_SECOND messages in any one second, counted by the site's one
limiter (``website.core.limits``) in the shared cache (Redis in production).
"""

import time

from django.conf import settings

from website.core import limits

SCOPE = "sms-send"


def acquire(n, rate=None, sleep=time.sleep, clock=time.time):
    """Block until ``n`` messages may be sent under SMS_RATE_PER_SECOND (0 = unlimited)."""
    rate = settings.SMS_RATE_PER_SECOND if rate is None else rate
    if not rate or n <= 0:
        return
    n = min(n, rate)  # a batch larger than a second's budget would otherwise wait forever
    while True:
        # A worker that must wait gives its claim back, so waiting never delays the others.
        verdict = limits.hit(SCOPE, "all", (rate, 1), cost=n, now=clock(), charge_refused=False)
        if verdict.allowed:
            return
        sleep(max(0.001, verdict.wait))
