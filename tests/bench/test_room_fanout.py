"""Live room fan-out, side by side: the Yishi room (full stack), a plain Channels
`group_send` consumer, and a raw `websockets` broadcast server (issue 11).

For each N in YISHI_BENCH_ROOM_SIZES (default 100, 500, 1000, 2000) and each rate in
YISHI_BENCH_ROOM_RATES (default 5, 20 events/s), each server gets N clients from a
load generator in a separate process (tests/bench/room_load.py) for
YISHI_BENCH_ROOM_SECONDS (default 10): time to connect all, p50/p95/p99 delivery
latency, deliveries/s, undelivered, and server CPU per delivery (the servers'
user+system time from the first event sent to the last delivered, from /proc,
divided by deliveries: tests/bench/room_load.py). With
YISHI_BENCH_ROOM_ROUNDS=R (default 1) each cell measures its servers R times in turn;
YISHI_BENCH_EXTRA adds uvicorn arguments to the Yishi servers (e.g. `--ws
websockets` beside the default `websockets-sansio`, one run each).

Topology as README's production: uvicorn, two worker processes, one port each (as
behind nginx), Redis between them; the Yishi clients are logged-in members of the
room (sessions warmed in Redis) connecting with the ticket their room page hands
them (yishi.websocket_auth; the kind "yishi_session" connects without one, as a
reconnect after the ticket expired), their events statements through the room's
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

from consultation.rooms.events import socket_path
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
RATES = [float(x) for x in os.environ.get("YISHI_BENCH_ROOM_RATES", "5,20").split(",")]
SECONDS = float(os.environ.get("YISHI_BENCH_ROOM_SECONDS", "10"))
WORKERS = 2
KINDS = os.environ.get("YISHI_BENCH_ROOM_KINDS", "yishi,channels,raw").split(",")
LOAD_PROCESSES = int(os.environ.get("YISHI_BENCH_LOAD_PROCESSES", "2"))
# Each cell's servers measured this many times in turn (yishi, channels, raw, then
# again): on a shared machine one reading of the raw server's CPU varies by a
# quarter from run to run, so a ratio is read from rounds side by side.
ROUNDS = int(os.environ.get("YISHI_BENCH_ROOM_ROUNDS", "1"))


@pytest.fixture(scope="module")
def room_members(bench_db):
    """An owners' assembly (业主大会) seated from the roll of the compound's owners:
    a room of thousands is an assembly (a council has tens of members, and its
    snapshot names every seat)."""
    from consultation.rooms import services

    register = build_owners_register(max(SIZES))
    room = services.room_create(
        community=register.community,
        actor=None,
        title="基准业主大会",
        place="基准",
        kind="owners_assembly",
        roll={
            "basis": "owners",
            "scope_kind": "compound",
            "scope_id": register.compound.pk,
        },
        chair_ids=(register.person_ids[0],),
    )
    assert room.people.count() == max(SIZES)
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


def _tickets(users: list, keys: list[str], path: str) -> list[str]:
    """What each member's room page hands its socket (minted for each run: a
    ticket is good for a minute)."""
    from yishi.websocket_auth import socket_ticket

    return [socket_ticket(u, k, path) for u, k in zip(users, keys, strict=True)]


def _measure(kind, urls, pids, n, rate, tmp, cookies=(), origin="", tickets=()):
    config = {
        "kind": kind,
        "urls": urls,
        "clients": n,
        "rate": rate,
        "seconds": SECONDS,
        "cookies": list(cookies[:n]),
        "tickets": list(tickets[:n]),
        "origin": origin,
        "processes": LOAD_PROCESSES,
        "server_pids": pids,
    }
    result = _run_load(config, tmp)
    delivered = result.get("delivered") or 0
    result["cpu_us_per_delivery"] = (
        round(result["server_cpu_s"] / delivered * 1e6, 1) if delivered else None
    )
    result["cpu_ms_per_connect"] = (
        round(result["server_cpu_connect_s"] / n * 1e3, 2) if delivered else None
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
        tmp_path_factory.mktemp("yishi"),
        workers=WORKERS,
        env=env,
        extra_args=tuple(os.environ.get("YISHI_BENCH_EXTRA", "").split()),
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


@pytest.fixture(scope="module")
def ticket_users(room_members):
    """Each member's login as the room page has it (our backend: the resident
    record and the staff flag loaded with it), in the order of the sessions."""
    from django.contrib.auth import SESSION_KEY

    from neighbourhoods.backends import PersonModelBackend

    register, _room = room_members
    backend = PersonModelBackend()
    return [
        backend.get_user(register.sessions[key][SESSION_KEY])
        for key in register.session_keys
    ]


def test_room_fanout(room_members, servers, ticket_users, bench_report, tmp_path):
    register, room = room_members
    users = ticket_users
    rows = []
    for n in SIZES:
        for rate in RATES:
            for round_ in range(ROUNDS):
                label = f" round {round_ + 1}" if ROUNDS > 1 else ""
                rows.extend(
                    (f"N={n} {rate:g}/s {kind}{label}", json.dumps(r))
                    for kind, r in _cell(
                        n, rate, room, register, servers, users, tmp_path
                    ).items()
                )
    bench_report.add(
        "Live room fan-out: Yishi room, plain Channels group_send, raw websockets",
        rows,
        "Each value: connect_seconds, p50/p95/p99 ms, delivered, undelivered, "
        "deliveries/s, server CPU µs per delivery (tests/bench/test_room_fanout.py).",
    )


def measure_room(kind, server, room, register, users, n, rate, tmp_path) -> dict:
    """N of the room's members connected to `server` (its workers), as logged-in
    pages connect: with the ticket each member's page hands its socket when
    `users` (their logins) are given, else with the session cookie alone."""
    path = socket_path(room.pk)
    return _measure(
        kind,
        [f"ws://127.0.0.1:{port}{path}" for port in server.ports],
        [process.pid for process in server.processes],
        n,
        rate,
        tmp_path,
        [f"sessionid={key}" for key in register.session_keys],
        "https://127.0.0.1",
        _tickets(users[:n], register.session_keys[:n], path) if users else (),
    )


def _cell(n, rate, room, register, servers, users, tmp_path) -> dict:
    """One measurement of each server asked for, N clients at `rate` events/s."""
    yishi, plain, (raw_port, raw) = servers
    runs = {}
    # "yishi": as the room page connects, with its ticket; "yishi_session":
    # a socket without one (a reconnect after the ticket expired).
    for kind in ("yishi", "yishi_session"):
        if kind in KINDS:
            runs[kind] = measure_room(
                kind,
                yishi,
                room,
                register,
                users if kind == "yishi" else (),
                n,
                rate,
                tmp_path,
            )
    if "channels" in KINDS:
        runs["channels"] = _measure(
            "channels",
            [f"ws://127.0.0.1:{p}/ws/say/" for p in plain.ports],
            [proc.pid for proc in plain.processes],
            n,
            rate,
            tmp_path,
        )
    if "raw" in KINDS:
        runs["raw"] = _measure(
            "raw", [f"ws://127.0.0.1:{raw_port}/"], [raw.pid], n, rate, tmp_path
        )
    return runs
