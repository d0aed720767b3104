"""Redis stopped for real in the middle of a blast: sending pauses, resumes by itself when
Redis is back, and every recipient gets exactly one message.

The test runs a Redis of its own (the shared one is never stopped): broker and cache of a
real `celery worker` and beat, in front of PostgreSQL and the fake HTTP gateway."""

import os
import subprocess
import time

import pytest
from celery import Celery

from campaigns.models import SmsBlast
from tests.campaigns.sms import factories
from tests.services import harness
from tests.services.harness import Cluster, free_port, wait_for
from tests.services.test_sms_pipeline import assert_each_once

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class OwnRedis:
    """A throw-away redis-server on a free port, without persistence, that can be stopped
    and started again on the same port."""

    def __init__(self, log):
        self.port = free_port()
        self.log = log
        self.proc = None

    def url(self, db):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        assert wait_for(self.answers, timeout=20), "redis-server did not start"

    def answers(self):
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        return subprocess.run(ping, capture_output=True, text=True).stdout.strip() == "PONG"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=20)


@pytest.fixture
def redis(request, monkeypatch):
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")
    harness.ARTIFACTS.mkdir(exist_ok=True)
    with open(harness.ARTIFACTS / f"{request.node.name}-redis.log", "a") as log:
        server = OwnRedis(log)
        server.start()
        # The harness pings workers and purges queues through this app: point it at the
        # test's own broker, not the shared one (Celery prefers the environment's URL).
        monkeypatch.setenv("CELERY_BROKER_URL", server.url(1))
        monkeypatch.setattr(harness, "celery_app", Celery("outage", broker=server.url(1)))
        try:
            yield server
        finally:
            if server.proc.poll() is None:
                server.stop()


def submitted(cluster):
    return cluster.stats()["messages"]


def test_redis_stopped_mid_blast_pauses_sending_then_resumes_without_loss_or_duplicates(
    request, redis
):
    phones = factories.many_subscribers(1200)
    with Cluster(
        request.node.name,
        CACHE_URL=redis.url(0),
        CELERY_BROKER_URL=redis.url(1),
        SMS_RATE_PER_SECOND=100,
        SMS_BATCH_SIZE=20,
    ) as cluster:
        cluster.start_gateway()
        cluster.start_worker()
        cluster.start_beat()
        blast = factories.approved_blast_for()
        for already in (150, 600):
            assert wait_for(lambda n=already: submitted(cluster) >= n, timeout=90)
            redis.stop()
            time.sleep(2)  # the batch in flight when Redis went away is answered and recorded
            paused_at = submitted(cluster)
            time.sleep(6)  # longer than a worker slot: nothing may start without Redis
            assert submitted(cluster) == paused_at, "messages submitted while Redis was down"
            assert paused_at < 1200
            redis.start()
        assert wait_for(
            lambda: SmsBlast.objects.get(pk=blast.pk).status == SmsBlast.Status.COMPLETED,
            timeout=180,
        )
        assert_each_once(cluster, phones)
        assert cluster.stats()["duplicates"] == 0
        for key in ("worker", "beat"):
            assert cluster.procs[key].poll() is None, f"{key} did not survive the outage"
