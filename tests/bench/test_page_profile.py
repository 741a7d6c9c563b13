"""Where a signed-in resident's page spends its CPU (issue 8): a profile, not a timing.

Over the same register as tests/bench/test_page_speed.py (its `site` fixture), each
page is requested in process by signed-in residents (a different owner each time, as
the paced load does), warmed, then REQUESTS more under cProfile. The report prints,
per page, the CPU per request (`time.process_time`, outside the profiler), the
queries per request, and the functions with the most own time and the most
cumulative time among the project's own modules. Run with

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yishi_bench \
    REDIS_URL=redis://127.0.0.1:6379/10 .venv/bin/python -m pytest \
    tests/bench/test_page_profile.py -o addopts="-p no:cacheprovider" -q -s

YISHI_PROFILE_PAGES=community,ballot_open limits the pages.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time

import pytest
from django.db import connection
from django.test import Client

from tests.bench.test_page_speed import PAGES, site  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

WARM = 5
REQUESTS = 40
OURS = (  # the modules whose cumulative times are printed
    "yishi",
    "neighbourhoods",
    "consultation",
    "residents_pact",
    "site/",
    "wagtail",
    "django/",
)


def _client(session_key: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN", HTTP_X_FORWARDED_PROTO="https")
    client.cookies["sessionid"] = session_key
    return client


def _get(path: str, key: str) -> None:
    response = _client(key).get(path, secure=True)
    assert response.status_code == 200, (path, response.status_code)


def _top(profile: cProfile.Profile, sort: str, ours: bool, limit: int = 18) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs().sort_stats(sort)
    if ours:
        stats = pstats.Stats(profile, stream=out).sort_stats(sort)
        stats.print_stats("|".join(OURS), limit)
    else:
        stats.print_stats(limit)
    return out.getvalue()


@pytest.mark.parametrize("page", PAGES)
def test_profile_signed_in_page(site, page):  # noqa: F811
    wanted = os.environ.get("YISHI_PROFILE_PAGES")
    if wanted and page not in wanted.split(","):
        pytest.skip("not asked for")
    path = site.paths[page]
    keys = site.register.session_keys
    # A visitor first, as in the paced load: where the page may be shared, residents
    # then get the visitors' kept copy with their own header.
    Client(HTTP_X_FORWARDED_PROTO="https").get(path, secure=True)
    for key in keys[:WARM]:
        _get(path, key)
    batch = keys[WARM : WARM + REQUESTS]
    started = time.process_time()
    seen: list[str] = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for key in batch:
            _get(path, key)
    cpu_ms = (time.process_time() - started) * 1000 / len(batch)
    profile = cProfile.Profile()
    profile.enable()
    for key in keys[WARM + REQUESTS : WARM + 2 * REQUESTS]:
        _get(path, key)
    profile.disable()
    print(
        f"\n===== {page} {path}: {cpu_ms:.1f} ms CPU per request, "
        f"{len(seen) / len(batch):.1f} queries per request"
    )
    for sql in seen[: len(seen) // len(batch)]:
        print("   ", sql[:300])
    print(_top(profile, "tottime", ours=False, limit=25))
    print(_top(profile, "cumulative", ours=True, limit=70))
