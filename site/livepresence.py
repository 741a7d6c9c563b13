"""Who is connected to a live topic (a room), across every websocket process.

Each process counts its own connections per member and writes an entry per member
that is refreshed while connected and expires `TTL_SECONDS` after its last refresh,
so a crashed process's connections drop out by themselves (docs/protocol.md). With
REDIS_URL the entries are a sorted set per topic (`member|process`, scored by
expiry) in the site's Redis; without it, this process's counts are the whole truth.

Arriving and leaving change the local counts at once; the Redis entries are written
by one task per process and event loop (`_flush`), every `FLUSH_SECONDS`, for all
the members that came or went meanwhile — one pipeline, not a round trip per
connection: a burst of a thousand joins costs a few writes. The same task renews
this process's entries every `REFRESH_SECONDS`. After each write it calls the
topic's listener (`listen`), once per flush with the members that arrived (first
connection in this process) and those that left (last connection), so that a room
records attendance and schedules its presence broadcast once per batch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import redis
import redis.asyncio
from django.conf import settings

logger = logging.getLogger(__name__)

TTL_SECONDS = 30
REFRESH_SECONDS = 10
FLUSH_SECONDS = 0.1
PROCESS = uuid.uuid4().hex[:12]

# topic prefix -> listener(topic, arrived, departed), awaited after each flush.
Listener = Callable[[str, set[int], set[int]], Awaitable[None]]
_listeners: dict[str, Listener] = {}

_local: dict[str, Counter] = {}
_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass
class _Pending:
    arrived: dict[str, set[int]] = field(default_factory=dict)
    departed: dict[str, set[int]] = field(default_factory=dict)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task | None = None


_pending: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def listen(prefix: str, listener: Listener) -> None:
    """Call `listener` after each flush of a topic starting with `prefix`."""
    _listeners[prefix] = listener


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


def _state() -> _Pending:
    loop = asyncio.get_running_loop()
    state = _pending.get(loop)
    if state is None:
        state = _pending[loop] = _Pending()
    if state.task is None or state.task.done():
        state.task = loop.create_task(_flush(state), name="yishi-presence")
        state.task.add_done_callback(_log_failure)
    return state


async def arrive(topic: str, member: int) -> bool:
    """One more connection of `member`; True if the member was not here before
    (in this process). Written to Redis with the next flush."""
    counts = _local.setdefault(topic, Counter())
    counts[member] += 1
    if counts[member] > 1:
        return False
    state = _state()
    departed = state.departed.get(topic)
    if departed is not None and member in departed:
        departed.discard(member)  # left and came back within one flush
    else:
        state.arrived.setdefault(topic, set()).add(member)
    state.wake.set()
    return True


async def depart(topic: str, member: int) -> bool:
    """One connection fewer; True if that was the member's last in this process."""
    counts = _local.setdefault(topic, Counter())
    counts[member] -= 1
    if counts[member] > 0:
        return False
    del counts[member]
    state = _state()
    arrived = state.arrived.get(topic)
    if arrived is not None and member in arrived:
        arrived.discard(member)  # came and left within one flush
    else:
        state.departed.setdefault(topic, set()).add(member)
    state.wake.set()
    return True


async def flushed() -> None:
    """Write what is pending now (tests; the flush task does it by itself)."""
    await _write_pending(_state())


async def _flush(state: _Pending) -> None:
    refreshed = time.monotonic()
    task = asyncio.current_task()
    while not task.cancelling():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.wake.wait(), REFRESH_SECONDS)
        await asyncio.sleep(FLUSH_SECONDS)  # let a burst gather
        state.wake.clear()
        await _write_pending(state)
        if time.monotonic() - refreshed >= REFRESH_SECONDS:
            refreshed = time.monotonic()
            await _refresh_all()


async def _write_pending(state: _Pending) -> None:
    arrived, departed = state.arrived, state.departed
    state.arrived, state.departed = {}, {}
    topics = set(arrived) | set(departed)
    if not topics:
        return
    client = _client()
    if client is not None:
        expiry = time.time() + TTL_SECONDS
        pipe = client.pipeline(transaction=False)
        for topic in topics:
            if arrived.get(topic):
                pipe.zadd(
                    _key(topic), {f"{m}|{PROCESS}": expiry for m in arrived[topic]}
                )
            if departed.get(topic):
                pipe.zrem(_key(topic), *(f"{m}|{PROCESS}" for m in departed[topic]))
        try:
            await pipe.execute()
        except (redis.RedisError, OSError):
            # Shown from this process's counts until Redis is back; the refresh
            # writes them again, and departed entries expire by themselves.
            logger.warning("presence: Redis unreachable, entries not written")
    for topic in topics:
        await _tell(topic, arrived.get(topic, set()), departed.get(topic, set()))


async def _tell(topic: str, arrived: set[int], departed: set[int]) -> None:
    for prefix, listener in _listeners.items():
        if topic.startswith(prefix):
            try:
                await listener(topic, arrived, departed)
            except Exception:  # one topic's listener must not stop the flushing
                logger.exception("presence listener for %s failed", topic)


async def _refresh_all() -> None:
    client = _client()
    live = {topic: list(counts) for topic, counts in _local.items() if counts}
    if client is None or not live:
        return
    expiry = time.time() + TTL_SECONDS
    pipe = client.pipeline(transaction=False)
    for topic, members_ in live.items():
        pipe.zadd(_key(topic), {f"{m}|{PROCESS}": expiry for m in members_})
    try:
        await pipe.execute()
    except (redis.RedisError, OSError):
        logger.warning("presence: Redis unreachable, entries not renewed")


def _log_failure(task: asyncio.Task) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("presence flushing failed", exc_info=task.exception())


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
