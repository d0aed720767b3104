"""A real `celery worker` subprocess, Redis as broker and cache, PostgreSQL as database."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from tests import factories
from website.celery import app as celery_app
from website.core.cache import VERSION_KEY
from website.pages.models import RiskNoticePage

pytestmark = pytest.mark.services


@pytest.fixture
def worker():
    """Start a worker bound to the test database; yield it; stop it."""
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    log = open(settings.BASE_DIR / "test-artifacts" / "celery-worker.log", "w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "website",
            "worker",
            "-l",
            "INFO",
            "--pool",
            "solo",
            "-n",
            f"test-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = celery_app.control.ping(timeout=1) or []
        if any(f"test-{os.getpid()}@" in name for reply in replies for name in reply):
            break
        assert proc.poll() is None, "celery worker exited; see test-artifacts/celery-worker.log"
    else:
        proc.kill()
        pytest.fail("celery worker did not answer a ping within 60 s")
    yield proc
    proc.terminate()
    proc.wait(timeout=30)
    log.close()


def wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


# Committed data is needed for the worker to see it; serialized_rollback restores the
# migration-seeded rows (home page, groups, audiences) that the flush afterwards removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_publishes_a_scheduled_page_and_the_page_cache_follows(worker, client):
    assert connection.vendor == "postgresql"
    index = factories.notice_index()
    page = RiskNoticePage(
        title="定时上线的风险提示", slug="timed", summary="s", body=factories.body("x"), live=False
    )
    index.add_child(instance=page)
    page.go_live_at = timezone.now() + timezone.timedelta(seconds=2)
    page.save_revision().publish()  # scheduled, not live
    assert "定时上线的风险提示" not in client.get("/notices/").content.decode()
    assert client.get("/notices/")["X-Cache"] == "HIT"
    time.sleep(2.5)

    version = cache.get(VERSION_KEY)
    celery_app.send_task("website.core.tasks.publish_scheduled_pages")

    # Wagtail commits the page as live and only then sends page_published, on which the
    # worker bumps the content version: wait for both, or a read can fall between them.
    assert wait_for(
        lambda: RiskNoticePage.objects.get(pk=page.pk).live and cache.get(VERSION_KEY) != version
    )
    # The worker cleared the shared (Redis) page cache: this process sees the page at once.
    assert "定时上线的风险提示" in client.get("/notices/").content.decode()


@pytest.mark.django_db
def test_search_runs_on_postgresql():
    if not os.environ.get("FANGFEI_SERVICES"):
        pytest.skip("services tier only")
    assert connection.vendor == "postgresql"
    from website.search.views import search_pages

    factories.case("以养老服务为名的集资案", text="非法集资")
    assert [p.title for p in search_pages("养老")] == ["以养老服务为名的集资案"]
