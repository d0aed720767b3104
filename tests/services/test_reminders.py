"""Organiser reminders with real processes: PostgreSQL, Redis, Celery beat and a worker,
and the fake HTTP gateway. Each (event, offset) reminder reaches the gateway exactly once,
although the worker is SIGKILLed between and during ticks and beat is restarted."""

import datetime
import os
import time
from collections import Counter

import pytest
from django.utils import timezone

from campaigns.models import EventReminder, OutreachEvent
from tests.campaigns.outreach import factories as of
from tests.services.harness import Cluster, wait_for

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EVENTS = 40


@pytest.fixture(autouse=True)
def services_only():
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")


def settled(offset):
    rows = EventReminder.objects.filter(offset_hours=offset)
    return rows.count() == EVENTS and not rows.exclude(status="sent").exists()


def test_each_reminder_reaches_the_gateway_exactly_once_across_restarts(request):
    now = timezone.now()
    phones = [f"1390000{i:04d}" for i in range(EVENTS)]
    events = [of.event(start=now + datetime.timedelta(hours=3), phone=p) for p in phones]
    of.event(start=now + datetime.timedelta(hours=3), status="cancelled", phone="13911112222")
    with Cluster(
        request.node.name, OUTREACH_REMINDER_SECONDS=1, OUTREACH_REMINDER_HOURS="24,2"
    ) as cluster:
        # Slow answers widen the window in which a SIGKILL leaves rows "submitting".
        cluster.start_gateway("--delay", "0.4")
        cluster.start_worker()
        cluster.start_beat()
        # The 24 h reminders: the worker dies during the first ticks, beat restarts too.
        assert wait_for(lambda: EventReminder.objects.filter(offset_hours=24).exists(), timeout=60)
        cluster.kill("worker")
        cluster.kill("beat")
        time.sleep(1.5)
        cluster.start_beat()
        cluster.start_worker()
        assert wait_for(lambda: settled(24), timeout=120)

        # Time passes: the events now start within 2 h. The worker is killed again between ticks.
        OutreachEvent.objects.filter(pk__in=[e.pk for e in events]).update(
            start_at=timezone.now() + datetime.timedelta(minutes=90),
            end_at=timezone.now() + datetime.timedelta(minutes=150),
        )
        assert wait_for(lambda: EventReminder.objects.filter(offset_hours=2).exists(), timeout=60)
        cluster.kill("worker")
        time.sleep(2)
        cluster.start_worker()
        assert wait_for(lambda: settled(2), timeout=120)
        time.sleep(3)  # more ticks: nothing further may be sent

        messages = cluster.messages()
        per_key = Counter({key: len(entries) for key, entries in messages.items()})
        assert [k for k, n in per_key.items() if n > 1] == [], "duplicate submissions"
        expected = {r.key for r in EventReminder.objects.all()}
        assert set(messages) == expected
        received = Counter(entry[1] for entries in messages.values() for entry in entries)
        assert received == Counter({f"+86{p}": 2 for p in phones})
        assert cluster.stats()["duplicates"] == 0
    assert (
        EventReminder.objects.count() == 2 * EVENTS
    )  # one row per (event, offset), none for cancelled
