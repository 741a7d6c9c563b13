"""A room's statement in one process: CPU per statement through the socket's path
(`_act`: the login resolved, `room_action`, the transaction, the publish after
commit), and CPU per login read by the authentication backend (a socket's first
action reads its session and login in full). The fixed cost of an event, which the
fan-out benchmark spreads over N deliveries (tests/bench/test_room_fanout.py).

Back to back, and paced as in a meeting (a pause of PAUSE_SECONDS before each,
CPU read per call by `time.thread_time`): the same statement, and a bare
`SELECT 1`, cost several times more after a pause than back to back — the first
round trip after the thread slept pays most of it (docs/benchmarks.md).

Run it at two commits side by side (a git worktree) to compare code."""

from __future__ import annotations

import os
import statistics
import time

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

STATEMENTS = int(os.environ.get("YISHI_BENCH_STATEMENTS", "300"))
ROUNDS = 3
PACED = int(os.environ.get("YISHI_BENCH_PACED", "40"))
PAUSE_SECONDS = 0.2


def _cpu_us(call, count: int) -> float:
    started = time.process_time()
    for i in range(count):
        call(i)
    return (time.process_time() - started) / count * 1e6


def _paced_us(calls) -> list[float]:
    """Each call's median CPU (µs), the calls made in turn after each pause."""
    spent: list[list[float]] = [[] for _ in calls]
    for i in range(PACED):
        time.sleep(PAUSE_SECONDS)
        for k, call in enumerate(calls):
            started = time.thread_time_ns()
            call(i)
            spent[k].append((time.thread_time_ns() - started) / 1e3)
    return [statistics.median(x) for x in spent]


def test_room_statement_cpu(bench_db, bench_report, settings):
    from consultation.rooms.consumers import _act
    from neighbourhoods.backends import PersonModelBackend
    from tests.consultation.rooms.helpers import build_hall

    settings.YISHI_BROADCAST = "coalesce"
    hall = build_hall(members=5)
    user, room_id = hall.members[0], hall.room.pk
    backend = PersonModelBackend()

    def say(i):
        _act(user, room_id, "statement", {"text": f"第{i}条发言"})

    def login(_i):
        backend.get_user(user.pk)

    _cpu_us(say, 50)  # warm: imports, caches, the pool
    _cpu_us(login, 50)
    statement = [_cpu_us(say, STATEMENTS) for _ in range(ROUNDS)]
    logins = [_cpu_us(login, STATEMENTS) for _ in range(ROUNDS)]
    (paced,) = _paced_us([say])
    first, second, third = _paced_us([_select_one] * 3)
    bench_report.add(
        "A room's statement in one process (CPU µs)",
        [
            (
                "statement through _act (median of rounds)",
                f"{statistics.median(statement):.0f}",
            ),
            ("statement, each round", ", ".join(f"{x:.0f}" for x in statement)),
            ("login by the backend (median)", f"{statistics.median(logins):.0f}"),
            ("login, each round", ", ".join(f"{x:.0f}" for x in logins)),
            (f"statement after a {PAUSE_SECONDS:g} s pause (median)", f"{paced:.0f}"),
            (
                f"SELECT 1 after a {PAUSE_SECONDS:g} s pause: 1st, 2nd, 3rd (median)",
                f"{first:.0f}, {second:.0f}, {third:.0f}",
            ),
        ],
        f"{STATEMENTS} statements per round, {ROUNDS} rounds; paced: {PACED} "
        "pauses (tests/bench/test_room_statement_cpu.py).",
    )


def _select_one(_i) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
