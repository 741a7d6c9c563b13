"""Side-by-side capacity runs of server variants, for deciding a change (opt-in).

Skipped unless YISHI_BENCH_COMPARE names the variants, as a JSON list of objects:

    label        what the report calls it (required)
    server       "gunicorn" (default, production's HTTP server), "uvicorn" or "daphne"
    application  the application (default: yishi.wsgi for gunicorn, yishi.asgi else)
    code_dir     another checkout of the project to serve (default: this one), e.g. a
                 `git worktree` of the code before a change
    workers      processes (default 3, as the vote benchmark)
    args         extra command-line arguments of the server
    clients      concurrent clients (default 200, as the vote benchmark)
    env          extra environment variables of the server processes

Every variant's servers are started first and stay up; then each round runs the
capacity run of test_vote_throughput (10,000 owners, 200 clients back to back, a new
ballot each time) once per variant, in A B, B A, A B … order: on these shared machines
the second run of a pair is often quicker whatever it runs (docs/benchmarks.md), and
the machine's speed drifts, so only runs of one `make bench` are compared. Rounds:
YISHI_BENCH_COMPARE_ROUNDS (default 2). Then each variant gets a paced run at 80 % of
its own median capacity (p95 from when each vote was due), in the same order. The
report gives each variant's capacity as a share of the first variant's. Example:

    git worktree add /tmp/before HEAD~1
    YISHI_BENCH_COMPARE='[{"label": "before", "code_dir": "/tmp/before"},
                          {"label": "after"}]' \\
        .venv/bin/python -m pytest tests/bench/test_compare.py -q -s
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics

import pytest

from tests.asgi_servers import start_asgi_server
from tests.bench import loadclient
from tests.bench.conftest import server_env, warm_session_cache
from tests.bench.test_vote_throughput import (
    CLIENTS,
    FULL_RUN_TIMEOUT,
    WORKERS,
    _cast_all,
    _open_ballot,
    _votes,
    register,  # noqa: F401  (the module's 10,000 owners)
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

VARIANTS = json.loads(os.environ.get("YISHI_BENCH_COMPARE") or "[]")
ROUNDS = int(os.environ.get("YISHI_BENCH_COMPARE_ROUNDS", "2"))


@pytest.fixture(scope="module")
def servers(bench_db, tmp_path_factory, register):  # noqa: F811
    if not VARIANTS:
        pytest.skip("set YISHI_BENCH_COMPARE to compare server variants")
    started = {}
    try:
        for variant in VARIANTS:
            environment = server_env(bench_db, **variant.get("env", {}))
            warm_session_cache(register, environment["YISHI_CACHE_PREFIX"])
            server = start_asgi_server(
                tmp_path_factory.mktemp("server"),
                workers=int(variant.get("workers", WORKERS)),
                application=variant.get("application"),
                env=environment,
                server=variant.get("server", "gunicorn"),
                code_dir=variant.get("code_dir"),
                extra_args=tuple(variant.get("args", ())),
            )
            started[variant["label"]] = server
            warm = asyncio.run(loadclient.get_many(server.ports, "/healthz", 40, 20))
            assert warm == {200: 40}, (variant["label"], warm)
        yield started
    finally:
        for server in started.values():
            server.stop()


def test_compare_capacity(register, servers, bench_report):  # noqa: F811
    labels = [variant["label"] for variant in VARIANTS]
    variants = {variant["label"]: variant for variant in VARIANTS}
    runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label in labels}
    order = []
    for round_ in range(ROUNDS):
        order += labels if round_ % 2 == 0 else labels[::-1]
    for i, label in enumerate(order):
        server = servers[label]
        ballot, options, _ = _open_ballot(register, f"对比测试 {i}：{label}")
        votes = _votes(register, options)
        result, cpu = _cast_all(
            server,
            ballot,
            votes,
            paced_rate=None,
            timeout=FULL_RUN_TIMEOUT,
            clients=int(variants[label].get("clients", CLIENTS)),
        )
        figures = loadclient.figures(result)
        n = max(1, figures.votes)
        runs[label].append(
            (
                figures.steady_rate,
                sum(cpu.server_s) * 1000 / n,
                cpu.pg_s * 1000 / n,
            )
        )
        print(
            f"\n{i + 1}/{len(order)} {label}: {figures.steady_rate:.0f} votes/s, "
            f"server {runs[label][-1][1]:.2f} ms + PostgreSQL {runs[label][-1][2]:.2f}"
            f" ms CPU per vote, statuses {figures.statuses}",
            flush=True,
        )
        assert figures.statuses == {"201": len(votes)}, figures.statuses
    medians = {
        label: statistics.median(rate for rate, _, _ in runs[label]) for label in labels
    }
    paced = {}
    for i, label in enumerate(labels):
        rate = 0.8 * medians[label]
        ballot, options, _ = _open_ballot(register, f"对比定速 {i}：{label}")
        votes = _votes(register, options)
        result, _cpu = _cast_all(
            servers[label],
            ballot,
            votes,
            paced_rate=rate,
            timeout=FULL_RUN_TIMEOUT,
            clients=int(variants[label].get("clients", CLIENTS)),
        )
        figures = loadclient.figures(result)
        paced[label] = (rate, figures.p95_ms, figures.steady_rate)
        print(
            f"\npaced {label}: {rate:.0f} votes/s due, p95 {figures.p95_ms:.0f} ms",
            flush=True,
        )
        assert figures.statuses == {"201": len(votes)}, figures.statuses
    _compare_report(bench_report, runs, medians, paced, order)


def _compare_report(bench_report, runs, medians, paced, order) -> None:
    first = VARIANTS[0]["label"]
    rows = []
    for variant in VARIANTS:
        label = variant["label"]
        rates = " / ".join(f"{rate:.0f}" for rate, _, _ in runs[label])
        cpu = " / ".join(f"{s:.2f} + {p:.2f}" for _, s, p in runs[label])
        rate, p95, kept = paced[label]
        rows.append(
            (
                f"{label}: {json.dumps(variant, ensure_ascii=False)}",
                f"capacity votes/s {rates} (median **{medians[label]:.0f}**, "
                f"{medians[label] / medians[first]:.0%} of {first}); CPU per vote "
                f"server + PostgreSQL (ms) {cpu}; paced at {rate:.0f}/s (80 %): "
                f"p95 **{p95:.0f} ms**, kept {kept:.0f}/s",
            )
        )
    bench_report.add(
        "Comparison: capacity runs side by side, then each paced at 80 % of its own",
        rows,
        note="Order of the capacity runs: " + ", ".join(order) + ".",
    )
