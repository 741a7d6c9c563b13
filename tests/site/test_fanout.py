"""yishi.fanout: one due entry per key and window; one process sends it; Redis down
costs nobody their answer."""

import asyncio
import contextlib
import time

import pytest
import redis

from yishi import fanout


@pytest.fixture
def recorded(monkeypatch):
    sent = []

    async def send(group, message):
        sent.append((group, message))

    monkeypatch.setattr(fanout.livehub, "send", send)
    fanout.register("test", lambda key: (f"test.{key}", {"type": "t", "key": key}))
    return sent


def test_local_store_keeps_one_entry_per_key_until_due(recorded):
    store = fanout._LocalDue()
    now = time.time()
    store.add("test:1", now + 0.2)
    store.add("test:1", now + 5)  # rides along: the first due time stands
    store.add("test:2", now + 0.2)
    assert store.take(now) == []
    assert sorted(store.take(now + 0.3)) == ["test:1", "test:2"]
    assert store.take(now + 10) == []


@pytest.mark.redis
@pytest.mark.asyncio
async def test_redis_store_one_entry_and_only_one_process_sends_it(recorded, settings):
    client = redis.Redis.from_url(settings.REDIS_URL)
    store = fanout._RedisDue(settings.REDIS_URL)
    client.delete(store.key)
    now = time.time()
    store.add("test:7", now - 1)
    store.add("test:7", now + 60)  # NX: the due time is not moved
    assert client.zcard(store.key) == 1
    assert client.zscore(store.key, "test:7") == pytest.approx(now - 1)
    # Two websocket processes look at once: one of them sends.
    first = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    second = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    await asyncio.gather(
        fanout._deliver_once(store, first), fanout._deliver_once(store, second)
    )
    await first.aclose()
    await second.aclose()
    assert recorded == [("test.7", {"type": "t", "key": "7"})]
    assert client.zcard(store.key) == 0


@pytest.mark.redis
@pytest.mark.asyncio
async def test_one_read_takes_what_is_due_and_tells_when_the_next_is(
    recorded, settings, monkeypatch
):
    """The take reads the first entries once: what is due is sent, the first not
    yet due gives the wait; a full batch of due entries means read again now."""
    monkeypatch.setattr(fanout, "TAKE_BATCH", 2)
    store = fanout._RedisDue(settings.REDIS_URL)
    store.client.delete(store.key)
    client = redis.asyncio.Redis.from_url(settings.REDIS_URL)
    now = time.time()
    for key, due in (("a", now - 3), ("b", now - 2), ("c", now - 1), ("d", now + 60)):
        store.add(f"test:{key}", due)
    try:
        taken, next_due = await fanout._take_due_redis(store, client, now)
        assert (taken, next_due) == (["test:a", "test:b"], now)  # batch full
        taken, next_due = await fanout._take_due_redis(store, client, now)
        assert taken == ["test:c"]
        assert next_due == pytest.approx(now + 60)
        store.client.delete(store.key)
        assert await fanout._take_due_redis(store, client, now) == ([], None)
    finally:
        await client.aclose()
        store.client.delete(store.key)


@pytest.mark.asyncio
async def test_a_failing_builder_does_not_stop_the_others(recorded):
    def broken(key):
        raise RuntimeError("no")

    fanout.register("broken", broken)
    store = fanout._LocalDue()
    store.add("broken:1", 0)
    store.add("test:3", 0)
    await fanout._deliver_once(store, None)
    assert recorded == [("test.3", {"type": "t", "key": "3"})]


def test_schedule_with_redis_down_raises_for_the_caller_to_log(settings, monkeypatch):
    """Services schedule in a robust on_commit hook: the vote is kept, the error
    logged (tests/consultation: a failing after-commit hook)."""
    settings.YISHI_BROADCAST = "coalesce"
    monkeypatch.setattr(fanout, "_store", fanout._RedisDue("redis://127.0.0.1:9/0"))
    with pytest.raises((redis.RedisError, OSError)):
        fanout.schedule("test", 1)


@pytest.mark.redis
def test_a_forked_worker_schedules_through_its_own_connection(settings, monkeypatch):
    """gunicorn (with --preload) and the browser tests' live server fork after the
    parent has used the fan-out: the child must not share the parent's socket."""
    import os

    settings.YISHI_BROADCAST = "coalesce"
    store = fanout._RedisDue(settings.REDIS_URL)
    monkeypatch.setattr(fanout, "_store", store)
    store.client.delete(store.key)
    fanout.schedule("test", "parent")  # the parent's pool now holds a connection
    pid = os.fork()
    if pid == 0:  # the child: schedule, then leave without running pytest's exit
        try:
            fanout.schedule("test", "child")
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    fanout.schedule("test", "parent-again")
    members = {m.decode() for m in store.client.zrange(store.key, 0, -1)}
    assert members == {"test:parent", "test:child", "test:parent-again"}
    store.client.delete(store.key)


@pytest.mark.redis
@pytest.mark.asyncio
async def test_the_task_sleeps_until_woken_or_due_and_does_not_poll(
    recorded, settings, monkeypatch
):
    """An entry due now is sent within a few milliseconds of being added (a
    wake-up, not a poll); one due later is sent when due, not before; idle, the
    task reads the due set about once per IDLE_SECONDS."""
    store = fanout._RedisDue(settings.REDIS_URL)
    store.client.delete(store.key)
    monkeypatch.setattr(fanout, "_store", store)
    reads = []
    real = fanout._take_due_redis

    async def counting(*args):
        reads.append(time.monotonic())
        return await real(*args)

    monkeypatch.setattr(fanout, "_take_due_redis", counting)
    monkeypatch.setattr(fanout, "IDLE_SECONDS", 1.0)
    task = asyncio.create_task(fanout.deliver_due())
    try:
        await asyncio.sleep(0.3)  # subscribed, idle
        started = time.monotonic()
        await asyncio.to_thread(store.add, "test:now", time.time())
        while not recorded and time.monotonic() - started < 2:
            await asyncio.sleep(0.002)
        assert recorded == [("test.now", {"type": "t", "key": "now"})]
        assert time.monotonic() - started < 0.2
        later = time.time() + 0.4
        await asyncio.to_thread(store.add, "test:later", later)
        while len(recorded) < 2 and time.time() < later + 2:
            await asyncio.sleep(0.002)
        assert recorded[1][0] == "test.later"
        assert later <= time.time() < later + 0.2
        reads.clear()
        await asyncio.sleep(2.1)
        assert 1 <= len(reads) <= 4  # polling every 50 ms would read ~40 times
    finally:
        task.cancel()
        # Python 3.11's wait_for may swallow the cancellation: the loop then ends
        # by itself (deliver_due checks `cancelling()`), without raising.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)
        assert task.done()
    store.client.delete(store.key)


@pytest.mark.redis
@pytest.mark.asyncio
async def test_the_task_sweeps_for_what_is_owed_and_a_failing_sweep_stops_nothing(
    recorded, settings, monkeypatch
):
    """Every SWEEP_SECONDS the task asks each registered sweep what is still owed
    and sends it; a sweep that fails (a defect, the database away) is logged and
    the others, and the task, go on."""
    store = fanout._RedisDue(settings.REDIS_URL)
    store.client.delete(store.key)
    monkeypatch.setattr(fanout, "_store", store)
    monkeypatch.setattr(fanout, "IDLE_SECONDS", 0.2)
    monkeypatch.setattr(fanout, "SWEEP_SECONDS", 0.3)
    owed, sweeps = ["owed"], []

    def broken():
        raise RuntimeError("a defect in a sweep")

    def finder():  # owed once: what a sweep finds is sent, and then not owed
        sweeps.append(time.monotonic())
        found = list(owed)
        owed.clear()
        return found

    monkeypatch.setattr(fanout, "_finders", {"broken": broken, "test": finder})
    started = time.monotonic()
    task = asyncio.create_task(fanout.deliver_due())
    try:
        while len(sweeps) < 3 and time.monotonic() - started < 5:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)  # the last sweep's sends, if any
        assert recorded == [("test.owed", {"type": "t", "key": "owed"})]
        assert sweeps[0] - started >= 0.25  # at the sweep, not before
        assert len(sweeps) >= 3  # and again, after the broken one failed
        assert not task.done()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
