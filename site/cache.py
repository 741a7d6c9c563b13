"""One Redis connection pool per process for Django's cache.

Django keeps a cache backend per thread, and under ASGI each request's synchronous
code runs in a thread of its own: without this every request built a new RedisCache,
a new redis-py pool and a new TCP connection to Redis (measured in
docs/benchmarks.md: 1,065 connections for 1,000 votes).
"""

from __future__ import annotations

import threading
from typing import ClassVar

import redis


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
