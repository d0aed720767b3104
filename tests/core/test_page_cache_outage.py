"""Redis stopped for real: public pages render uncached with 200, and the cache is used again
by itself once Redis is back. The test runs its own redis-server on a free port (never the
shared one)."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import cache

from tests import factories
from website.settings.env import cache_from_url

pytestmark = pytest.mark.django_db

REDIS_SERVER = shutil.which("redis-server")


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class OwnRedis:
    """A throw-away redis-server without persistence, started and stopped by the test."""

    def __init__(self):
        self.port = _free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not _answers(self.port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        assert not _answers(self.port)


@pytest.fixture
def own_redis(settings):
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed")
    server = OwnRedis()
    server.start()
    settings.CACHES = {
        **settings.CACHES,
        "default": cache_from_url(f"redis://127.0.0.1:{server.port}/0"),
    }
    try:
        yield server
    finally:
        server.stop()


def test_public_pages_render_uncached_while_redis_is_down_and_cache_again_after(own_redis, client):
    notice = factories.notice("停机时也要看到的提示")
    pages = ["/", "/notices/", notice.url, "/search/?q=提示"]
    for url in pages:
        client.get(url)
    assert client.get("/")["X-Cache"] == "HIT"

    own_redis.stop()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get("X-Cache") != "HIT", url
    assert "停机时也要看到的提示" in client.get(notice.url).content.decode()

    own_redis.start()  # empty: started without persistence
    assert client.get("/")["X-Cache"] == "MISS"
    assert client.get("/")["X-Cache"] == "HIT"


def test_publishing_while_redis_is_down_does_not_fail(own_redis, client):
    client.get("/")
    own_redis.stop()
    page = factories.notice("停机时发布的提示")
    assert page.live
    assert "停机时发布的提示" in client.get("/").content.decode()
    own_redis.start()
    assert cache.get("anything") is None


# -- the limiters while Redis is down --------------------------------------------------------
def test_a_limit_says_the_cache_is_unreachable_instead_of_guessing(own_redis):
    from website.core import limits

    assert limits.hit("outage-test", "someone", (5, 60)).allowed
    own_redis.stop()
    with pytest.raises(limits.CacheUnavailable):
        limits.hit("outage-test", "someone", (5, 60))
    with pytest.raises(limits.CacheUnavailable):
        limits.once("outage-test", "someone", 60)


def test_while_redis_is_down_the_quiz_still_starts(own_redis, client):
    from tests.quiz.conftest import make_question, make_quiz
    from tests.quiz.helpers import start

    quiz = make_quiz([make_question() for _ in range(3)], question_count=3)
    own_redis.stop()
    assert "/a/" in start(client, quiz)


def test_while_redis_is_down_no_sms_code_goes_out_uncounted(own_redis, client):
    from campaigns.sms.sending.backends import locmem

    locmem.outbox.clear()
    own_redis.stop()
    response = client.post("/sms/subscribe/", {"phone": "13912345678", "consent": "on"})
    assert response.status_code == 429
    assert "短信服务暂时繁忙" in response.content.decode()
    assert locmem.outbox == []


def test_while_redis_is_down_unsubscribing_still_works(own_redis, client):
    from campaigns.models import Subscriber
    from tests.campaigns.sms import factories as sms_factories

    person = sms_factories.subscriber(phone="+8613812340099")
    own_redis.stop()
    response = client.post(f"/u/{person.unsubscribe_token}")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.status == Subscriber.Status.UNSUBSCRIBED
