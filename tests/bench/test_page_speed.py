"""Public list pages under a paced load: p95 < 50 ms warm at 100 requests/s (issue 8).

The pages of tests/site/test_list_queries.py — home, community, compound,
representatives, a representative, the ballots list, an open and a published
ballot — over the vote benchmark's register (10,000 dwellings and owners, each with a
live session, `build_owners_register`), dressed by that test's `community_dress`
with what the pages list (committees and party organisations whose members grow with
the owners, compounds, grids, representatives, neighbouring communities, their
Wagtail pages) and `ballots_add` (an open and a published owners' ballot over the
10,000, one owner in ten having voted on each).

Served by the production servers the harness starts (tests/asgi_servers.py,
`start_asgi_server`: gunicorn as README runs it, unless YISHI_BENCH_PAGE_SERVER
names another) with `tests.bench.settings`, on PostgreSQL and Redis. Each page is
warmed, then offered at RATE requests/s for DURATION_S seconds as an open loop
(request k is due at start + k / RATE, whatever the answers before it did; latency
runs from when it was due, so a slow answer shows instead of holding the load
back). Where both may see the page, requests alternate between a visitor and a
signed-in resident (a different owner each time); an open ballot is shown to
residents on its roll only.

A benchmark, not a test: it records the figures in the report and asserts only that
every answer was 200. Run with `make bench`.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse

from tests.asgi_servers import start_asgi_server
from tests.bench import loadclient
from tests.bench.conftest import (
    analyze_tables,
    build_owners_register,
    checkpoint,
    server_env,
    warm_session_cache,
)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

OWNERS = 10_000
WORKERS = 3  # cores + 1, as the vote benchmark and README's production set-up
RATE = 100.0  # requests/s offered
DURATION_S = 6.0  # per page: 600 requests
WARM_S = 1.0  # per page, not counted
CLIENTS = 20  # keep-alive connections; each has a request due every 0.2 s
TARGET_P95_MS = 50.0
RUN_TIMEOUT = DURATION_S + 60.0
ANONYMOUS, RESIDENT = "anonymous", "resident"
PAGES = (
    "home",
    "community",
    "compound",
    "representatives",
    "representative",
    "ballot_list",
    "ballot_open",
    "ballot_published",
)


@dataclass(frozen=True)
class Site:
    register: object  # OwnersRegister
    paths: dict  # page → path


@dataclass(frozen=True)
class PagedResult:
    """One paced run of one page: the samples of each kind of visitor."""

    path: str
    by_who: dict  # who → loadclient.RunResult
    cpu_ms: float  # server CPU per request, visitors and residents together
    load: float  # the machine's 1-minute load average when the run began


def _paths(world) -> dict[str, str]:
    from neighbourhoods.pages import (
        CommunityPage,
        CompoundPage,
        RepresentativeIndexPage,
        RepresentativePage,
    )

    return {
        "home": "/",
        "community": CommunityPage.objects.get(community=world.community).url,
        "compound": CompoundPage.objects.get(compound=world.main).url,
        "representatives": RepresentativeIndexPage.objects.get().url,
        "representative": RepresentativePage.objects.order_by("pk").first().url,
        "ballot_list": reverse("ballots:ballot_list"),
        "ballot_open": reverse("ballots:ballot", args=[world.ballots["open"].pk]),
        "ballot_published": reverse(
            "ballots:ballot", args=[world.ballots["published"].pk]
        ),
    }


@pytest.fixture(scope="module")
def site(bench_db, bench_report):
    """The register, dressed with what the pages list, and its pages' paths."""
    from consultation.ballots.models import Participation, RollEntry
    from neighbourhoods.models import Person
    from tests.site.test_list_queries import World, ballots_add, community_dress

    started = time.perf_counter()
    register = build_owners_register(OWNERS)
    built = time.perf_counter()
    owners = list(Person.objects.filter(pk__in=register.person_ids).order_by("pk"))
    world = World(
        community=register.community,
        main=register.compound,
        staff=register.staff,
        owners=owners,
        households=len(owners),
        tag=f"bench-{secrets.token_hex(4)}-",
    )
    community_dress(world, 0)
    ballots_add(world, "页面测速")
    analyze_tables(bench_db, RollEntry, Participation)
    checkpoint(bench_db)
    bench_report.add(
        "Pages: set-up (not timed against a target)",
        [
            (f"{OWNERS:,} owners, users and sessions", _s(built - started)),
            (
                "pages, bodies, grids, representatives; two ballots over the "
                f"{OWNERS:,} with {OWNERS // 10:,} votes each",
                _s(time.perf_counter() - built),
            ),
        ],
    )
    return Site(register=register, paths=_paths(world))


@pytest.fixture(scope="module")
def server(bench_db, tmp_path_factory, site):
    environment = server_env(bench_db)
    warm_session_cache(site.register, environment["YISHI_CACHE_PREFIX"])
    # README's production HTTP server (gunicorn: one master, WORKERS workers) unless
    # YISHI_BENCH_PAGE_SERVER names another (uvicorn: one process per port).
    chosen = os.environ.get("YISHI_BENCH_PAGE_SERVER", "gunicorn")
    gunicorn = chosen == "gunicorn"
    server = start_asgi_server(
        tmp_path_factory.mktemp("server"),
        workers=1 if gunicorn else WORKERS,
        env=environment,
        server=chosen,
        extra_args=("--workers", str(WORKERS)) if gunicorn else (),
    )
    try:
        warm = asyncio.run(loadclient.get_many(server.ports, "/healthz", 40, 20))
        assert warm == {200: 40}, warm
    except BaseException:
        server.stop()
        raise
    yield server
    server.stop()


@pytest.fixture(scope="module")
def figures_by_page():
    """{page: {who: loadclient.Figures}}, for the summary at the end."""
    return {}


# --- the paced load ------------------------------------------------------------------


def get_request(path: str, session_key: str | None) -> bytes:
    """A browser-like GET, as it reaches the server behind the TLS proxy."""
    cookie = f"Cookie: sessionid={session_key}\r\n" if session_key else ""
    return (
        f"GET {path} HTTP/1.1\r\n"
        f"Host: {loadclient.HOST}\r\n"
        "Accept: text/html\r\n"
        "Accept-Language: zh-CN,zh;q=0.9\r\n"
        f"{cookie}"
        "X-Forwarded-Proto: https\r\n"
        f"X-Forwarded-For: {loadclient.HOST}\r\n"
        "\r\n"
    ).encode()


async def _answer(conn: loadclient.Connection, raw: bytes) -> int | str:
    try:
        status, _ = await asyncio.wait_for(
            conn.request(raw), loadclient.REQUEST_TIMEOUT
        )
    except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as error:
        await conn.close()
        return f"error:{type(error).__name__}"
    return status


async def run_paced_gets(
    *,
    ports: list[int],
    requests: list[tuple[str, bytes]],
    rate: float,
    clients: int,
    timeout: float,
) -> dict[str, loadclient.RunResult]:
    """Send each (who, request) once, request k due at start + k / rate (open loop).

    Request k goes to client k mod clients, each client on a keep-alive connection
    to ports[client mod len(ports)] (round robin, as an nginx upstream). Returns the
    samples of each `who`, which share the run's start, end and deadline.
    """
    results = {who: loadclient.RunResult(limit=timeout) for who, _ in requests}
    queues: list[list[tuple[int, str, bytes]]] = [[] for _ in range(clients)]
    for k, (who, raw) in enumerate(requests):
        queues[k % clients].append((k, who, raw))
    connections = [loadclient.Connection(ports[i % len(ports)]) for i in range(clients)]
    started = time.perf_counter()

    async def client(index: int) -> None:
        conn = connections[index]
        for k, who, raw in queues[index]:
            due = started + k / rate
            if (delay := due - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            sent = time.perf_counter()
            status = await _answer(conn, raw)
            results[who].samples.append(
                loadclient.Sample(due, sent, time.perf_counter(), status, conn.port)
            )

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    timed_out = False
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    except TimeoutError:
        timed_out = True
    finally:
        for task in tasks:
            task.cancel()
        for conn in connections:
            await conn.close()
    finished = time.perf_counter()
    for result in results.values():
        result.started, result.finished, result.timed_out = started, finished, timed_out
    return results


def _visitors(page: str) -> tuple[str, ...]:
    # An open ballot is shown only to those on its roll (a visitor gets 403).
    return (RESIDENT,) if page == "ballot_open" else (ANONYMOUS, RESIDENT)


def _plan(site: Site, page: str, count: int, first: int) -> list[tuple[str, bytes]]:
    """`count` requests for the page, visitors in turn, residents each different."""
    keys = site.register.session_keys
    visitors = _visitors(page)
    plan = []
    for k in range(count):
        who = visitors[k % len(visitors)]
        key = keys[(first + k) % len(keys)] if who == RESIDENT else None
        plan.append((who, get_request(site.paths[page], key)))
    return plan


def _process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (gunicorn's master and workers), from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in task.read_text().split()]
    return found


def server_cpu_seconds(server) -> float:
    """CPU time (user + system) used so far by the server's processes: the cost of
    a page per request, whatever else the machine is doing (a p95 on a shared machine
    measures its load as much as the page)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in server.processes:
        for pid in _process_tree(proc.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # exited meanwhile
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _run(server, site: Site, page: str) -> PagedResult:
    warm = _plan(site, page, int(RATE * WARM_S), first=0)
    asyncio.run(
        run_paced_gets(
            ports=server.ports,
            requests=warm,
            rate=RATE,
            clients=CLIENTS,
            timeout=RUN_TIMEOUT,
        )
    )
    measured = _plan(site, page, int(RATE * DURATION_S), first=len(warm))
    load, cpu_before = os.getloadavg()[0], server_cpu_seconds(server)
    by_who = asyncio.run(
        run_paced_gets(
            ports=server.ports,
            requests=measured,
            rate=RATE,
            clients=CLIENTS,
            timeout=RUN_TIMEOUT,
        )
    )
    cpu_ms = (server_cpu_seconds(server) - cpu_before) * 1000 / len(measured)
    return PagedResult(site.paths[page], by_who, cpu_ms, load)


# --- the report ----------------------------------------------------------------------


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _verdict(met: bool) -> str:
    return "met" if met else "**NOT met**"


def _latency(figures: loadclient.Figures) -> str:
    return (
        f"{figures.p50_ms:.1f} / **{figures.p95_ms:.1f}** / {figures.p99_ms:.1f}"
        f" / {figures.max_ms:.1f}"
    )


def _rows(server, result: PagedResult, figures: dict) -> list[tuple[str, str]]:
    answered = sum(f.votes for f in figures.values())
    statuses = {}
    for f in figures.values():
        for status, count in f.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    rows = [
        ("path", f"`{result.path}`"),
        ("server", f"`{server.application}`; {server.settings_note()}"),
        (
            "requests answered (offered)",
            f"{answered:,} ({int(RATE * DURATION_S):,} at {RATE:.0f}/s over "
            f"{DURATION_S:.0f} s, {CLIENTS} connections)",
        ),
        ("answers by status", ", ".join(f"{k}: {v:,}" for k, v in statuses.items())),
        (
            "server CPU per request (ms); machine load average at start",
            f"{result.cpu_ms:.1f}; {result.load:.2f} on {os.cpu_count()} cores",
        ),
    ]
    rows += [
        (f"latency p50 / p95 / p99 / max (ms), {who}", _latency(f))
        for who, f in figures.items()
    ]
    return rows


@pytest.mark.parametrize("page_name", PAGES)
def test_page_p95_at_100_requests_per_second(
    page_name, site, server, bench_report, figures_by_page
):
    result = _run(server, site, page_name)
    figures = {who: loadclient.figures(run) for who, run in result.by_who.items()}
    figures_by_page[page_name] = {"p95": figures, "cpu_ms": result.cpu_ms}
    met = all(f.p95_ms < TARGET_P95_MS for f in figures.values())
    bench_report.add(
        f"Page `{page_name}`: {RATE:.0f} requests/s offered (open loop), warm",
        _rows(server, result, figures),
        note=f"Target p95 < {TARGET_P95_MS:.0f} ms: {_verdict(met)}.",
    )
    runs = result.by_who.values()
    finished = not any(run.timed_out for run in runs)  # a short failure message
    assert finished, f"{page_name}: stopped at the {RUN_TIMEOUT:.0f} s limit"
    assert sum(len(run.samples) for run in runs) == int(RATE * DURATION_S)
    for who, f in figures.items():
        assert f.statuses == {"200": f.votes}, (page_name, who, f.statuses)


def test_summary(figures_by_page, bench_report):
    """One table of every page's p95, as the issue's target reads."""
    if not figures_by_page:
        pytest.skip("no page was measured")
    rows = []
    for page, figures in figures_by_page.items():
        p95 = " / ".join(f"{who} {f.p95_ms:.1f}" for who, f in figures["p95"].items())
        met = all(f.p95_ms < TARGET_P95_MS for f in figures["p95"].values())
        rows.append(
            (
                f"`{page}` p95 (ms); server CPU per request",
                f"{p95} — {_verdict(met)}; {figures['cpu_ms']:.1f} ms",
            )
        )
    bench_report.add(
        f"Pages: p95 at {RATE:.0f} requests/s offered, target < {TARGET_P95_MS:.0f} ms",
        rows,
    )
