"""yishi.cache: one Redis pool and one redis-py client per process (all threads)."""

import threading
import uuid

import pytest
from django.conf import settings

from yishi.cache import RedisCache, SharedConnectionPool

pytestmark = pytest.mark.redis


def _backend():
    """A cache backend as Django builds one for each thread (and ASGI request)."""
    return RedisCache(
        settings.REDIS_URL,
        {
            "KEY_PREFIX": f"test-cache-{uuid.uuid4().hex[:8]}",
            "OPTIONS": {"pool_class": "yishi.cache.SharedConnectionPool"},
        },
    )


def test_backends_of_different_threads_share_one_pool_and_one_client():
    clients, pools = [], []

    def use():
        backend = _backend()
        backend.set("k", "值", 30)
        assert backend.get("k") == "值"
        clients.append(backend._cache.get_client(write=True))
        pools.append(backend._cache._get_connection_pool(True))

    threads = [threading.Thread(target=use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(clients) == 8
    assert len({id(client) for client in clients}) == 1
    assert len({id(pool) for pool in pools}) == 1
    # the client reads and writes through the one pool
    assert clients[0].connection_pool is pools[0]


def test_concurrent_use_is_correct_and_connections_stay_few():
    backend = _backend()
    pool = backend._cache._get_connection_pool(True)
    errors: list[str] = []

    def work(n: int):
        local = _backend()  # same KEY_PREFIX is not needed: keys differ per thread
        for i in range(100):
            key = f"t{n}-{i}"
            if not local.add(key, i, 30):
                errors.append(f"add {key}")
            if local.get(key) != i:
                errors.append(f"get {key}")
            local.delete(key)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    # At most one connection per thread that ran at once: never one per call.
    assert len(pool._available_connections) + len(pool._in_use_connections) <= 17


def test_pools_differ_by_url_and_options():
    first = SharedConnectionPool.from_url(settings.REDIS_URL)
    assert SharedConnectionPool.from_url(settings.REDIS_URL) is first
    other = SharedConnectionPool.from_url(settings.REDIS_URL, socket_timeout=5)
    assert other is not first
