"""A room's statement from an event loop, the two ways the socket can write it: in
Django's database thread (`database_sync_to_async(_act)`, every action but the
common statement) and by the loop's own connection (`statement_post_on_loop`,
yishi.asyncdb). CPU of the whole process per statement (`time.process_time`: the
loop's thread and the database thread), back to back and paced as in a meeting (a
pause of PAUSE_SECONDS before each; the two ways in turn). The publish after commit
goes to Redis in both."""

from __future__ import annotations

import asyncio
import os
import statistics
import time

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

STATEMENTS = int(os.environ.get("YISHI_BENCH_STATEMENTS", "300"))
PACED = int(os.environ.get("YISHI_BENCH_PACED", "40"))
PAUSE_SECONDS = 0.2


def test_room_statement_from_the_loop(bench_db, bench_report, settings):
    from channels.db import database_sync_to_async
    from django.db import connections

    from consultation.rooms.consumers import _act
    from consultation.rooms.services import statement_post_on_loop
    from tests.consultation.rooms.helpers import build_hall
    from yishi import asyncdb

    settings.YISHI_BROADCAST = "coalesce"
    hall = build_hall(members=5)
    user, room_id = hall.members[0], hall.room.pk
    loop = asyncio.new_event_loop()
    by_thread = database_sync_to_async(_act)

    async def thread(i):
        return await by_thread(user, room_id, "statement", {"text": f"线程第{i}条"})

    async def on_loop(i):
        event = await statement_post_on_loop(
            room_id=room_id, actor=user, text=f"本线程第{i}条"
        )
        assert event is not None  # written here, not left to the thread
        return event

    try:
        for call in (thread, on_loop):  # warm: imports, caches, connections
            for i in range(30):
                loop.run_until_complete(call(i))
        rounds = [
            (_back_to_back(loop, thread), _back_to_back(loop, on_loop))
            for _ in range(3)
        ]
        thread_paced, loop_paced = _paced(loop, (thread, on_loop))
    finally:
        asyncdb.close_idle()
        # The database thread's connection too (the test database is dropped next).
        loop.run_until_complete(database_sync_to_async(connections.close_all)())
        loop.close()
    bench_report.add(
        "A room's statement from an event loop (CPU µs of the process)",
        [
            (
                "back to back: database thread / the loop's connection, each round",
                "; ".join(f"{a:.0f} / {b:.0f}" for a, b in rounds),
            ),
            (
                f"after a {PAUSE_SECONDS:g} s pause (median): "
                "database thread / the loop's connection",
                f"{thread_paced:.0f} / {loop_paced:.0f}",
            ),
        ],
        f"{STATEMENTS} statements per round, 3 rounds; paced: {PACED} pauses each "
        "(tests/bench/test_room_statement_loop.py).",
    )


def _back_to_back(loop, call) -> float:
    """CPU µs of the process per call, STATEMENTS calls in a row."""
    started = time.process_time()
    for i in range(STATEMENTS):
        loop.run_until_complete(call(i))
    return (time.process_time() - started) / STATEMENTS * 1e6


def _paced(loop, calls) -> list[float]:
    """Each call's median CPU µs, each after a pause, the calls in turn."""
    spent = [[] for _ in calls]
    for i in range(PACED):
        for k, call in enumerate(calls):
            time.sleep(PAUSE_SECONDS)
            started = time.process_time_ns()
            loop.run_until_complete(call(i))
            spent[k].append((time.process_time_ns() - started) / 1e3)
    return [statistics.median(x) for x in spent]
