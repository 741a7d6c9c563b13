"""Two or more versions of the room side by side, for deciding a change (opt-in).

Skipped unless YISHI_BENCH_ROOM_COMPARE names the variants, as a JSON list of
objects: `label` (required), `code_dir` (another checkout of the project, e.g. a
`git worktree` of the code before a change; default: this one), `server` (an ASGI
server of tests/asgi_servers.py, default uvicorn) and `args` (more arguments for
it). Every variant's two workers are started first (README's topology, as in
test_room_fanout.py) and stay up with the raw `websockets` server; then each round
measures every variant once — in turn, the order reversed every other round (on
these shared machines the speed drifts from one minute to the next) — and the raw
server last. N clients (YISHI_BENCH_ROOM_SIZES, its first value; default 100) at
YISHI_BENCH_ROOM_RATES's first rate (default 5/s) for YISHI_BENCH_ROOM_SECONDS,
YISHI_BENCH_ROOM_ROUNDS rounds (default 4). Example:

    git worktree add /tmp/before HEAD~1
    YISHI_BENCH_ROOM_COMPARE='[{"label": "before", "code_dir": "/tmp/before"},
                               {"label": "after"}]' \\
        .venv/bin/python -m pytest tests/bench/test_room_compare.py -q -s
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from tests.asgi_servers import BASE_DIR, start_asgi_server
from tests.bench.conftest import server_env, warm_session_cache
from tests.bench.test_room_fanout import (
    RATES,
    SIZES,
    _measure,
    measure_room,
    room_members,  # noqa: F401  (the room of the fan-out benchmark)
    ticket_users,  # noqa: F401
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

VARIANTS = json.loads(os.environ.get("YISHI_BENCH_ROOM_COMPARE", "[]"))
ROUNDS = int(os.environ.get("YISHI_BENCH_ROOM_ROUNDS", "4"))
RAW_PORT = 8119
FIGURES = ("cpu_us_per_delivery", "p99_ms", "undelivered", "server_cpu_threads_s")


@pytest.mark.skipif(not VARIANTS, reason="set YISHI_BENCH_ROOM_COMPARE")
def test_room_compare(room_members, ticket_users, bench_db, bench_report, tmp_path):  # noqa: F811
    register, room = room_members
    n, rate = SIZES[0], RATES[0]
    env = server_env(bench_db)
    warm_session_cache(register, env["YISHI_CACHE_PREFIX"])
    servers = {}
    for variant in VARIANTS:
        log_dir = tmp_path / variant["label"]
        log_dir.mkdir()
        servers[variant["label"]] = start_asgi_server(
            log_dir,
            workers=2,
            env=env,
            code_dir=variant.get("code_dir"),
            server=variant.get("server", "uvicorn"),
            extra_args=tuple(variant.get("args", ())),
        )
    raw = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.room_peers", "raw", str(RAW_PORT)],
        cwd=BASE_DIR,
        env=env,
    )
    time.sleep(2)
    rows = []
    try:
        for round_ in range(ROUNDS):
            order = list(servers.items())
            for label, server in order if round_ % 2 == 0 else order[::-1]:
                result = measure_room(
                    "yishi", server, room, register, ticket_users, n, rate, tmp_path
                )
                rows.append((f"round {round_ + 1} {label}", _figures(result)))
            result = _measure(
                "raw", [f"ws://127.0.0.1:{RAW_PORT}/"], [raw.pid], n, rate, tmp_path
            )
            rows.append((f"round {round_ + 1} raw", _figures(result)))
    finally:
        for server in servers.values():
            server.stop()
        raw.terminate()
        raw.wait(timeout=10)
    bench_report.add(
        f"Room variants side by side, {n} clients at {rate:g}/s",
        rows,
        "CPU µs per delivery, p99 ms, undelivered, the database threads' CPU s "
        "(tests/bench/test_room_compare.py).",
    )


def _figures(result: dict) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    return ", ".join(f"{key} {result.get(key)}" for key in FIGURES)
