"""Live fan-out: coalesced broadcasts, built once, sent from the websocket processes.

A service whose change is shown live (a ballot's tally; later a room's state) calls
`schedule(topic, key)` after its transaction commits. In a request worker that is one
Redis command — `ZADD NX` into a sorted set of due broadcasts, due `COALESCE_SECONDS`
from now — through one long-lived client per process: no thread, no event loop and no
channel-layer connection is opened for it (`async_to_sync(group_send)` would open
both on every call under WSGI).

Each websocket process runs one `deliver_due` task on its event loop, started by the
first consumer that needs it (`ensure_delivering`). The task takes what is due
(one `ZRANGE … WITHSCORES` of the first entries, which also tells when the next
falls due; then `ZREM`: the process whose `ZREM` removes an entry sends it, so
several processes never send one twice), asks the topic's builder for the group
and the message — built once, in a database thread, from the database as it is
then — and sends it to the group. It does not poll: a new entry publishes a
wake-up on a Redis channel (the `ZADD` and the `PUBLISH` in one script, and only
when the entry is new, so a burst of votes wakes the processes once per window),
and the task sleeps until then or until the earliest entry falls due — at most
`IDLE_SECONDS`, the net for a wake-up lost while Redis restarted. (It polled
every 50 ms: a tenth of a core for two idle processes; then it read the set twice
and waited at most a second: a third of two idle processes' CPU with 100 sockets
open, docs/benchmarks.md.) A lost connection raises in the task, which subscribes
again and re-reads the set at once; TCP keepalive finds one gone silent.

A broadcast that must go out even when nothing follows it (a room's last event)
is also swept for: each process asks the capabilities that `register_sweep` every
SWEEP_SECONDS (one query in a database thread) for what is still owed — a send whose
retry could not be scheduled either, Redis refusing writes or timing out while the
subscriptions held — and sends it once Redis takes it.

Changes that arrive while an entry waits ride along: the builder reads the state
when the entry falls due; a change after that schedules the next. So at most one
broadcast per key per window goes out, and the last state is always sent.

Without REDIS_URL (development and most tests) the due entries are kept in this
process, which is then the only server.

settings.YISHI_BROADCAST: "coalesce" (default), "inline" (build and send at once —
tests that follow one message) or "off" (tests that do not listen).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from collections.abc import Callable

import django.db
import redis
import redis.asyncio
from channels.db import database_sync_to_async
from django.conf import settings

from yishi import livehub

logger = logging.getLogger(__name__)

COALESCE_SECONDS = 0.25
POLL_SECONDS = 0.05  # without Redis (one process): how often the due set is read
IDLE_SECONDS = 5.0
TAKE_BATCH = 100  # due entries read at once (a burst of ballots and rooms)
RETRY_SECONDS = 1.0
# KEYS: the due set, the wake channel; ARGV: due time, member.
_ADD_AND_WAKE = """
if redis.call('ZADD', KEYS[1], 'NX', ARGV[1], ARGV[2]) == 1 then
  redis.call('PUBLISH', KEYS[2], ARGV[2])
end
"""

# topic -> builder(key) -> (group, message), or None when there is nothing to send.
Builder = Callable[[str], tuple[str, dict] | None]
_builders: dict[str, Builder] = {}
# topic -> finder() -> the keys whose broadcast is owed (`register_sweep`).
Finder = Callable[[], list]
_finders: dict[str, Finder] = {}
SWEEP_SECONDS = 5.0


def register(topic: str, builder: Builder) -> None:
    """A capability names how to build its broadcasts (at import of its events)."""
    _builders[topic] = builder


def register_sweep(topic: str, finder: Finder) -> None:
    """A capability whose broadcast must go out even when nothing follows it (a
    room's last event) names how to find the keys still owed one: when a send and
    the `schedule` of its retry both fail (Redis refusing writes or timing out
    while the processes' subscriptions hold, so no resync follows), nothing else
    would. Each websocket process asks every SWEEP_SECONDS, in a database thread,
    and builds each key's broadcast as if it were due; the builder must find out
    itself that another process sent it meanwhile (a room's sends under its row
    lock)."""
    _finders[topic] = finder


def mode() -> str:
    return getattr(settings, "YISHI_BROADCAST", "coalesce")


def schedule(topic: str, key: object, *, delay: float = COALESCE_SECONDS) -> None:
    """After commit: broadcast `topic` for `key` within `delay` seconds (changes
    arriving meanwhile ride along)."""
    current = mode()
    if current == "off":
        return
    member = f"{topic}:{key}"
    if current == "inline":
        found = _build(member)
        if found is not None:
            livehub.send_sync(*found)
        return
    _due_store().add(member, time.time() + delay)


def _build(member: str) -> tuple[str, dict] | None:
    topic, _sep, key = member.partition(":")
    builder = _builders.get(topic)
    if builder is None:
        logger.error("no fan-out builder for %s", topic)
        return None
    return builder(key)


# --- where due entries wait ---------------------------------------------------------


def due_key() -> str:
    """The sorted set of due broadcasts, under the site's cache prefix."""
    return f"{livehub.site_prefix()}:fanout:due"


class _RedisDue:
    """The due set in Redis, shared by every process of the site."""

    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=2)
        self.url = url
        self.key = due_key()
        self.wake = f"{self.key}:wake"
        self.add_and_wake = self.client.register_script(_ADD_AND_WAKE)

    def add(self, member: str, due: float) -> None:
        self.add_and_wake(keys=[self.key, self.wake], args=[due, member])


class _LocalDue:
    """The due set of a single process (no Redis)."""

    def __init__(self) -> None:
        self.entries: dict[str, float] = {}
        self.lock = threading.Lock()

    def add(self, member: str, due: float) -> None:
        with self.lock:
            self.entries.setdefault(member, due)

    def take(self, now: float) -> list[str]:
        with self.lock:
            ready = [member for member, due in self.entries.items() if due <= now]
            for member in ready:
                del self.entries[member]
        return ready


_store: _RedisDue | _LocalDue | None = None
_store_lock = threading.Lock()


def _due_store() -> _RedisDue | _LocalDue:
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                url = getattr(settings, "REDIS_URL", "")
                _store = _RedisDue(url) if url else _LocalDue()
    return _store


# --- the delivering task (websocket processes) ---------------------------------------

_delivering: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def ensure_delivering() -> None:
    """Start this event loop's delivering task unless it runs (called by consumers)."""
    if mode() != "coalesce":
        return
    loop = asyncio.get_running_loop()
    task = _delivering.get(loop)
    if task is None or task.done():
        _delivering[loop] = loop.create_task(deliver_due(), name="yishi-fanout")


async def _take_due_redis(store: _RedisDue, client, now: float):
    """(what is due now and this process removed, when the next entry falls due or
    None): one read of the set's first entries by due time, then a `ZREM` per due
    entry — the process whose `ZREM` removes it sends it."""
    first = await client.zrange(store.key, 0, TAKE_BATCH - 1, withscores=True)
    taken, next_due = [], None
    for raw, due in first:
        if due > now:
            next_due = due
            break
        if await client.zrem(store.key, raw):
            taken.append(raw.decode() if isinstance(raw, bytes) else raw)
    if next_due is None and len(first) == TAKE_BATCH:  # more may be due: read again
        next_due = now
    return taken, next_due


async def deliver_due() -> None:
    """Send what is due, when it falls due, until the loop ends."""
    store = _due_store()
    if not isinstance(store, _RedisDue):
        await _poll_local(store)
        return
    # TCP keepalive: a connection that went silent (a half-open one after a
    # failover) fails within seconds, and the loop subscribes again and re-reads.
    client = redis.asyncio.Redis.from_url(
        store.url,
        socket_timeout=2,
        socket_keepalive=True,
        socket_keepalive_options=livehub.keepalive_options(),
    )
    task = asyncio.current_task()
    pubsub = None
    swept = time.monotonic()
    try:
        # Python 3.11's asyncio.wait_for, which redis-py writes through when a
        # socket timeout is set, can swallow a cancellation: the loop still ends.
        while not task.cancelling():
            try:
                if pubsub is None:
                    pubsub = client.pubsub()
                    await pubsub.subscribe(store.wake)
                took, next_due = await _deliver_once(store, client)
                if not took:
                    # Redis refused the take (down, or read-only after a
                    # failover): wait, rather than find the entry due again at once.
                    await asyncio.sleep(RETRY_SECONDS)
                    continue
                if time.monotonic() - swept >= SWEEP_SECONDS:
                    swept = time.monotonic()
                    await _send(store, await database_sync_to_async(_owed)())
                sweep_due = time.time() + SWEEP_SECONDS - (time.monotonic() - swept)
                await _sleep_until_due(pubsub, min(next_due or sweep_due, sweep_due))
            except (redis.RedisError, OSError):
                logger.warning("fan-out: Redis unreachable, retrying")
                if pubsub is not None:
                    with contextlib.suppress(redis.RedisError, OSError):
                        await pubsub.aclose()
                    pubsub = None
                await asyncio.sleep(RETRY_SECONDS)
    finally:
        if pubsub is not None:
            with contextlib.suppress(redis.RedisError, OSError):
                await pubsub.aclose()
        await client.aclose()


async def _sleep_until_due(pubsub, next_due: float | None) -> None:
    """Until the earliest entry falls due or a new one is added (IDLE_SECONDS at
    most)."""
    wait = IDLE_SECONDS
    if next_due is not None:
        wait = min(wait, next_due - time.time())
    if wait <= 0:
        return
    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=wait)
    while message is not None:  # several wake-ups at once: one reading does
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0)


async def _poll_local(store: _LocalDue) -> None:
    task = asyncio.current_task()
    while not task.cancelling():
        await asyncio.sleep(POLL_SECONDS)
        await _deliver_once(store, None)


async def _deliver_once(store, client) -> tuple[bool, float | None]:
    """Send what is due now: (False if Redis refused to hand it over, when the
    next entry falls due as far as the take saw)."""
    now = time.time()
    next_due = None
    try:
        if client is not None:
            members, next_due = await _take_due_redis(store, client, now)
        else:
            members = store.take(now)
    except (redis.RedisError, OSError):
        logger.warning("fan-out: Redis unreachable, retrying")
        return False, None
    await _send(store, members)
    return True, next_due


def _owed() -> list[str]:
    """What the sweeps find owed (`register_sweep`); a sweep that fails (the
    database a moment away) is tried again at the next."""
    members = []
    for topic, finder in _finders.items():
        try:
            members.extend(f"{topic}:{key}" for key in finder())
        except django.db.Error:
            logger.warning("fan-out sweep of %s failed, tried again", topic)
        except Exception:  # a defect: the other sweeps and the task go on
            logger.exception("fan-out sweep of %s failed", topic)
    return members


async def _send(store, members: list[str]) -> None:
    """Build and send each member's broadcast (a failure puts it back, due after
    a pause)."""
    for member in members:
        try:
            found = await database_sync_to_async(_build)(member)
            if found is not None:
                await livehub.send(*found)
        except (redis.RedisError, OSError, django.db.Error):
            # Redis or the database failing a moment: taken from the due set
            # already, so put back, due after a pause.
            logger.warning("fan-out of %s failed, tried again", member)
            with contextlib.suppress(redis.RedisError, OSError):
                store.add(member, time.time() + RETRY_SECONDS)
        except Exception:  # a defect: one failed broadcast must not stop the others
            logger.exception("fan-out of %s failed", member)
