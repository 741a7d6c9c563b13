"""The per-process hub: one subscription per group and process, each message handed
to every local connection in order, text encoded once; over Redis, a subscription
confirmed before `join` returns and a lost connection followed by a resync."""

import asyncio
import contextlib
import subprocess
import threading

import pytest
import redis
from hypothesis import given
from hypothesis import strategies as st

from tests.consultation.rooms.test_room_reliability import (
    REDIS_PORT,
    start_private_redis,
    stop_private_redis,
)
from yishi import livehub


def _queue_member():
    heard: asyncio.Queue = asyncio.Queue()

    async def deliver(message):
        heard.put_nowait(message)

    return heard, deliver


async def _next(heard: asyncio.Queue, timeout: float = 5) -> dict:
    return await asyncio.wait_for(heard.get(), timeout)


@pytest.mark.asyncio
async def test_without_redis_one_subscription_many_connections(settings):
    settings.REDIS_URL = ""
    received = {1: [], 2: [], 3: []}
    builds = []

    def build(message):
        builds.append(message)
        return {"type": "x", "n": message["n"]}

    def deliver_to(key):
        async def deliver(message):
            received[key].append(livehub.encoded(message, "x", build))

        return deliver

    for key in received:
        await livehub.join("hub-test", key, deliver_to(key))
    assert livehub.local_count("hub-test") == 3
    assert list(livehub._subscriptions()) == ["hub-test"]  # one for the process
    # From a thread, as a service after commit does.
    await asyncio.to_thread(livehub.send_sync, "hub-test", {"type": "t", "n": 7})
    for _ in range(100):
        if all(received.values()):
            break
        await asyncio.sleep(0.01)
    assert all(texts == ['{"type": "x", "n": 7}'] for texts in received.values())
    assert len(builds) == 1  # encoded once for the three connections
    for key in received:
        await livehub.leave("hub-test", key)
    assert livehub.local_count("hub-test") == 0
    assert not livehub._subscriptions()


@pytest.mark.redis
@pytest.mark.asyncio
async def test_over_redis_a_join_hears_what_is_published_right_after_it(settings):
    """`join` returns once Redis confirmed the subscription: a message published the
    next moment, by another client (another process), is heard."""
    heard, deliver = _queue_member()
    other = redis.Redis.from_url(settings.REDIS_URL)
    try:
        for n in range(20):
            group = f"hub-test-{n}"
            await livehub.join(group, "conn", deliver)
            other.publish(livehub._channel(group), f'{{"type": "t", "n": {n}}}')
            assert (await _next(heard))["n"] == n
            await livehub.leave(group, "conn")
        assert livehub._hub().pubsub is None  # the last group closed the reader
    finally:
        other.close()


@pytest.mark.redis
@pytest.mark.asyncio
async def test_a_join_made_while_a_message_is_handed_out_does_not_wait_on_itself(
    settings,
):
    """A room connection follows a ballot added to the agenda from inside the
    delivery of that agenda event: the reader cannot both wait for and read the
    subscription's confirmation. The join returns, and the group is heard."""
    heard, deliver = _queue_member()

    async def follow(message):
        await livehub.join("hub-ballot", "conn", deliver)
        heard.put_nowait({"joined": True})

    await livehub.join("hub-room", "conn", follow)
    try:
        livehub.send_sync("hub-room", {"type": "agenda"})
        assert await _next(heard, timeout=2) == {"joined": True}
        await asyncio.sleep(0.1)  # the confirmation comes in behind
        livehub.send_sync("hub-ballot", {"type": "tally"})
        assert await _next(heard) == {"type": "tally"}
    finally:
        await livehub.leave("hub-ballot", "conn")
        await livehub.leave("hub-room", "conn")


@pytest.mark.redis
@pytest.mark.asyncio
async def test_over_redis_two_processes_hear_one_publish(settings):
    """Two event loops stand for two worker processes: each has its own subscriber
    and hears one `send_sync`."""
    heard, deliver = _queue_member()
    await livehub.join("hub-pair", "here", deliver)
    ready = threading.Event()
    other_heard = []
    stop = threading.Event()

    def other_process():
        async def run():
            async def record(message):
                other_heard.append(message)

            await livehub.join("hub-pair", "there", record)
            ready.set()
            while not stop.is_set():
                await asyncio.sleep(0.01)
            await livehub.leave("hub-pair", "there")

        asyncio.run(run())

    thread = threading.Thread(target=other_process)
    thread.start()
    try:
        assert await asyncio.to_thread(ready.wait, 5)
        await asyncio.to_thread(livehub.send_sync, "hub-pair", {"type": "t", "n": 1})
        assert (await _next(heard))["n"] == 1
        for _ in range(100):
            if other_heard:
                break
            await asyncio.sleep(0.01)
        assert [m["n"] for m in other_heard] == [1]
    finally:
        stop.set()
        await asyncio.to_thread(thread.join, 10)
        await livehub.leave("hub-pair", "here")


@pytest.mark.redis
@pytest.mark.asyncio
async def test_a_redis_restart_resubscribes_every_group_and_resyncs_all(
    settings, tmp_path
):
    """Redis restarted (a private one, never the machine's): every group is
    subscribed again and told to resync, and what is published afterwards is heard."""
    start_private_redis(tmp_path)
    settings.REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
    groups = ["room.1", "ballot.3", "rooms.sessions"]
    members = {}
    try:
        for group in groups:
            members[group] = _queue_member()
            await livehub.join(group, "conn", members[group][1])
        subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "shutdown", "nosave"])
        await asyncio.sleep(1.5)  # down for a while: the hub retries
        start_private_redis(tmp_path)
        for group in groups:
            assert await _next(members[group][0], timeout=10) == livehub.RESYNC
        await asyncio.to_thread(livehub.send_sync, "room.1", {"type": "t", "n": 2})
        assert (await _next(members["room.1"][0]))["n"] == 2
    finally:
        for group in members:
            await livehub.leave(group, "conn")
        stop_private_redis()


@pytest.mark.redis
@pytest.mark.asyncio
async def test_a_connection_dropped_during_a_delivery_is_noticed_and_resynced(
    settings, tmp_path
):
    """Redis drops the subscriber (as it drops a slow one) while the reader hands a
    message out, and joins are made meanwhile (their commands may make redis-py
    reconnect and re-subscribe on its own, which `_Subscriber.on_connect`
    reports): what was published in between is lost, so every connection is told
    to resync, and what comes after is heard."""
    start_private_redis(tmp_path)
    settings.REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
    heard = []
    busy = asyncio.Event()

    async def slow(message):
        heard.append(message)
        if message.get("slow"):
            busy.set()
            await asyncio.sleep(0.5)

    _other, other_deliver = _queue_member()
    try:
        await livehub.join("room.2", "conn", slow)
        livehub.send_sync("room.2", {"type": "t", "slow": True})
        await asyncio.wait_for(busy.wait(), 5)
        subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "client", "kill", "type", "pubsub"],
            check=True,
            capture_output=True,
        )
        livehub.send_sync("room.2", {"type": "t", "n": "lost"})
        await asyncio.sleep(0.05)
        for group in ("room.3", "room.4"):  # the second write fails, and reconnects
            with contextlib.suppress(ConnectionError, redis.RedisError):
                await livehub.join(group, "other", other_deliver)
        for _ in range(100):
            if livehub.RESYNC in heard:
                break
            await asyncio.sleep(0.05)
        assert livehub.RESYNC in heard
        livehub.send_sync("room.2", {"type": "t", "n": "after"})
        for _ in range(100):
            if heard[-1].get("n") == "after":
                break
            await asyncio.sleep(0.02)
        assert heard[-1] == {"type": "t", "n": "after"}
    finally:
        await livehub.leave("room.3", "other")
        await livehub.leave("room.4", "other")
        await livehub.leave("room.2", "conn")
        stop_private_redis()


@pytest.mark.redis
@pytest.mark.asyncio
async def test_a_confirmation_left_unread_does_not_spoil_the_next_join(settings):
    """A join made inside a delivery leaves its confirmation to the reader; if
    every group is left before the reader reads it, the next join of that group
    still gets its own confirmation."""
    inside = asyncio.Event()
    _heard, deliver = _queue_member()

    async def follow(message):
        await livehub.join("hub-left-b", "conn", deliver)
        inside.set()
        await asyncio.sleep(0.3)  # the reader is still busy when all is left

    await livehub.join("hub-left-a", "conn", follow)
    livehub.send_sync("hub-left-a", {"type": "agenda"})
    await asyncio.wait_for(inside.wait(), 5)
    await livehub.leave("hub-left-b", "conn")
    await livehub.leave("hub-left-a", "conn")  # the last: the connection closes
    await asyncio.wait_for(livehub.join("hub-left-b", "again", deliver), 3)
    await livehub.leave("hub-left-b", "again")


@pytest.mark.redis
@pytest.mark.asyncio
async def test_joining_a_group_another_connection_is_subscribing_from_a_delivery(
    settings,
):
    """Connection X waits for Redis to confirm group B while the reader hands Y a
    message, and Y joins B from inside it: Y must not wait for the confirmation
    the reader itself is to read."""
    gate, done = asyncio.Event(), asyncio.Event()
    _heard, deliver = _queue_member()

    async def y_follows(message):
        await gate.wait()
        await livehub.join("hub-shared-b", "y", deliver)
        done.set()

    await livehub.join("hub-shared-a", "y", y_follows)
    try:
        livehub.send_sync("hub-shared-a", {"type": "agenda"})
        await asyncio.sleep(0.2)  # the reader waits in Y's delivery
        x_joins = asyncio.create_task(livehub.join("hub-shared-b", "x", deliver))
        await asyncio.sleep(0.1)  # X's subscribe is sent, its confirmation unread
        gate.set()
        await asyncio.wait_for(x_joins, 3)
        await asyncio.wait_for(done.wait(), 3)
        assert livehub.local_count("hub-shared-b") == 2
    finally:
        for group, key in (("hub-shared-b", "x"), ("hub-shared-b", "y")):
            await livehub.leave(group, key)
        await livehub.leave("hub-shared-a", "y")


@pytest.mark.asyncio
async def test_a_defect_ends_the_read_loudly_instead_of_recovering_for_ever(
    settings, monkeypatch, caplog
):
    settings.REDIS_URL = ""
    heard, deliver = _queue_member()

    async def broken(self, group, message):
        raise ValueError("a bug")

    monkeypatch.setattr(livehub._Hub, "_hand_out_to", broken)
    await livehub.join("room.9", "conn", deliver)
    livehub.send_sync("room.9", {"type": "t"})
    for _ in range(100):
        if "hub task yishi-hub failed" in caplog.text:
            break
        await asyncio.sleep(0.01)
    assert "hub task yishi-hub failed" in caplog.text
    assert heard.empty()
    await livehub.leave("room.9", "conn")


@pytest.mark.asyncio
async def test_numbered_messages_are_handed_out_in_order(settings, monkeypatch):
    """Events 2 and 3 published before event 1 (two processes committing a moment
    apart) reach the connections as 1, 2, 3; a repeat is dropped; a gap that never
    fills is handed over after HOLD_SECONDS."""
    settings.REDIS_URL = ""
    monkeypatch.setattr(livehub, "HOLD_SECONDS", 0.2)
    heard, deliver = _queue_member()
    await livehub.join("room.5", "conn", deliver)

    def event(first, seq):
        return {"type": "room.events", "texts": [], "first": first, "seq": seq}

    for message in (event(1, 1), event(3, 4), event(2, 2), event(2, 2)):
        livehub.send_sync("room.5", message)
    got = [await _next(heard) for _ in range(3)]
    assert [(m["first"], m["seq"]) for m in got] == [(1, 1), (2, 2), (3, 4)]
    livehub.send_sync("room.5", event(7, 7))  # 5 and 6 lost
    assert (await _next(heard))["seq"] == 7
    assert heard.empty()
    await livehub.leave("room.5", "conn")


# --- InOrder, the rule itself -------------------------------------------------------


def _ranges(sizes: list[int]) -> list[tuple[int, int]]:
    ranges, first = [], 1
    for size in sizes:
        ranges.append((first, first + size - 1))
        first += size
    return ranges


@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=12).flatmap(
        lambda sizes: st.permutations(_ranges(sizes))
    ),
    st.lists(st.integers(0, 11), max_size=4),
)
def test_in_order_hands_out_each_event_once_and_in_order(arrivals, repeats):
    """Whatever order the messages arrive in, and whatever arrives twice, what is
    handed out is in order, without a repeat, and — once all have come — all of it,
    without waiting for a release."""
    order = livehub.InOrder()
    order.last = 0  # the connections' snapshot was at 0
    messages = [{"first": f, "seq": s} for f, s in arrivals]
    sent = list(messages)
    for index in repeats:
        if index < len(messages):
            sent.insert(index, dict(messages[index]))
    out = []
    for message in sent:
        out += order.accept(message)
    seqs = [m["seq"] for m in out]
    assert seqs == sorted(seqs)
    assert len(seqs) == len(set(seqs))
    assert max(s for _f, s in arrivals) == order.last
    assert sorted((m["first"], m["seq"]) for m in out) == sorted(arrivals)
    assert order.held == {}
    assert order.release() == []


def test_in_order_keeps_the_longer_of_two_held_ranges_from_one_event():
    order = livehub.InOrder()
    order.last = 4
    assert order.accept({"first": 6, "seq": 8}) == []
    assert order.accept({"first": 6, "seq": 6}) == []  # a resend of part of it
    ready = order.accept({"first": 5, "seq": 5})
    assert [m["seq"] for m in ready] == [5, 8]


def test_in_order_releases_past_a_gap_and_starts_again_after_reset():
    order = livehub.InOrder()
    assert order.accept({"first": 5, "seq": 5}) == [{"first": 5, "seq": 5}]
    assert order.accept({"first": 8, "seq": 8}) == []  # 6 and 7 missing
    assert order.accept({"first": 9, "seq": 9}) == []
    assert [m["seq"] for m in order.release()] == [8, 9]
    assert order.accept({"first": 6, "seq": 7}) == []  # late: handed out already
    order.reset()
    assert order.accept({"first": 3, "seq": 3}) == [{"first": 3, "seq": 3}]
