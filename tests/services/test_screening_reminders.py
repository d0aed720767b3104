"""Screening reminders with real processes: PostgreSQL, Redis, Celery beat and a worker, and
the fake HTTP gateway. Every region that has not filed is reminded exactly once, although
the worker is SIGKILLed while sending; a region that filed is not reminded."""

import os
import time
from collections import Counter

import pytest
from django.utils import timezone

from tests.leads import factories as lf
from tests.services.harness import Cluster, wait_for
from website.leads.models import RegionContact, ScreeningFiling, ScreeningReminder, current_period
from website.taxonomy.models import Region

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VILLAGES = 30


@pytest.fixture(autouse=True)
def services_only():
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")


def test_each_missing_region_is_reminded_exactly_once_across_a_worker_kill(request):
    today = timezone.localdate()
    if today.day > 28:
        pytest.skip("the due day is at most the 28th: no reminder window today")
    town = lf.region("430922101")
    phones = {}
    for i in range(VILLAGES):
        village = Region.objects.create(
            code=f"430922101{300 + i}", name=f"测试村{i}", level=5, parent=town
        )
        phone = f"1390001{i:04d}"
        RegionContact.objects.create(region=village, name=f"联络员{i}", phone=phone)
        phones[village.pk] = phone
    # The window (from the 1st to the due day) holds today, whatever day the test runs.
    lf.screen_villages_under("430922101", due_day=max(today.day, 1), days=27)
    filed = Region.objects.get(code="430922101300")
    ScreeningFiling.objects.create(region=filed, period=current_period(), nothing_found=True)
    expected = {f"+86{p}" for pk, p in phones.items() if pk != filed.pk}
    # 石牛江村, seeded without a contact, must file too: a skipped row, no message.
    with Cluster(request.node.name, LEADS_REMINDER_SECONDS=1) as cluster:
        cluster.start_gateway("--delay", "0.3")
        cluster.start_worker()
        cluster.start_beat()
        assert wait_for(
            lambda: ScreeningReminder.objects.filter(status="sent").exists(), timeout=60
        )
        cluster.kill("worker")
        time.sleep(1.5)
        cluster.start_worker()

        def settled():
            return not ScreeningReminder.objects.exclude(status__in=["sent", "skipped"]).exists()

        assert wait_for(
            lambda: (
                ScreeningReminder.objects.filter(status="sent").count() == len(expected)
                and settled()
            ),
            timeout=120,
        )
        time.sleep(3)  # more ticks: nothing further may be sent
        messages = cluster.messages()
        per_key = Counter({key: len(entries) for key, entries in messages.items()})
        assert [k for k, n in per_key.items() if n > 1] == [], "duplicate submissions"
        received = Counter(entry[1] for entries in messages.values() for entry in entries)
        assert set(received) == expected and set(received.values()) == {1}
        assert cluster.stats()["duplicates"] == 0
    skipped = ScreeningReminder.objects.filter(status="skipped")
    assert list(skipped.values_list("region__code", "error")) == [("430922101201", "no_contact")]
    assert not ScreeningReminder.objects.filter(region=filed).exists()
