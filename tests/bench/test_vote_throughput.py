"""An owners' ballot over 10,000 units: 10,000 online votes from 200 concurrent clients.

The votes are JSON POSTs, each with its owner's session and CSRF token, to gunicorn
with three worker processes of eight threads (README's production HTTP server,
WSGI) serving `tests.bench.settings` (production settings as behind a TLS proxy, see
there) on the bench's PostgreSQL and Redis, so a vote also schedules the coalesced
live-tally broadcast as in production.

Runs, each on a ballot of its own over the same 10,000 owners, every owner voting once:

* capacity: 200 clients vote back to back (closed loop). Its throughput is what the
  server sustains (reported against 300 votes/s); its latency is ≈ 200 ÷ throughput
  by Little's law whatever the server does, so it is not the latency target.
* paced: votes are due at 80 % of the capacity just measured, spread over the 200
  clients (open loop); latency runs from when each vote was due. Target: p95 <
  300 ms. (A p95 at a fixed rate close to capacity measures the machine's mood, not
  the code.)
* capacity, stock ASGI: the capacity run with uvicorn serving HTTP through Django's
  stock ASGIHandler (yishi.asgi), last, so that its server does not disturb the paced
  run. The side-by-side comparison of the variants is tests/bench/test_compare.py.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import time
import uuid
from pathlib import Path

import pytest

from tests.asgi_servers import start_asgi_server
from tests.bench import loadclient
from tests.bench.conftest import (
    build_owners_register,
    csrf_token,
    server_env,
    warm_session_cache,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

OWNERS = 10_000
CLIENTS = 200
# Server processes: cores + 1, as README's production set-up says (measured against
# 2 and 4 on this 2-core machine: docs/benchmarks.md).
WORKERS = 3
TARGET_RATE = 300.0  # votes/s sustained: reported, not asserted (issue #8)
PACED_SHARE = 0.8  # the paced run offers this share of the measured capacity
TARGET_P95_MS = 300.0
_measured: dict[str, float] = {}  # the capacity run's votes/s, for the paced run
# Hard limits for one run of 10,000 votes (s). The first capacity run is where all
# 10,000 must be counted exactly, so it may take as long as 67 votes/s need; the
# comparison and the paced run stop at about twice what 300 votes/s need.
FULL_RUN_TIMEOUT = 150.0
RUN_TIMEOUT = 60.0
CHOICES = ("yes",) * 6 + ("no",) * 3 + ("abstain",)  # owner i votes CHOICES[i % 10]


@pytest.fixture(scope="module", autouse=True)
def _needs_a_pool():
    # Without a pool every concurrent request holds a PostgreSQL connection of its
    # own: 200 voters exhaust max_connections (ours and everyone's on the server).
    if importlib.util.find_spec("psycopg_pool") is None:
        pytest.skip(
            "needs psycopg's pool (pip install 'psycopg[pool]'): without it 200 "
            "concurrent votes exhaust PostgreSQL's connections (docs/benchmarks.md)"
        )


@pytest.fixture(scope="module")
def register(bench_db, bench_report):
    started = time.perf_counter()
    register = build_owners_register(OWNERS)
    bench_report.add(
        "Votes: set-up (not timed against a target)",
        [
            (
                f"{OWNERS:,} dwellings, owners, users and sessions (bulk_create)",
                _s(time.perf_counter() - started),
            )
        ],
    )
    return register


def _server(bench_db, tmp_path_factory, register, kind: str, **env: str):
    environment = server_env(bench_db, **env)
    warm_session_cache(register, environment["YISHI_CACHE_PREFIX"])
    # gunicorn as README runs it: one master, WORKERS worker processes on one
    # socket (the kernel shares the connections out); uvicorn one port per process.
    gunicorn = kind == "gunicorn"
    server = start_asgi_server(
        tmp_path_factory.mktemp("server"),
        workers=1 if gunicorn else WORKERS,
        server=kind,
        env=environment,
        extra_args=("--workers", str(WORKERS)) if gunicorn else (),
    )
    try:
        warm = asyncio.run(loadclient.get_many(server.ports, "/healthz", 40, 20))
        assert warm == {200: 40}, warm
    except BaseException:
        server.stop()
        raise
    return server


@pytest.fixture(scope="module")
def server(bench_db, tmp_path_factory, register):
    server = _server(bench_db, tmp_path_factory, register, "gunicorn")
    yield server
    server.stop()


@pytest.fixture
def server_stock_asgi(bench_db, tmp_path_factory, register):
    server = _server(bench_db, tmp_path_factory, register, "uvicorn")
    yield server
    server.stop()


def _open_ballot(register, title: str):
    from django.db import connection

    from consultation.ballots import services
    from consultation.ballots.models import Participation, RollEntry
    from tests.bench.conftest import analyze_tables, checkpoint
    from tests.consultation.factories import option_ids, owners_ballot

    ballot = owners_ballot(
        register.compound, register.community, register.staff, title=title
    )
    started = time.perf_counter()
    services.ballot_open(ballot_id=ballot.pk, actor=register.staff)
    open_s = time.perf_counter() - started
    ballot.refresh_from_db()
    # 10,000 new roll entries: planner statistics as autovacuum would soon give them.
    analyze_tables(connection, RollEntry, Participation)
    checkpoint(connection)
    return ballot, option_ids(ballot), open_s


def _votes(register, options) -> list[loadclient.Vote]:
    return [
        loadclient.Vote(
            session_key=key,
            option_id=options[CHOICES[i % len(CHOICES)]],
            idempotency_key=uuid.uuid4().hex,
        )
        for i, key in enumerate(register.session_keys)
    ]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        pass
    return found


def _tree_cpu_seconds(pid: int) -> float:
    """CPU of a server process and its live children (gunicorn's workers)."""
    try:
        own = _cpu_seconds(pid)
    except (OSError, IndexError, ValueError):
        return 0.0
    return own + sum(_tree_cpu_seconds(child) for child in _children(pid))


def _postgres_cpu() -> dict[int, float]:
    """CPU seconds of every postgres process (other users of the server included)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == "postgres":
                found[int(entry.name)] = _cpu_seconds(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _machine_busy() -> tuple[int, int]:
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    """CPU used by the server processes, PostgreSQL, this client, and the machine."""

    def __init__(self, server) -> None:
        self.server = server

    def __enter__(self):
        self.server_cpu = [_tree_cpu_seconds(p.pid) for p in self.server.processes]
        self.pg_cpu = _postgres_cpu()
        self.client_cpu = time.process_time()
        self.busy = _machine_busy()
        self.load = os.getloadavg()[0]
        return self

    def __exit__(self, *exc) -> None:
        self.server_s = [
            _tree_cpu_seconds(p.pid) - before
            for p, before in zip(self.server.processes, self.server_cpu, strict=True)
        ]
        after = _postgres_cpu()
        self.pg_s = sum(t - self.pg_cpu.get(pid, 0.0) for pid, t in after.items())
        self.client_s = time.process_time() - self.client_cpu
        busy, total = _machine_busy()
        self.machine_busy = (busy - self.busy[0]) / max(1, total - self.busy[1])
        self.load_end = os.getloadavg()[0]


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _cast_all(
    server,
    ballot,
    votes,
    *,
    paced_rate: float | None,
    timeout: float = RUN_TIMEOUT,
    clients: int = CLIENTS,
):
    with CpuMeter(server) as cpu:
        result = asyncio.run(
            loadclient.run_votes(
                ports=server.ports,
                ballot_id=ballot.pk,
                votes=votes,
                clients=clients,
                csrf_token=csrf_token(),
                paced_rate=paced_rate,
                timeout=timeout,
            )
        )
    return result, cpu


def _counted(ballot, votes, options):
    """Participations, the tally (and how long it took), and what it should say."""
    from django.db.models import Sum

    from consultation.ballots.models import Participation, RollEntry
    from consultation.ballots.selectors import ballot_tally

    participations = Participation.objects.filter(ballot=ballot).count()
    started = time.perf_counter()
    tally = ballot_tally(ballot)
    tally_ms = (time.perf_counter() - started) * 1000
    roll_area = RollEntry.objects.filter(ballot=ballot).aggregate(a=Sum("area"))["a"]
    expected = tuple(
        sum(1 for vote in votes if vote.option_id == options[role])
        for role in ("yes", "no", "abstain")
    )
    return participations, tally, tally_ms, roll_area, expected


def _report(report, title, note, result, cpu, server, open_s, counted):
    figures = loadclient.figures(result)
    participations, tally, tally_ms, _, _ = counted
    n = max(1, figures.votes)
    report.add(
        title,
        [
            ("server", f"`{server.application}`; {server.settings_note()}"),
            (
                "votes answered",
                f"{figures.votes:,} of {OWNERS:,}"
                + (
                    f" (stopped at the {result.limit:.0f} s limit)"
                    if result.timed_out
                    else ""
                ),
            ),
            (
                "answers by status",
                ", ".join(f"{k}: {v:,}" for k, v in figures.statuses.items()),
            ),
            ("total time (first sent → last answer)", _s(figures.total_s)),
            ("votes/s overall", f"{figures.overall_rate:.0f}"),
            (
                "votes/s sustained (from the 10 % to the 90 % answer)",
                f"**{figures.steady_rate:.0f}** over {_s(figures.steady_window_s)}",
            ),
            (
                "latency p50 / p95 / p99 / max (ms)",
                f"{figures.p50_ms:.0f} / **{figures.p95_ms:.0f}** / "
                f"{figures.p99_ms:.0f} / {figures.max_ms:.0f}",
            ),
            (
                "latency p95, votes due in the sustained window (ms)",
                f"{figures.steady_p95_ms:.0f}",
            ),
            (
                "votes answered per server process",
                " / ".join(f"{c:,}" for c in result.answered_by(server.ports)),
            ),
            (
                "CPU per vote: server / PostgreSQL / client (ms)",
                f"{sum(cpu.server_s) * 1000 / n:.2f} / {cpu.pg_s * 1000 / n:.2f}"
                f" / {cpu.client_s * 1000 / n:.2f}",
            ),
            (
                "machine CPU busy; 1-min load average at start → end",
                f"{cpu.machine_busy:.0%}; {cpu.load:.1f} → {cpu.load_end:.1f}",
            ),
            (
                "participations / tally heads",
                f"{participations:,} / {tally.participating_heads:,}",
            ),
            ("`ballot_open` (roll snapshot of 10,000 owners)", _s(open_s)),
            ("`ballot_tally` after the run", f"{tally_ms:.0f} ms"),
        ],
        note=note,
    )
    return figures


def _assert_counted(result, figures, counted) -> None:
    participations, tally, _, roll_area, expected = counted
    finished = not result.timed_out  # a plain bool keeps the failure message short
    assert finished, f"only {figures.votes:,} votes answered in {result.limit:.0f} s"
    assert figures.statuses == {"201": OWNERS}
    assert participations == OWNERS
    assert tally.participating_heads == OWNERS
    assert tally.participating_area == roll_area > 0
    assert (tally.yes_heads, tally.no_heads, tally.abstain_heads) == expected


def _verdict(met: bool) -> str:
    return "met" if met else "**NOT met**"


def test_capacity_10000_votes_200_clients_back_to_back(register, server, bench_report):
    ballot, options, open_s = _open_ballot(register, "容量测试：加装电梯")
    votes = _votes(register, options)
    result, cpu = _cast_all(
        server, ballot, votes, paced_rate=None, timeout=FULL_RUN_TIMEOUT
    )
    counted = _counted(ballot, votes, options)
    figures = loadclient.figures(result)
    _measured["capacity"] = figures.steady_rate
    met = figures.steady_rate >= TARGET_RATE
    _report(
        bench_report,
        f"Votes, capacity: {CLIENTS} clients back to back, "
        f"{WORKERS} gunicorn processes",
        f"{TARGET_RATE:.0f} votes/s sustained reached: {_verdict(met)}. Latency "
        "here is ≈ clients ÷ throughput (Little's law), not the p95 target.",
        result,
        cpu,
        server,
        open_s,
        counted,
    )
    _assert_counted(result, figures, counted)


def test_paced_10000_votes_at_80_percent_of_capacity(register, server, bench_report):
    if "capacity" not in _measured:
        pytest.skip("runs after the capacity run, at 80 % of what it measured")
    rate = PACED_SHARE * _measured["capacity"]
    ballot, options, open_s = _open_ballot(register, "定速测试：加装电梯")
    votes = _votes(register, options)
    # Time for every vote at the paced rate, with room to fall behind and show it.
    limit = max(RUN_TIMEOUT, 1.5 * OWNERS / rate)
    result, cpu = _cast_all(server, ballot, votes, paced_rate=rate, timeout=limit)
    counted = _counted(ballot, votes, options)
    figures = loadclient.figures(result)
    kept_up = figures.steady_rate >= 0.98 * rate
    met = kept_up and figures.p95_ms < TARGET_P95_MS
    _report(
        bench_report,
        f"Votes, paced: {rate:.0f} votes/s due (80 % of capacity) over {CLIENTS} "
        f"clients, {WORKERS} gunicorn processes",
        f"Target p95 < {TARGET_P95_MS:.0f} ms at 80 % of capacity (latency "
        f"from when each vote was due): {_verdict(met)}.",
        result,
        cpu,
        server,
        open_s,
        counted,
    )
    _assert_counted(result, figures, counted)
    assert kept_up, f"fell behind: {figures.steady_rate:.0f} votes/s"
    assert figures.p95_ms < TARGET_P95_MS, f"p95 {figures.p95_ms:.0f} ms"


def test_capacity_with_the_stock_asgi_handler(
    register, server_stock_asgi, bench_report
):
    """The same capacity run with uvicorn and Django's ASGIHandler, for comparison."""
    ballot, options, open_s = _open_ballot(register, "容量测试（ASGI）：加装电梯")
    votes = _votes(register, options)
    result, cpu = _cast_all(
        server_stock_asgi, ballot, votes, paced_rate=None, timeout=FULL_RUN_TIMEOUT
    )
    counted = _counted(ballot, votes, options)
    figures = _report(
        bench_report,
        "Votes, capacity: uvicorn with Django's stock ASGIHandler, "
        f"{WORKERS} processes",
        "For comparison with the runs above: the same code served over ASGI, every"
        " middleware, `process_view` and the view in a thread hand-off of its own.",
        result,
        cpu,
        server_stock_asgi,
        open_s,
        counted,
    )
    _assert_counted(result, figures, counted)
