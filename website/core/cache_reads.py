"""The shared cache's reads on the hot path: ``get_many`` as ``cache.get_many`` answers it,
in half the time on Redis.

Every page request starts with one read of the content version and its page (a cached hit is
nothing else); through django-redis that read took about 130 µs of CPU, more than the rest of
a cached hit. Most of it is layering, not Redis: django-redis's wrappers, then redis-py's
pool checkout and return, its retry wrapper and its observability hooks, each per call. Here
each process (and thread) keeps one connection of its own, made with the pool's own settings,
sends MGET on it and decodes the values with django-redis's own serializer, so the keys, the
values and what is stored are exactly those of ``cache.get_many``.

Failures keep django-redis's meaning (IGNORE_EXCEPTIONS): a connection that broke since its
last use (Redis restarted) is re-opened and asked once more; one that cannot be opened, or
fails again, is logged without its keys and answered as a miss, so pages render uncached until
Redis is back. Any other cache backend (locmem in tests, a file cache) is simply asked.
"""

import logging
import os
import threading

from django.core.cache import cache, caches

logger = logging.getLogger(__name__)


class _Lane(threading.local):
    backend = client = connection = pid = None


_lane = _Lane()


def _redis_client():
    """django-redis's client for a single Redis server, or None (another backend, or a
    sharded or sentinel setup: those keep their own logic)."""
    backend = caches["default"]  # ``cache`` is a proxy to it, one per thread
    if _lane.backend is not backend:  # the first call, or settings changed (tests)
        if _lane.connection is not None:
            _lane.connection.disconnect()
        _lane.backend, _lane.client = backend, _single_redis_client(backend)
        _lane.connection = None
    return _lane.client


def _single_redis_client(backend):
    try:
        from django_redis.cache import RedisCache
        from django_redis.client import DefaultClient
    except ImportError:  # pragma: no cover - django-redis is a dependency
        return None
    if not isinstance(backend, RedisCache) or type(backend.client) is not DefaultClient:
        return None
    if len(backend.client._server) != 1:
        return None
    return backend.client


def _connection(client):
    # A forked worker must not share its parent's socket.
    if _lane.connection is None or _lane.pid != os.getpid():
        pool = client.get_client(write=False).connection_pool
        _lane.connection = pool.connection_class(**pool.connection_kwargs)
        _lane.pid = os.getpid()
    return _lane.connection


def _mget(connection, full_keys):
    import redis

    # A connection that answered before may have been closed by a Redis restart: re-open it
    # and ask once more. One that was never open failed to connect: no second wait.
    was_open = connection._sock is not None
    try:
        connection.send_command("MGET", *full_keys)
        return connection.read_response()
    except (redis.ConnectionError, redis.TimeoutError, OSError):
        connection.disconnect()
        if not was_open:
            raise
    connection.send_command("MGET", *full_keys)
    return connection.read_response()


def get_many(keys):
    """Return {key: value} for those of ``keys`` the shared cache holds: ``cache.get_many``."""
    client = _redis_client()
    if client is None or not keys:
        return cache.get_many(keys)
    import redis

    full = {client.make_key(key): key for key in keys}
    connection = _connection(client)
    try:
        values = _mget(connection, list(full))
    except (redis.RedisError, OSError) as exc:
        connection.disconnect()
        # The keys name pages and visitors' modes: the error's kind is enough to act on.
        logger.warning("shared cache unreachable, read as a miss: %s", type(exc).__name__)
        return {}
    return {
        key: client.decode(value)
        for (_, key), value in zip(full.items(), values, strict=True)
        if value is not None
    }
