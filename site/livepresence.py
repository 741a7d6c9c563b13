"""Who is connected to a live topic (a room), across every websocket process.

Each process counts its own connections per member and writes an entry per member
that is refreshed while connected and expires `TTL_SECONDS` after its last refresh,
so a crashed process's connections drop out by themselves (docs/protocol.md). With
REDIS_URL the entries are a sorted set per topic (`member|process`, scored by
expiry) in the site's Redis; without it, this process's counts are the whole truth.
Reads and writes are asynchronous (redis.asyncio): called from consumers only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
import weakref
from collections import Counter

import redis
import redis.asyncio
from django.conf import settings

TTL_SECONDS = 30
REFRESH_SECONDS = 10
PROCESS = uuid.uuid4().hex[:12]

_local: dict[str, Counter] = {}
_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _client():
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        client = _clients[loop] = redis.asyncio.Redis.from_url(url, socket_timeout=2)
    return client


def _key(topic: str) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX") or "yishi"
    return f"{prefix}:presence:{topic}"


async def arrive(topic: str, member: int) -> bool:
    """One more connection of `member`; True if the member was not here before
    (in this process)."""
    counts = _local.setdefault(topic, Counter())
    counts[member] += 1
    await _write(topic, [member])
    return counts[member] == 1


async def depart(topic: str, member: int) -> bool:
    """One connection fewer; True if that was the member's last in this process."""
    counts = _local.setdefault(topic, Counter())
    counts[member] -= 1
    if counts[member] > 0:
        return False
    del counts[member]
    client = _client()
    if client is not None:
        # On failure the entry expires by itself.
        with contextlib.suppress(redis.RedisError, OSError):
            await client.zrem(_key(topic), f"{member}|{PROCESS}")
    return True


async def refresh(topic: str) -> None:
    """Renew this process's entries for the topic (called every REFRESH_SECONDS)."""
    await _write(topic, list(_local.get(topic, ())))


async def _write(topic: str, members: list[int]) -> None:
    client = _client()
    if client is None or not members:
        return
    expiry = time.time() + TTL_SECONDS
    # On failure shown from this process's counts until Redis is back.
    with contextlib.suppress(redis.RedisError, OSError):
        await client.zadd(_key(topic), {f"{m}|{PROCESS}": expiry for m in members})


async def members(topic: str) -> set[int]:
    """Members connected in any process (expired entries left out)."""
    local = set(_local.get(topic, ()))
    client = _client()
    if client is None:
        return local
    now = time.time()
    try:
        await client.zremrangebyscore(_key(topic), "-inf", now)
        raw = await client.zrangebyscore(_key(topic), now, "+inf")
    except (redis.RedisError, OSError):
        return local
    found = {int(entry.decode().partition("|")[0]) for entry in raw}
    return found | local


_sync_client = None


def members_sync(topic: str) -> set[int]:
    """`members` for synchronous code (a fan-out builder in a database thread)."""
    global _sync_client
    local = set(_local.get(topic, ()))
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return local
    if _sync_client is None:
        _sync_client = redis.Redis.from_url(url, socket_timeout=2)
    try:
        raw = _sync_client.zrangebyscore(_key(topic), time.time(), "+inf")
    except (redis.RedisError, OSError):
        return local
    return {int(entry.decode().partition("|")[0]) for entry in raw} | local
