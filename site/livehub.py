"""Per-process delivery of a group's messages to this process's websockets.

Stock Channels gives every consumer its own channel and `group_send` writes one
message per member channel: in a room of thousands that is thousands of channel-layer
messages per event, each dispatched through a consumer (100–650 µs apiece here,
docs/benchmarks.md). Here a process subscribes to a group once — one channel of its
own (`new_channel`, `group_add`), read by one task (`receive`) — and hands each
message to the local connections that joined the group in this process, which write
text encoded once per message. Only public Channels APIs are used: the channel layer's
`new_channel`, `group_add`, `group_discard`, `receive`, and each consumer's ASGI
`base_send`.

`join(group, key, deliver)` registers a connection (`key`: any hashable, normally the
consumer) with `deliver(message)`, an async callable; `leave(group, key)` removes it,
and the last to leave ends the subscription. Group membership in channels_redis
expires (a day by default): each subscription renews it every `RENEW_SECONDS`.

When Redis fails (a restart loses every group membership and every message in
flight) a subscription's receive raises: the process re-joins all its groups once
Redis answers again, then hands every local connection `RESYNC`
(`{"type": "hub.resync"}`), so that each can send its client the current state (a
room, a ballot: its snapshot) instead of waiting for a `seq` gap that may never
come.

`encoded(message, key, build)` lets the first connection that formats a message
keep the text on the message for every other local connection (one `json.dumps` per
message and process, not per connection).
"""

from __future__ import annotations

import asyncio
import json
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from channels.layers import get_channel_layer
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RENEW_SECONDS = 3600
RETRY_SECONDS = 1.0
RESYNC = {"type": "hub.resync"}
Deliver = Callable[[dict], Awaitable[None]]


@dataclass
class _Subscription:
    members: dict = field(default_factory=dict)
    channel: str = ""
    tasks: list = field(default_factory=list)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    failed: bool = False


_by_loop: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _subscriptions() -> dict[str, _Subscription]:
    loop = asyncio.get_running_loop()
    found = _by_loop.get(loop)
    if found is None:
        found = _by_loop[loop] = {}
    return found


async def join(group: str, key, deliver: Deliver) -> None:
    """Deliver the group's messages to `deliver` until `leave`."""
    subscriptions = _subscriptions()
    sub = subscriptions.get(group)
    if sub is None:
        sub = subscriptions[group] = _Subscription()
        sub.members[key] = deliver
        layer = get_channel_layer()
        try:
            # The layer's own prefix: channels_redis reads every "specific" channel
            # of a process from one list; a second prefix would wait behind it.
            sub.channel = await layer.new_channel()
            await layer.group_add(group, sub.channel)
        except BaseException:
            # Not subscribed: the next join tries again (those waiting fail too).
            del subscriptions[group]
            sub.failed = True
            sub.ready.set()
            raise
        loop = asyncio.get_running_loop()
        sub.tasks = [
            loop.create_task(_read(group, sub, layer), name=f"hub-{group}"),
            loop.create_task(_renew(group, sub, layer), name=f"hub-renew-{group}"),
        ]
        for task in sub.tasks:
            task.add_done_callback(_log_failure)
        sub.ready.set()
        return
    sub.members[key] = deliver
    await sub.ready.wait()
    if sub.failed:
        raise ConnectionError(f"hub: subscribing to {group} failed")


async def leave(group: str, key) -> None:
    subscriptions = _subscriptions()
    sub = subscriptions.get(group)
    if sub is None or sub.members.pop(key, None) is None:
        return
    if sub.members:
        return
    del subscriptions[group]
    for task in sub.tasks:
        task.cancel()
    if sub.channel:
        try:
            await get_channel_layer().group_discard(group, sub.channel)
        except (RedisError, OSError):  # the membership expires by itself
            logger.warning("hub: leaving %s failed (Redis unreachable)", group)


def local_count(group: str) -> int:
    """Connections of this process in `group` (tests, the benchmark)."""
    sub = _subscriptions().get(group)
    return len(sub.members) if sub else 0


async def _read(group: str, sub: _Subscription, layer) -> None:
    task = asyncio.current_task()
    while not task.cancelling():  # a cancellation swallowed below still ends it
        try:
            message = await layer.receive(sub.channel)
        except asyncio.CancelledError:
            raise
        # Redis gone (refused, reset, timed out): keep the subscriptions, re-join,
        # resync. Anything else is a defect and ends this loop loudly.
        except (RedisError, OSError):
            logger.warning("hub: receive for %s failed, recovering", group)
            await _recover(layer)
            continue
        await _hand_out(group, sub, message)


async def _hand_out(group: str, sub: _Subscription, message: dict) -> None:
    for key, deliver in list(sub.members.items()):
        try:
            await deliver(message)
        except Exception:  # one broken socket must not stop the others
            logger.exception("hub delivery to %r in %s failed", key, group)


@dataclass
class _Recovery:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    done_at: float = -1.0


_recoveries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


async def _recover(layer) -> None:
    """Redis failed: re-join every group of this process, then resync them all.

    channels_redis reads all of a process's channels through one blocking read, so
    only the subscription whose turn it was sees the failure; the others' groups
    are lost all the same. The first to fail recovers them all; one that failed
    while that recovery ran has nothing left to do."""
    loop = asyncio.get_running_loop()
    state = _recoveries.get(loop)
    if state is None:
        state = _recoveries[loop] = _Recovery()
    failed_at = loop.time()
    async with state.lock:
        if state.done_at >= failed_at:
            return
        subscriptions = dict(_subscriptions())
        await asyncio.gather(
            *(_rejoin(group, sub, layer) for group, sub in subscriptions.items())
        )
        state.done_at = loop.time()
    for group, sub in subscriptions.items():
        await _hand_out(group, sub, dict(RESYNC))


async def _rejoin(group: str, sub: _Subscription, layer) -> None:
    """Add the subscription's channel to its group again, as soon as Redis answers."""
    while True:
        try:
            await layer.group_add(group, sub.channel)
        except (RedisError, OSError):  # not back yet
            await asyncio.sleep(RETRY_SECONDS)
            continue
        return


async def _renew(group: str, sub: _Subscription, layer) -> None:
    while True:
        await asyncio.sleep(RENEW_SECONDS)
        try:
            await layer.group_add(group, sub.channel)
        except (RedisError, OSError):  # down now: the read's recovery re-joins
            logger.warning("hub: renewing %s failed", group)


def _log_failure(task: asyncio.Task) -> None:
    """A hub task that ended on a defect says so (its connections get nothing more
    from this group until they reconnect)."""
    if not task.cancelled() and task.exception() is not None:
        logger.error("hub task %s failed", task.get_name(), exc_info=task.exception())


def encoded(
    message: dict, key: str, build: Callable[[dict], dict | None]
) -> str | None:
    """The text of `build(message)`, encoded once and kept on the message under
    `key` for the other local connections (None when there is nothing to send)."""
    cache = message.setdefault("_encoded", {})
    if key not in cache:
        value = build(message)
        cache[key] = None if value is None else json.dumps(value, ensure_ascii=False)
    return cache[key]
