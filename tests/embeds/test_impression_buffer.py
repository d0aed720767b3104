"""With Redis (production), a widget view is one Redis command and beat moves the counts into
the database every minute: each view is moved exactly once, a batch left by a flush that died
is moved by the next, and a Redis failure falls back to counting in the database."""

import os
import threading
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_redis import get_redis_connection
from redis.exceptions import ConnectionError as RedisConnectionError

from tests import factories
from website.embeds import impressions
from website.embeds.impressions import BUFFER_KEY, FLUSH_LOCK_KEY, FLUSHING_KEY, flush, record
from website.embeds.models import Impression
from website.embeds.tasks import flush_impressions

from .test_impressions import counts, view

pytestmark = [pytest.mark.services]


@pytest.fixture
def redis(settings):
    if not os.environ.get("FANGFEI_SERVICES") or not django_settings.CACHES["default"][
        "BACKEND"
    ].endswith("RedisCache"):
        pytest.skip("services tier only (Redis)")
    settings.EMBED_IMPRESSIONS_BUFFERED = True
    client = get_redis_connection("default")
    client.delete(BUFFER_KEY, FLUSHING_KEY, FLUSH_LOCK_KEY)
    yield client
    client.delete(BUFFER_KEY, FLUSHING_KEY, FLUSH_LOCK_KEY)


@pytest.mark.django_db
def test_a_view_is_buffered_in_redis_without_touching_the_database(redis):
    with CaptureQueriesContext(connection) as queries:
        assert record(view("https://news.example.com/a"), "notices")
    assert queries.captured_queries == []
    assert counts() == {}
    assert flush() == 1
    assert counts() == {("news.example.com", "notices"): 1}


@pytest.mark.django_db
def test_each_view_is_moved_once(redis):
    for referer in ("https://news.example.com/", "https://news.example.com/b", ""):
        record(view(referer or None), "page")
    assert flush() == 3
    assert flush() == 0
    record(view("https://news.example.com/"), "page")
    assert flush_impressions.apply().result == 1  # the task beat runs
    assert counts() == {("news.example.com", "page"): 3, ("", "page"): 1}
    assert Impression.objects.count() == 2


def test_beat_moves_the_buffer_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["embeds-flush-impressions"]
    assert entry == {"task": "website.embeds.tasks.flush_impressions", "schedule": 60.0}


@pytest.mark.django_db
def test_a_batch_left_by_a_flush_that_died_is_moved_by_the_next(redis):
    record(view("https://news.example.com/"), "notices")
    record(view("https://news.example.com/"), "notices")
    redis.rename(BUFFER_KEY, FLUSHING_KEY)  # a flush died after taking the batch
    record(view("https://bank.example.cn/"), "kiosk")
    assert flush() == 2  # the orphaned batch first
    assert flush() == 1  # then what came since
    assert counts() == {("news.example.com", "notices"): 2, ("bank.example.cn", "kiosk"): 1}


@pytest.mark.django_db
def test_only_one_flush_runs_at_a_time(redis):
    record(view("https://news.example.com/"), "notices")
    redis.set(FLUSH_LOCK_KEY, 1)
    assert flush() == 0
    assert counts() == {}
    redis.delete(FLUSH_LOCK_KEY)
    assert flush() == 1


@pytest.mark.django_db
def test_a_malformed_buffer_entry_is_skipped(redis):
    redis.hset(BUFFER_KEY, mapping={"junk": 5, "2026-01-01|notices|x.example.com": 2})
    assert flush() == 2
    assert counts() == {("x.example.com", "notices"): 2}


@pytest.mark.django_db
def test_when_redis_fails_the_view_is_counted_in_the_database(redis):
    client = mock.Mock()
    client.hincrby.side_effect = RedisConnectionError("down")
    with mock.patch.object(impressions, "_redis", return_value=client):
        assert record(view("https://news.example.com/"), "quiz")
    assert counts() == {("news.example.com", "quiz"): 1}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_views_are_all_counted(redis):
    threads, per_thread = 8, 50
    barrier = threading.Barrier(threads)

    def worker():
        barrier.wait()
        for _ in range(per_thread):
            record(view("https://news.example.com/"), "notices")

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert flush() == threads * per_thread
    assert counts() == {("news.example.com", "notices"): threads * per_thread}


@pytest.mark.django_db
def test_the_staff_report_includes_views_not_yet_moved(redis):
    record(view("https://news.example.com/"), "notices")
    reviewer = factories.logged_in(factories.staff("reviewer", "审核员"))
    response = reviewer.get("/admin/embeds/impressions/")
    assert response.status_code == 200
    assert "news.example.com" in response.content.decode()
    assert counts() == {("news.example.com", "notices"): 1}
