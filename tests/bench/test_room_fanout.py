"""Live room fan-out, side by side: the Yishi room (full stack), a plain Channels
`group_send` consumer, and a raw `websockets` broadcast server (issue 11).

For each N in YISHI_BENCH_ROOM_SIZES (default 100, 500, 1000, 2000) and each rate in
YISHI_BENCH_ROOM_RATES (default 5, 20 events/s), each server gets N clients from a
load generator in a separate process (tests/bench/room_load.py) for
YISHI_BENCH_ROOM_SECONDS (default 10): time to connect all, p50/p95/p99 delivery
latency, deliveries/s, undelivered, and server CPU per delivery (the servers'
user+system time over the run, from /proc, divided by deliveries).

Topology as README's production: uvicorn, two worker processes, one port each (as
behind nginx), Redis channel layer; the Yishi clients are logged-in members of the
room (sessions warmed in Redis), their events statements through the room's
services. The raw server is one process (it has no way to share a room).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.asgi_servers import BASE_DIR, start_asgi_server
from tests.bench.conftest import (
    build_owners_register,
    server_env,
    warm_session_cache,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SIZES = [
    int(x)
    for x in os.environ.get("YISHI_BENCH_ROOM_SIZES", "100,500,1000,2000").split(",")
]
RATES = [int(x) for x in os.environ.get("YISHI_BENCH_ROOM_RATES", "5,20").split(",")]
SECONDS = float(os.environ.get("YISHI_BENCH_ROOM_SECONDS", "10"))
WORKERS = 2
TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


@pytest.fixture(scope="module")
def room_members(bench_db):
    from consultation.rooms import services
    from neighbourhoods.models import Body, Membership

    register = build_owners_register(max(SIZES))
    council = Body.objects.create(
        community=register.community, kind=Body.Kind.COUNCIL, name="基准议事会"
    )
    Membership.objects.bulk_create(
        Membership(body=council, person_id=pid, role=Membership.Role.MEMBER)
        for pid in register.person_ids
    )
    room = services.room_create(
        community=register.community,
        body_id=council.pk,
        actor=None,
        title="基准会议",
        place="基准",
        chair_ids=(register.person_ids[0],),
    )
    return register, room


def _run_load(config: dict, tmp: Path) -> dict:
    path = tmp / "load.json"
    path.write_text(json.dumps(config))
    done = subprocess.run(
        [sys.executable, "-m", "tests.bench.room_load", str(path)],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode:
        return {"error": done.stderr[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _measure(kind, urls, pids, n, rate, tmp, cookies=(), origin="") -> dict:
    config = {
        "kind": kind,
        "urls": urls,
        "clients": n,
        "rate": rate,
        "seconds": SECONDS,
        "cookies": list(cookies[:n]),
        "origin": origin,
    }
    before = _cpu_seconds(pids)
    result = _run_load(config, tmp)
    result["server_cpu_s"] = round(_cpu_seconds(pids) - before, 2)
    delivered = result.get("delivered") or 0
    result["cpu_us_per_delivery"] = (
        round(result["server_cpu_s"] / delivered * 1e6, 1) if delivered else None
    )
    result["deliveries_per_s"] = (
        round(delivered / result["send_seconds"]) if delivered else 0
    )
    return result


@pytest.fixture(scope="module")
def servers(room_members, bench_db, tmp_path_factory):
    register, _room = room_members
    env = server_env(bench_db)
    warm_session_cache(register, env["YISHI_CACHE_PREFIX"])
    yishi = start_asgi_server(
        tmp_path_factory.mktemp("yishi"), workers=WORKERS, env=env
    )
    plain = start_asgi_server(
        tmp_path_factory.mktemp("plain"),
        workers=WORKERS,
        env=env,
        application="tests.bench.room_peers:application",
    )
    raw_port = 8117
    raw = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.room_peers", "raw", str(raw_port)],
        cwd=BASE_DIR,
        env=env,
    )
    time.sleep(2)
    yield yishi, plain, (raw_port, raw)
    yishi.stop()
    plain.stop()
    raw.terminate()
    raw.wait(timeout=10)


def test_room_fanout(room_members, servers, bench_report, tmp_path):
    register, room = room_members
    yishi, plain, (raw_port, raw) = servers
    cookies = [f"sessionid={key}" for key in register.session_keys]
    rows = []
    for n in SIZES:
        for rate in RATES:
            runs = {
                "yishi": _measure(
                    "yishi",
                    [f"ws://127.0.0.1:{p}/ws/rooms/{room.pk}/" for p in yishi.ports],
                    [proc.pid for proc in yishi.processes],
                    n,
                    rate,
                    tmp_path,
                    cookies,
                    "https://127.0.0.1",
                ),
                "channels": _measure(
                    "channels",
                    [f"ws://127.0.0.1:{p}/ws/say/" for p in plain.ports],
                    [proc.pid for proc in plain.processes],
                    n,
                    rate,
                    tmp_path,
                ),
                "raw": _measure(
                    "raw", [f"ws://127.0.0.1:{raw_port}/"], [raw.pid], n, rate, tmp_path
                ),
            }
            for kind, r in runs.items():
                rows.append((f"N={n} {rate}/s {kind}", json.dumps(r)))
    bench_report.add(
        "Live room fan-out: Yishi room, plain Channels group_send, raw websockets",
        rows,
        "Each value: connect_seconds, p50/p95/p99 ms, delivered, undelivered, "
        "deliveries/s, server CPU µs per delivery (tests/bench/test_room_fanout.py).",
    )
