"""A room's statement in one process: CPU per statement through the socket's path
(`_act`: the login resolved, `room_action`, the transaction, the publish after
commit), and CPU per login read by the authentication backend (a socket's first
action reads its session and login in full). The fixed cost of an event, which the
fan-out benchmark spreads over N deliveries (tests/bench/test_room_fanout.py).

Run it at two commits side by side (a git worktree) to compare code."""

from __future__ import annotations

import os
import statistics
import time

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

STATEMENTS = int(os.environ.get("YISHI_BENCH_STATEMENTS", "300"))
ROUNDS = 3


def _cpu_us(call, count: int) -> float:
    started = time.process_time()
    for i in range(count):
        call(i)
    return (time.process_time() - started) / count * 1e6


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
        ],
        f"{STATEMENTS} statements per round, {ROUNDS} rounds "
        "(tests/bench/test_room_statement_cpu.py).",
    )
