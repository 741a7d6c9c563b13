"""Public liaison statistics over 50,000 requests (issue 13), on PostgreSQL + Redis:
the page answers in two queries (as over a handful: tests/consultation/liaison/
test_views.py), and p95 < 50 ms warm at
100 requests/s offered to the production HTTP server (gunicorn, README), an open loop
as tests/bench/test_page_speed.py runs it.

The requests are written in bulk in every state, category and rating. The page's
figures are two aggregate queries (selectors.statistics), kept in the cache under
the statistics' version and the day; the report also gives that cold cost.
Run with `make bench`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultation.liaison import selectors
from consultation.liaison.models import LiaisonRequest
from tests.asgi_servers import start_asgi_server
from tests.bench import loadclient
from tests.bench.conftest import analyze_tables, bench_building, checkpoint, server_env
from tests.bench.test_page_speed import get_request, run_paced_gets

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REQUESTS = 50_000
TARGET_MS, RATE, DURATION_S, CLIENTS, WORKERS = 50.0, 100.0, 6.0, 20, 3
STATES = LiaisonRequest.States.values
CATEGORIES = LiaisonRequest.Category.values


def _verdict(met: bool) -> str:
    return "met" if met else "**NOT met**"


def bulk_requests(community, n: int, offset: int = 0) -> None:
    now = timezone.now()
    rows = []
    for i in range(offset, offset + n):
        state = STATES[i % len(STATES)]
        answered = state in ("replied", "rated", "closed")
        rows.append(
            LiaisonRequest(
                community=community,
                target="community",
                channel="online",
                resident_name=f"居民{i}",
                category=CATEGORIES[i % len(CATEGORIES)],
                title=f"诉求{i}",
                text=f"第{i}条诉求的内容。" * 5,
                state=state,
                due_date=(now - dt.timedelta(days=i % 40 - 20)).date(),
                submitted_at=now - dt.timedelta(minutes=i),
                reply="已答复。" if answered else "",
                replied_at=now if answered else None,
                reply_days=i % 60 if answered else None,
                rating=(i % 5) + 1 if state in ("rated", "closed") else None,
            )
        )
    LiaisonRequest.objects.bulk_create(rows, batch_size=2000)


@pytest.fixture(scope="module")
def many(bench_db):
    community = bench_building().community
    bulk_requests(community, REQUESTS)
    analyze_tables(bench_db, LiaisonRequest)
    checkpoint(bench_db)
    return community


def _queries() -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(reverse("liaison:statistics")).status_code == 200
    return len(captured)


def _cold_ms() -> str:
    """The figures' own cost without the cache, in-process (median / p95 of 10)."""
    times = []
    for _ in range(10):
        started = time.perf_counter()
        selectors.statistics(LiaisonRequest.objects.all(), timezone.localdate())
        times.append((time.perf_counter() - started) * 1000)
    return f"{statistics.median(times):.1f} / {loadclient.percentile(times, 95):.1f} ms"


def _paced_run(tmp_path_factory):
    server = start_asgi_server(
        tmp_path_factory.mktemp("liaison"),
        workers=1,
        env=server_env(connection),
        server="gunicorn",
        extra_args=("--workers", str(WORKERS)),
    )
    try:
        raw = get_request(reverse("liaison:statistics"), None)
        for count in (int(RATE), int(RATE * DURATION_S)):  # warm, then measured
            result = asyncio.run(
                run_paced_gets(
                    ports=server.ports,
                    requests=[("visitor", raw)] * count,
                    rate=RATE,
                    clients=CLIENTS,
                    timeout=DURATION_S + 60,
                )
            )
    finally:
        server.stop()
    return result


def test_statistics_of_50000_constant_queries_and_p95_under_load(
    many, bench_report, tmp_path_factory
):
    large = _queries()
    cold = _cold_ms()
    result = _paced_run(tmp_path_factory)
    figures = loadclient.figures(result["visitor"])
    bench_report.add(
        "Liaison public statistics (50,000 requests)",
        [
            ("queries per page (cache cold), 50,000 requests", str(large)),
            ("figures without the cache, in-process: p50 / p95 of 10", cold),
            (
                "offered",
                f"{RATE:.0f} requests/s for {DURATION_S:.0f} s"
                f" (gunicorn, {WORKERS} workers)",
            ),
            (
                "answered / offered",
                f"{figures.votes} / {int(RATE * DURATION_S)},"
                f" statuses {dict(figures.statuses)}",
            ),
            (
                "p50 / p95 / max",
                f"{figures.p50_ms:.1f} / {figures.p95_ms:.1f}"
                f" / {figures.max_ms:.1f} ms",
            ),
            (f"target p95 < {TARGET_MS:.0f} ms", _verdict(figures.p95_ms < TARGET_MS)),
        ],
    )
    assert large == 2
    assert set(figures.statuses) == {"200"}
