"""The global send-rate limit: one budget per second, shared through the cache by every
worker (Celery's own rate_limit is per worker)."""

from collections import Counter

from campaigns.sms.sending.ratelimit import acquire


class FakeTime:
    def __init__(self, start=1_000_000.0):
        self.now = start

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


def test_no_second_ever_gets_more_than_the_rate_across_workers():
    time = FakeTime()
    sent_per_second = Counter()
    # Three "workers" take turns, all drawing from the same cache counter.
    for _ in range(40):
        for _worker in range(3):
            acquire(7, rate=20, sleep=time.sleep, clock=time.clock)
            sent_per_second[int(time.clock())] += 7
    assert max(sent_per_second.values()) <= 20
    assert sum(sent_per_second.values()) == 40 * 3 * 7
    assert len(sent_per_second) >= (40 * 3 * 7) / 20  # it really waited


def test_a_batch_larger_than_the_rate_does_not_wait_forever():
    time = FakeTime()
    acquire(500, rate=50, sleep=time.sleep, clock=time.clock)
    acquire(500, rate=50, sleep=time.sleep, clock=time.clock)
    assert time.clock() - 1_000_000.0 <= 2


def test_zero_rate_means_unlimited():
    time = FakeTime()
    for _ in range(100):
        acquire(1000, rate=0, sleep=time.sleep, clock=time.clock)
    assert time.clock() == 1_000_000.0
