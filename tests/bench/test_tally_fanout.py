"""A ballot's live tally to 1,000 watchers: it arrives within 0.5 s of the last vote
(issue 11, "Scale by design").

README's production topology: uvicorn, two worker processes (one port each, as
behind nginx), PostgreSQL, Redis. YISHI_BENCH_TALLY_WATCHERS owners of the roll
(default 1,000), each logged in, watch `/ws/ballots/<id>/` from a load generator in
a separate process (tests/bench/tally_watchers.py); YISHI_BENCH_TALLY_VOTES of them
(default 200) then vote through the ballots' service in this process, back to back,
as request workers do: each commit schedules the coalesced broadcast (yishi.fanout,
a `ZADD`, no thread), a websocket process builds the tally once and sends it to the
ballot's group, and each process's hub (yishi.livehub) writes it, encoded once, to
its watchers. Latency: from the last vote's commit to each watcher's first tally
that counts every vote.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

import pytest

from tests.asgi_servers import BASE_DIR, start_asgi_server
from tests.bench.conftest import build_owners_register, server_env, warm_session_cache

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

WATCHERS = int(os.environ.get("YISHI_BENCH_TALLY_WATCHERS", "1000"))
VOTES = int(os.environ.get("YISHI_BENCH_TALLY_VOTES", "200"))
TARGET_SECONDS = 0.5


@pytest.fixture(scope="module")
def live_ballot(bench_db):
    from consultation.ballots import services
    from tests.consultation.factories import option_ids, owners_ballot

    register = build_owners_register(WATCHERS)
    ballot = owners_ballot(
        register.compound,
        register.community,
        register.staff,
        results_visibility="live",
        rule_id="",
    )
    services.ballot_open(ballot_id=ballot.pk, actor=register.staff)
    return register, ballot, option_ids(ballot)["yes"]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _report(bench_report, connect_s, voting_s, last_vote, found) -> tuple[int, float]:
    """Add the figures to the report; (watchers without the final tally, worst s)."""
    latencies = [t - last_vote for t in found["arrived"] if t is not None]
    missing = len(found["arrived"]) - len(latencies)
    p50, p99 = _percentile(latencies, 0.5), _percentile(latencies, 0.99)
    worst = max(latencies)
    met = not missing and worst <= TARGET_SECONDS
    bench_report.add(
        f"Live tally to {WATCHERS:,} watchers (tests/bench/test_tally_fanout.py)",
        [
            ("watchers / votes", f"{WATCHERS:,} / {VOTES:,}"),
            ("connect all (s)", connect_s),
            ("votes cast back to back (s)", f"{voting_s:.2f}"),
            (
                "last vote → final tally: p50 / p99 / max (ms)",
                f"{p50 * 1000:.0f} / {p99 * 1000:.0f} / {worst * 1000:.0f}",
            ),
            ("mean (ms)", f"{statistics.mean(latencies) * 1000:.0f}"),
            ("watchers without the final tally", str(missing)),
            ("frames received (all watchers)", f"{found['frames']:,}"),
            ("target: all within 0.5 s", "met" if met else "**NOT met**"),
        ],
    )
    return missing, worst


def test_tally_to_1000_watchers(
    live_ballot, bench_db, bench_report, tmp_path, settings
):
    from consultation.ballots import services
    from neighbourhoods.models import Person

    register, ballot, yes = live_ballot
    settings.YISHI_BROADCAST = "coalesce"  # the votes schedule as in production
    # The servers share this process's cache prefix: the fan-out's due set is there.
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    env = server_env(bench_db, YISHI_CACHE_PREFIX=prefix)
    warm_session_cache(register, env["YISHI_CACHE_PREFIX"])
    server = start_asgi_server(tmp_path, workers=2, env=env)
    config = {
        "urls": [f"ws://127.0.0.1:{p}/ws/ballots/{ballot.pk}/" for p in server.ports],
        "cookies": [f"sessionid={key}" for key in register.session_keys],
        "origin": "https://127.0.0.1",
        "heads": VOTES,
    }
    path = tmp_path / "watchers.json"
    path.write_text(json.dumps(config))
    load = subprocess.Popen(
        [sys.executable, "-m", "tests.bench.tally_watchers", str(path)],
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        ready = load.stdout.readline().split()
        assert ready[:1] == ["ready"], ready
        voters = list(Person.objects.filter(pk__in=register.person_ids[:VOTES]))
        started = time.time()
        for voter in voters:
            services.vote_cast(ballot_id=ballot.pk, voter=voter, selection=[yes])
        last_vote = time.time()
        found = json.loads(load.stdout.readline())
    finally:
        load.kill()
        load.wait()
        server.stop()
    missing, worst = _report(
        bench_report, ready[1], last_vote - started, last_vote, found
    )
    assert not missing
    assert worst <= TARGET_SECONDS
