"""One send-rate limit shared by every worker on every machine (Celery's own ``rate_limit``
is per worker). A counter per wall-clock second lives in the shared cache (Redis in
production); a batch waits for the next second when this one's budget is spent.
"""

import time

from django.conf import settings
from django.core.cache import cache


def acquire(n, rate=None, sleep=time.sleep, clock=time.time):
    """Block until ``n`` messages may be sent under SMS_RATE_PER_SECOND (0 = unlimited)."""
    rate = settings.SMS_RATE_PER_SECOND if rate is None else rate
    if not rate or n <= 0:
        return
    n = min(n, rate)  # a batch larger than a second's budget would otherwise wait forever
    while True:
        second = int(clock())
        key = f"sms-rate:{second}"
        cache.add(key, 0, timeout=10)
        try:
            used = cache.incr(key, n)
        except ValueError:  # expired between add and incr
            continue
        if used <= rate:
            return
        sleep(max(0.001, second + 1 - clock()))
