"""Status SMS to reporters with real processes: PostgreSQL, Redis, Celery beat and a worker,
and the fake HTTP gateway. Each public status change reaches the gateway exactly once, although
the worker is SIGKILLed while messages are in flight."""

import os
import time
from collections import Counter

import pytest

from tests.services.harness import Cluster, wait_for
from tests.tipoffs.helpers import make_report
from website.tipoffs import services
from website.tipoffs.models import Report, StatusSms

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPORTS = 15


@pytest.fixture(autouse=True)
def services_only():
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")


def all_sent():
    rows = StatusSms.objects.all()
    return rows.count() == 2 * REPORTS and not rows.exclude(status="sent").exists()


def test_each_status_change_is_texted_exactly_once_across_a_worker_crash(request):
    phones = [f"+86139000{i:05d}" for i in range(REPORTS)]
    reports = []
    for phone in phones:
        report, _secret = make_report(phone=phone)
        Report.objects.filter(pk=report.pk).update(phone_confirmed=True)
        report.refresh_from_db()
        reports.append(report)
    unconfirmed, _ = make_report(phone="+8613911112222")
    with Cluster(request.node.name, TIPOFF_SMS_SECONDS=1, SMS_QUIET_HOURS="off") as cluster:
        cluster.start_gateway("--delay", "0.4")
        for report in reports:
            services.change_status(report, Report.Status.VERIFYING)
        services.change_status(unconfirmed, Report.Status.VERIFYING)
        cluster.start_worker()
        cluster.start_beat()
        assert wait_for(lambda: StatusSms.objects.filter(status="sent").exists(), timeout=60)
        cluster.kill("worker")
        for report in reports:
            services.change_status(report, Report.Status.CLOSED)
        time.sleep(1.5)
        cluster.start_worker()
        assert wait_for(all_sent, timeout=120)
        time.sleep(3)  # more ticks: nothing further may be sent

        messages = cluster.messages()
        per_key = Counter({key: len(entries) for key, entries in messages.items()})
        assert [k for k, n in per_key.items() if n > 1] == [], "duplicate submissions"
        assert set(messages) == {f"t{pk}" for pk in StatusSms.objects.values_list("pk", flat=True)}
        received = Counter(entry[1] for entries in messages.values() for entry in entries)
        assert received == Counter({p: 2 for p in phones})  # none to the unconfirmed number
        assert cluster.stats()["duplicates"] == 0
