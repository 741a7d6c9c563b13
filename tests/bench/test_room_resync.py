"""Issue 11's reliability check at full size: Redis restarted in the middle of a
meeting of YISHI_BENCH_RESYNC_CLIENTS members (default 500). The same scenario and
checks as tests/consultation/rooms/test_room_reliability.py (which runs it with 50
clients in the regular suite): two uvicorn workers over a private `redis-server`
on port 6391, a load generator in a separate process keeping the room's state as
room.js does; every client re-syncs by snapshot within 5 s of Redis's return, no
statement is lost, a lost broadcast is found by `seq` and recovered.
"""

from __future__ import annotations

import os

import pytest

from tests.consultation.rooms.test_room_reliability import (
    restart_scenario,
    start_private_redis,
    start_workers,
    stop_private_redis,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

CLIENTS = int(os.environ.get("YISHI_BENCH_RESYNC_CLIENTS", "500"))


def test_redis_restart_mid_meeting_500_clients(bench_db, bench_report, tmp_path):
    start_private_redis(tmp_path)
    try:
        server = start_workers(tmp_path / "servers")
        try:
            figures = restart_scenario(server.ports, tmp_path, tmp_path, CLIENTS)
        finally:
            server.stop()
    finally:
        stop_private_redis()
    bench_report.add(
        f"Redis restarted mid-meeting, {CLIENTS} clients "
        "(tests/bench/test_room_resync.py)",
        [(name, str(value)) for name, value in figures.items()],
        "resync: seconds from Redis's return to each client's first snapshot "
        "(target ≤ 5 s for every client).",
    )
