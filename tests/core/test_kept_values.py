"""Values kept decoded in the process under their versions (read_versioned(keep=True)), and
version counters read with the route's round trip (read_with_route)."""

import pytest
from django.core.cache import cache

from website.core import cache as core_cache
from website.core import cache_reads

COUNTER = "test-kept-values-version"


@pytest.fixture
def trips(monkeypatch):
    """The keys of each read of the shared cache (one round trip each), in order."""
    calls = []
    real = cache_reads.get_many

    def counting(keys):
        calls.append(list(keys))
        return real(keys)

    monkeypatch.setattr(cache_reads, "get_many", counting)
    core_cache._forget_prefetched()
    yield calls
    core_cache._forget_prefetched()


@pytest.fixture
def counter(monkeypatch):
    monkeypatch.setattr(core_cache, "_ROUTE_VERSION_KEYS", [])
    core_cache.read_with_route(COUNTER)
    core_cache.read_with_route(COUNTER)  # once is enough
    assert core_cache._ROUTE_VERSION_KEYS == [COUNTER]
    return COUNTER


def _store(key, value):
    (version,), _found = core_cache.read_versioned([], (COUNTER,))
    cache.set(key, (version, value))


def test_a_held_value_is_not_fetched_again_but_its_version_is_read(trips):
    _store("kv:a", {"x": 1})
    first = core_cache.read_versioned(["kv:a"], (COUNTER,), keep=True)[1]["kv:a"]
    cache.set("kv:a", (cache.get(COUNTER), {"x": "changed behind its back"}))
    trips.clear()
    again = core_cache.read_versioned(["kv:a"], (COUNTER,), keep=True)[1]["kv:a"]
    assert again is first  # the object kept in the process, not a fresh unpickle
    assert trips == [[COUNTER]]  # one trip, for the version only


def test_a_bump_makes_the_held_value_stale_and_it_is_read_again(trips):
    _store("kv:b", "old")
    assert core_cache.read_versioned(["kv:b"], (COUNTER,), keep=True)[1] == {"kv:b": "old"}
    core_cache.bump_version(COUNTER)
    assert core_cache.read_versioned(["kv:b"], (COUNTER,), keep=True)[1] == {}  # stale
    _store("kv:b", "new")
    assert core_cache.read_versioned(["kv:b"], (COUNTER,), keep=True)[1] == {"kv:b": "new"}


def test_counters_read_with_the_route_spare_the_trip_until_a_bump(trips, counter):
    _store("kv:c", "held")
    core_cache.read_versioned(["kv:c"], (counter,), keep=True)
    core_cache.read_versioned([], (core_cache.VERSION_KEY,))  # the content version exists
    trips.clear()
    core_cache.read_current_many(["route-key"], prefetch=["body-key"])  # what routing does
    assert counter in trips[0] and len(trips) == 1
    assert core_cache.read_versioned(["kv:c"], (counter,), keep=True)[1] == {"kv:c": "held"}
    assert len(trips) == 1  # nothing more: the counter came with the route
    core_cache.bump_version(counter)  # forgets what the request read ahead
    assert core_cache.read_versioned(["kv:c"], (counter,), keep=True)[1] == {}
    assert len(trips) == 3  # the version read again, then the stale entry fetched
