"""One Redis connection pool per process for each cache server, however many cache
objects Django makes.

Django keeps its cache objects (`caches["default"]`) per thread and, under ASGI, per
task: every websocket connection looks its session up through a cache object of its
own, and Django's Redis client opens a connection pool per object — so each socket
opened a new TCP connection to Redis to read one session (found with py-spy while
2,000 room members connected: a fifth of the connect time; docs/benchmarks.md).
`SharedConnectionPool`, given as the caches' documented `pool_class` option, hands
every cache object of the process the same thread-safe redis-py pool for the same
server and options.
"""

from __future__ import annotations

import threading

import redis

_pools: dict[tuple, redis.ConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(redis.ConnectionPool):
    @classmethod
    def from_url(cls, url: str, **kwargs) -> redis.ConnectionPool:
        key = (url, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
        pool = _pools.get(key)
        if pool is None:
            with _lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = super().from_url(url, **kwargs)
        return pool
