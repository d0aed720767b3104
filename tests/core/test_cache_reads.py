"""The hot-path read (``website.core.cache_reads.get_many``) answers as ``cache.get_many``
does, on a real redis-server of the test's own: same keys, same values, a restart survived
without a miss, an outage read as a miss."""

import logging

import redis
from django.core.cache import cache

from tests.core.test_page_cache_outage import own_redis  # noqa: F401 - a fixture
from website.core import cache_reads


def test_values_are_those_cache_get_many_gives(own_redis):  # noqa: F811
    values = {
        "a-number": 7,
        "a-big-number": 2**70,
        "a-tuple": (3, {"page": "<p>提示</p>"}),
        "a-text": "长辈模式",
        "a-false": False,
    }
    cache.set_many(values)
    keys = [*values, "not-there"]
    assert cache_reads.get_many(keys) == cache.get_many(keys) == values
    assert cache_reads.get_many([]) == {}


def test_it_uses_its_own_connection_not_the_pool(own_redis):  # noqa: F811
    cache.set("lane-key", 1)
    cache_reads.get_many(["lane-key"])
    pool = cache.client.get_client(write=False).connection_pool
    lane = cache_reads._lane.connection
    assert lane is not None and lane not in pool._available_connections
    cache_reads.get_many(["lane-key"])
    assert cache_reads._lane.connection is lane  # kept, not made per call


def test_a_connection_closed_by_the_server_is_opened_again_without_a_miss(own_redis):  # noqa: F811
    cache.set("survives", "yes")
    assert cache_reads.get_many(["survives"]) == {"survives": "yes"}
    # What a Redis restart does to an open connection: the server closes it.
    admin = redis.Redis(port=own_redis.port)
    killed = admin.client_kill_filter(_type="normal", skipme=True)
    assert killed >= 1
    assert cache_reads.get_many(["survives"]) == {"survives": "yes"}


def test_an_unreachable_redis_is_a_miss_logged_without_keys(own_redis, caplog):  # noqa: F811
    cache.set("secret-page-key", 1)
    cache_reads.get_many(["secret-page-key"])
    own_redis.stop()
    with caplog.at_level(logging.WARNING, logger="website.core.cache_reads"):
        assert cache_reads.get_many(["secret-page-key"]) == {}
    assert "unreachable" in caplog.text
    assert "secret-page-key" not in caplog.text
    own_redis.start()  # empty again: a miss, then what is stored is read
    assert cache_reads.get_many(["secret-page-key"]) == {}
    cache.set("secret-page-key", 2)
    assert cache_reads.get_many(["secret-page-key"]) == {"secret-page-key": 2}


def test_other_backends_are_asked_directly(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "x"},
    }
    cache.set("plain", [1, 2])
    assert cache_reads.get_many(["plain", "none"]) == {"plain": [1, 2]}
    assert cache_reads._redis_client() is None
