"""Per-process delivery of a group's messages to this process's websockets.

Stock Channels gives every consumer its own channel and `group_send` writes one
message per member channel: in a room of thousands that is thousands of channel-layer
messages per event, each dispatched through a consumer (100–650 µs apiece here,
docs/benchmarks.md). Here a process subscribes to a group once and hands each
message to the local connections that joined the group in this process, which write
text encoded once per message through each consumer's ASGI `base_send`.

The groups travel over Redis publish/subscribe: `send(group, message)` (or
`send_sync` from a thread or a request worker) is one `PUBLISH`; each process has one
subscriber connection per event loop, read by one task, subscribed to the groups its
connections joined. channels_redis's queue layer costs about 1.1 ms of CPU per
message to two processes (its `group_send` script, then each process's `BZPOPMIN`
and the next one it writes); `PUBLISH` and two subscribers' reads cost about
0.17 ms (docs/benchmarks.md, "Live rooms: the hub on publish/subscribe"). A
subscription holds no message: a process that is not listening when a message is
published never gets it — which is why a room's events are kept in the database
under `seq`, and why a lost connection is always followed by a resync (below).
Without REDIS_URL (development, most tests) messages go to this process's loops.

`join(group, key, deliver)` registers a connection (`key`: any hashable, normally the
consumer) with `deliver(message)`, an async callable, once Redis has confirmed the
subscription (so a message published after `join` returns is heard); `leave(group,
key)` removes it, and the last to leave unsubscribes.

When Redis fails (a restart drops every subscription, and every message published
meanwhile is lost) the read raises: the process subscribes to all its groups again
once Redis answers and Redis has confirmed them, then hands every local connection
`RESYNC` (`{"type": "hub.resync"}`), so that each can send its client the current
state (a room, a ballot: its snapshot) instead of waiting for a `seq` gap that may
never come. redis-py reconnects (and re-subscribes) on its own inside a failing
command or read, which would lose what was published meanwhile unnoticed: the
subscriber reports every such reconnection (`_Subscriber.on_connect`), and the hub
treats it as a lost connection.

`encoded(message, key, build)` lets the first connection that formats a message
keep the text on the message for every other local connection (one `json.dumps` per
message and process, not per connection).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import logging
import threading
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import redis
import redis.asyncio
import redis.retry
from django.conf import settings
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
CONFIRM_SECONDS = 5.0
RESYNC = {"type": "hub.resync"}
Deliver = Callable[[dict], Awaitable[None]]
Unreachable = (RedisError, OSError)


def site_prefix() -> str:
    """The site's Redis key prefix (several sites may share one Redis)."""
    return settings.CACHES["default"].get("KEY_PREFIX") or "yishi"


def _channel(group: str) -> str:
    return f"{site_prefix()}:hub:{group}"


def _redis_url() -> str:
    return getattr(settings, "REDIS_URL", "")


class InOrder:
    """A group's numbered messages (`first` … `seq`, a room's events) handed out in
    order: a message that arrives ahead of a gap is held until the gap fills, or
    until `release` (after `HOLD_SECONDS`: lost, not late — the clients see the gap
    and ask for a snapshot); one already handed out is dropped. Two processes
    that commit a room's events a moment apart may publish them the other way
    round; without this, every client would see a gap and ask for a snapshot."""

    def __init__(self) -> None:
        self.last: int | None = None
        self.held: dict[int, dict] = {}

    def accept(self, message: dict) -> list[dict]:
        """What may be handed out now that `message` came."""
        if self.last is not None and message["seq"] <= self.last:
            return []  # handed out already
        if self.last is not None and message["first"] > self.last + 1:
            held = self.held.get(message["first"])
            if held is None or held["seq"] < message["seq"]:  # the longer range
                self.held[message["first"]] = message
            return []
        self.last = message["seq"]
        return [message, *self._following()]

    def _following(self) -> list[dict]:
        ready = []
        for first in sorted(self.held):
            if first > self.last + 1:
                break
            message = self.held.pop(first)
            if message["seq"] > self.last:
                ready.append(message)
                self.last = message["seq"]
        return ready

    def release(self) -> list[dict]:
        """Everything held, in order, past the gap."""
        ready = []
        for first in sorted(self.held):
            message = self.held.pop(first)
            if self.last is None or message["seq"] > self.last:
                ready.append(message)
                self.last = message["seq"]
        return ready

    def reset(self) -> None:
        """After a resync: the next message starts the count again."""
        self.last = None
        self.held.clear()


HOLD_SECONDS = 0.25


@dataclass
class _Subscription:
    members: dict = field(default_factory=dict)
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    failed: bool = False
    order: InOrder = field(default_factory=InOrder)
    releasing: asyncio.TimerHandle | None = None


class _Hub:
    """This event loop's subscriptions, and their one reader."""

    def __init__(self, loop, url: str) -> None:
        self._loop = weakref.ref(loop)  # `_hubs` is keyed by it: not held here
        self.url = url
        self.subscriptions: dict[str, _Subscription] = {}
        self.reader: asyncio.Task | None = None
        self.lock = asyncio.Lock()
        # Redis: the subscriber connection (None while recovering), the futures
        # that Redis's subscribe confirmations resolve (in order, per channel).
        self.pubsub = None
        self.recovering = False
        self.confirmations: dict[str, collections.deque] = {}
        self.publisher = None
        self.resyncing: asyncio.Task | None = None
        self.releases: set[asyncio.Task] = set()
        # Set when the subscriber's connection was made again behind our back
        # (redis-py reconnects, and re-subscribes, in a failing command or read).
        self.lost = False
        # Without Redis: what `send` hands this loop.
        self.inbox: asyncio.Queue | None = None if url else asyncio.Queue()

    @property
    def loop(self):
        return self._loop()

    # --- subscribing ---------------------------------------------------------

    async def subscribe(self, group: str) -> None:
        if not self.url:
            self._ensure_reader()
            return
        async with self.lock:
            if self.recovering:
                raise ConnectionError("hub: Redis unreachable")
            if self.pubsub is None:
                self.pubsub = self._subscriber()
            channel = _channel(group)
            confirmed = self._expect(channel)
            try:
                await self.pubsub.subscribe(channel)
            except BaseException:
                with contextlib.suppress(KeyError, ValueError):
                    self.confirmations[channel].remove(confirmed)
                self._lose()  # redis-py may have reconnected: start afresh
                raise
        self._ensure_reader()
        if asyncio.current_task() is self.reader:
            # Joined while a message is handed out (a room connection following a
            # ballot added to the agenda): the reader that would read the
            # confirmation is this very task. Sent, not confirmed; the page asks
            # for a snapshot of the new ballot anyway.
            confirmed.add_done_callback(_retrieved)
            return
        try:
            async with asyncio.timeout(CONFIRM_SECONDS):
                await confirmed
        except TimeoutError:
            # A connection that does not answer is not trusted with the rest.
            self._lose()
            raise ConnectionError("hub: Redis did not confirm") from None

    async def unsubscribe(self, group: str) -> None:
        """The group's last connection left; the last group closes the reader and
        its connection (a loop without rooms holds nothing)."""
        if not self.url:
            return
        async with self.lock:
            if self.pubsub is None or self.recovering:
                return  # the recovery subscribes only to the groups still joined
            if self.subscriptions:
                try:
                    await self.pubsub.unsubscribe(_channel(group))
                except Unreachable:  # redis-py may have reconnected: start afresh
                    self._lose()
                return
            pubsub, self.pubsub = self.pubsub, None
            if self.reader is not None:
                self.reader.cancel()
                self.reader = None
            self._fail_confirmations()
            await _close(pubsub)

    def _subscriber(self) -> _Subscriber:
        # Retries off, and every reconnection reported (`_Subscriber`): redis-py
        # reconnects and re-subscribes inside a failing command or read, and the
        # messages published meanwhile would be lost unnoticed. TCP keepalive finds
        # a connection that went silent (a half-open one after a failover).
        client = redis.asyncio.Redis.from_url(
            self.url,
            retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=5,
            socket_keepalive=True,
            socket_keepalive_options=keepalive_options(),
        )
        return _Subscriber(client.connection_pool, hub=self)

    def _lose(self) -> None:
        """The subscriber can no longer be trusted: the reader recovers (a
        `PING` wakes it if it waits on a connection that reads nothing)."""
        if self.pubsub is None or self.recovering or self.lost:
            return
        self.lost = True
        self.releases.add(task := self.loop.create_task(self._wake(self.pubsub)))
        task.add_done_callback(self.releases.discard)

    async def _wake(self, pubsub) -> None:
        with contextlib.suppress(*Unreachable):
            await pubsub.ping()

    def _ensure_reader(self) -> None:
        if self.reader is None or self.reader.done():
            self.reader = self.loop.create_task(self._read(), name="yishi-hub")
            self.reader.add_done_callback(_log_failure)

    # --- reading -------------------------------------------------------------

    async def _read(self) -> None:
        if not self.url:
            while True:
                group, text = await self.inbox.get()
                await self._hand_out_to(group, json.loads(text))
        while True:
            try:
                if self.lost:
                    raise ConnectionError("reconnected behind the hub's back")
                message = await self.pubsub.get_message(timeout=None)
                if self.lost:  # what was read may follow a gap
                    raise ConnectionError("reconnected behind the hub's back")
            # Redis gone (refused, reset) or the connection made again: subscribe
            # again, resync. Anything else is a defect and ends this loop loudly.
            except Unreachable:
                logger.warning("hub: Redis connection lost, recovering")
                if not await self._recover():
                    return
                continue
            if message is not None:
                await self._heard(message)

    async def _heard(self, message: dict) -> None:
        kind = message["type"]
        channel = message["channel"]
        channel = channel.decode() if isinstance(channel, bytes) else channel
        if kind == "message":
            group = channel.partition(":hub:")[2]
            await self._hand_out_to(group, json.loads(message["data"]))
        elif kind == "subscribe":
            waiting = self.confirmations.get(channel)
            if waiting:
                confirmed = waiting.popleft()
                if not confirmed.done():
                    confirmed.set_result(None)
                if not waiting:
                    del self.confirmations[channel]

    async def _hand_out_to(self, group: str, message: dict) -> None:
        sub = self.subscriptions.get(group)
        if sub is None:
            return
        if "first" not in message:  # not numbered: as it comes
            await _hand_out(group, sub, message)
            return
        for ready in sub.order.accept(message):
            await _hand_out(group, sub, ready)
        if sub.order.held and sub.releasing is None:
            sub.releasing = self.loop.call_later(
                HOLD_SECONDS, self._release, group, sub
            )

    def _release(self, group: str, sub: _Subscription) -> None:
        sub.releasing = None
        ready = sub.order.release()
        if ready and self.subscriptions.get(group) is sub:
            self.releases.add(
                task := self.loop.create_task(_hand_out_all(group, sub, ready))
            )
            task.add_done_callback(self.releases.discard)

    async def _recover(self) -> bool:
        """Subscribe every group again on a new connection, once Redis answers;
        resync them all once Redis has confirmed. False when no group is left
        (the reader ends; the next join starts another)."""
        async with self.lock:
            self.recovering = True
            self.lost = False
            self._fail_confirmations()
            old, self.pubsub = self.pubsub, None
        if old is not None:
            await _close(old)
        while True:
            async with self.lock:
                if not self.subscriptions:
                    self.recovering = False
                    return False
                pubsub = self._subscriber()
                channels = [_channel(group) for group in self.subscriptions]
                confirmed = [self._expect(channel) for channel in channels]
                try:
                    await pubsub.subscribe(*channels)
                except Unreachable:  # not back yet
                    self._fail_confirmations()
                    await _close(pubsub)
                else:
                    self.pubsub = pubsub
                    self.recovering = False
                    break
            await asyncio.sleep(RETRY_SECONDS)
        # The reader reads the confirmations: the resync waits for them apart.
        self.resyncing = self.loop.create_task(
            self._resync_when(confirmed), name="yishi-hub-resync"
        )
        return True

    async def _resync_when(self, confirmed: list) -> None:
        try:
            await asyncio.gather(*confirmed)
        except ConnectionError:  # lost again: the next recovery resyncs
            return
        for group, sub in list(self.subscriptions.items()):
            sub.order.reset()
            await _hand_out(group, sub, dict(RESYNC))

    def _expect(self, channel: str) -> asyncio.Future:
        """A future that Redis's confirmation of subscribing to `channel` resolves
        (Redis confirms in order, so one queue per channel)."""
        future = self.loop.create_future()
        self.confirmations.setdefault(channel, collections.deque()).append(future)
        return future

    def _fail_confirmations(self) -> None:
        for waiting in self.confirmations.values():
            for future in waiting:
                if not future.done():
                    future.set_exception(ConnectionError("hub: Redis unreachable"))
                    _retrieved(future)  # awaited or not: no "never retrieved"
        self.confirmations.clear()

    # --- sending ---------------------------------------------------------------

    async def send(self, group: str, text: str) -> None:
        if self.publisher is None:
            # One retry (a connection left stale by a Redis restart), no more, as
            # `send_sync`: a room's statement written on the loop waits for this
            # publish, and redis-py's default (ten, with backoff) held it for
            # seconds while Redis was down; what fails is left to the fan-out.
            self.publisher = redis.asyncio.Redis.from_url(
                self.url,
                socket_timeout=2,
                socket_connect_timeout=2,
                retry=Retry(NoBackoff(), 1),
            )
        await self.publisher.publish(_channel(group), text)

    def put(self, group: str, text: str) -> None:
        """Without Redis: a message for this loop's reader (any thread)."""
        if group in self.subscriptions and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.inbox.put_nowait, (group, text))


class _Subscriber(redis.asyncio.client.PubSub):
    """redis-py's subscriber, telling its hub when its connection is made again
    (redis-py calls `on_connect` on every connection after the first)."""

    def __init__(self, connection_pool, *, hub: _Hub) -> None:
        super().__init__(connection_pool)
        self.hub = hub

    async def on_connect(self, connection) -> None:
        await super().on_connect(connection)
        if self.hub.pubsub is self:
            self.hub._lose()


def keepalive_options() -> dict:
    """The TCP keepalive settings of the site's long-lived Redis connections."""
    return getattr(settings, "REDIS_TCP_OPTIONS", {}) or {}


def _retrieved(future: asyncio.Future) -> None:
    """A confirmation nobody awaits: its failure is not worth a warning."""
    if not future.cancelled():
        future.exception()


async def _close(pubsub) -> None:
    with contextlib.suppress(*Unreachable):
        await pubsub.aclose()
        await pubsub.connection_pool.disconnect()


_hubs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_hubs_lock = threading.Lock()


def _hub() -> _Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        with _hubs_lock:
            hub = _hubs[loop] = _Hub(loop, _redis_url())
    return hub


def _subscriptions() -> dict[str, _Subscription]:
    return _hub().subscriptions


async def join(group: str, key, deliver: Deliver) -> None:
    """Deliver the group's messages to `deliver` until `leave`."""
    hub = _hub()
    sub = hub.subscriptions.get(group)
    if sub is None:
        sub = hub.subscriptions[group] = _Subscription()
        sub.members[key] = deliver
        try:
            await hub.subscribe(group)
        except BaseException:
            # Not subscribed: the next join tries again (those waiting fail too).
            if hub.subscriptions.get(group) is sub:
                del hub.subscriptions[group]
            sub.failed = True
            sub.ready.set()
            raise
        sub.ready.set()
        return
    sub.members[key] = deliver
    if hub.reader is not None and asyncio.current_task() is hub.reader:
        return  # inside a delivery, the subscription's confirmation is ours to read
    await sub.ready.wait()
    if sub.failed:
        raise ConnectionError(f"hub: subscribing to {group} failed")


async def leave(group: str, key) -> None:
    hub = _hub()
    sub = hub.subscriptions.get(group)
    if sub is None or sub.members.pop(key, None) is None:
        return
    if sub.members:
        return
    del hub.subscriptions[group]
    await hub.unsubscribe(group)


def local_count(group: str) -> int:
    """Connections of this process in `group` (tests, the benchmark)."""
    sub = _subscriptions().get(group)
    return len(sub.members) if sub else 0


def _text(message: dict) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))


async def send(group: str, message: dict) -> None:
    """Publish `message` (JSON-able) to every process's connections in `group`."""
    text = _text(message)
    if _redis_url():
        await _hub().send(group, text)
    else:
        _put_local(group, text)


_publisher = None
_publisher_lock = threading.Lock()


def send_sync(group: str, message: dict) -> None:
    """`send` from synchronous code: a service after commit, a request worker."""
    global _publisher
    text = _text(message)
    url = _redis_url()
    if not url:
        _put_local(group, text)
        return
    if _publisher is None or _publisher[0] != url:
        with _publisher_lock:
            if _publisher is None or _publisher[0] != url:
                # One retry (a connection left stale by a Redis restart), no
                # more: the fan-out's retry publishes under a room's row lock.
                client = redis.Redis.from_url(
                    url,
                    socket_timeout=2,
                    socket_connect_timeout=2,
                    retry=redis.retry.Retry(NoBackoff(), 1),
                )
                _publisher = (url, client)
    _publisher[1].publish(_channel(group), text)


def _put_local(group: str, text: str) -> None:
    with _hubs_lock:
        hubs = list(_hubs.values())
    for hub in hubs:
        hub.put(group, text)


async def _hand_out_all(group: str, sub: _Subscription, messages: list) -> None:
    for message in messages:
        await _hand_out(group, sub, message)


async def _hand_out(group: str, sub: _Subscription, message: dict) -> None:
    for key, deliver in list(sub.members.items()):
        try:
            await deliver(message)
        except Exception:  # one broken socket must not stop the others
            logger.exception("hub delivery to %r in %s failed", key, group)


def _log_failure(task: asyncio.Task) -> None:
    """A hub task that ended on a defect says so (this loop's connections get
    nothing more until a connection joins a group again)."""
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
