"""Django's Redis cache with one connection pool and one client per process.

Django keeps a cache backend per thread, and under ASGI each request's synchronous
code runs in a thread of its own. Out of the box every request therefore built a
new RedisCache, a new redis-py pool and a new TCP connection to Redis (measured in
docs/benchmarks.md: 1,065 connections for 1,000 votes), and every cache call built
a new redis-py client, whose constructor fills a table of some 300 response
callbacks (about a tenth of a millisecond per call, two calls per vote).

`SharedConnectionPool` (CACHES OPTIONS "pool_class") keeps one pool per (url,
options) for the process; `RedisCache` (CACHES BACKEND) keeps one client per pool.
redis-py clients are safe to share between threads: each command takes a connection
from the pool and gives it back.
"""

from __future__ import annotations

import threading
import weakref
from typing import ClassVar

import redis
from django.core.cache.backends import redis as django_redis


class SharedConnectionPool:
    """Used as CACHES[...]["OPTIONS"]["pool_class"]: `from_url` returns one pool per
    (url, options) for the whole process."""

    _pools: ClassVar[dict] = {}
    _lock = threading.Lock()

    @classmethod
    def from_url(cls, url: str, **options) -> redis.ConnectionPool:
        key = (
            url,
            tuple(sorted((name, repr(value)) for name, value in options.items())),
        )
        with cls._lock:
            if key not in cls._pools:
                cls._pools[key] = redis.ConnectionPool.from_url(url, **options)
            return cls._pools[key]


_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_clients_lock = threading.Lock()


class SharedClientRedisCacheClient(django_redis.RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = _clients.get(pool)
        if client is None:
            with _clients_lock:
                client = _clients.get(pool)
                if client is None:
                    client = _clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """CACHES BACKEND: Django's RedisCache, with one redis-py client per pool."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
