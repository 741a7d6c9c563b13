"""Issue 11's reliability check: Redis restarted in the middle of a meeting.

Two uvicorn worker processes (README's production topology) over a private
`redis-server` on port 6391 (never the machine's shared one), a room of
YISHI_RELIABILITY_CLIENTS members (50 here; tests/bench/test_room_resync.py runs
500) connected by a load generator in a separate process
(tests/consultation/rooms/resync_load.py), each client keeping the room's state as
room.js does. Statements are posted before and after a restart of Redis that loses
every group membership and message in flight. Every client re-syncs by snapshot
within 5 s of Redis's return; in the end every client holds every statement the
database holds (the database is the truth) at the room's current `seq`; and an
event kept without being announced (a lost broadcast) is found by every client as a
`seq` gap and recovered by snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import override_settings

from consultation.rooms import services
from consultation.rooms.models import Room, Statement
from tests.asgi_servers import (
    BASE_DIR,
    AsgiServer,
    database_url_of,
    start_asgi_server,
)
from tests.consultation.rooms.helpers import build_hall, session_cookie
from tests.consultation.rooms.resync_load import (
    RoomClient,
    redis_server_command,
    wait_for_redis,
)
from yishi import fanout

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

REDIS_PORT = int(os.environ.get("YISHI_RELIABILITY_REDIS_PORT", "6391"))
CLIENTS = int(os.environ.get("YISHI_RELIABILITY_CLIENTS", "50"))
POSTERS = 5
RESYNC_SECONDS = 5.0


def _redis_cli(*args: str) -> str:
    done = subprocess.run(
        ["redis-cli", "-p", str(REDIS_PORT), *args], capture_output=True, text=True
    )
    return done.stdout.strip()


def start_private_redis(directory) -> None:
    if _redis_cli("ping") == "PONG":
        pytest.fail(f"port {REDIS_PORT} is taken by another Redis")
    subprocess.run(redis_server_command(REDIS_PORT, str(directory)), check=True)
    wait_for_redis(REDIS_PORT)


def stop_private_redis() -> None:
    _redis_cli("shutdown", "nosave")  # whichever one the load generator started


def start_workers(directory) -> AsgiServer:
    """Two uvicorn processes over the private Redis, announcing as in production."""
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="yishi.settings.test",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=database_url_of(connection),
        REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
        YISHI_BROADCAST="coalesce",
        PYTHONUNBUFFERED="1",
    )
    Path(directory).mkdir(parents=True, exist_ok=True)
    return start_asgi_server(Path(directory), workers=2, env=environment)


@pytest.fixture
def private_redis(tmp_path):
    start_private_redis(tmp_path)
    yield tmp_path
    stop_private_redis()


@pytest.fixture
def workers(private_redis, tmp_path, transactional_db):
    server = start_workers(tmp_path)
    yield server.ports
    server.stop()


def _lose_one_event(room_id: int, actor) -> None:
    """A statement kept under the next `seq` whose broadcast never happens: this
    process announces nothing (YISHI_BROADCAST "off"), and the room's announced
    mark moves past it as if its broadcast had been lost."""
    with override_settings(YISHI_BROADCAST="off"):
        lost = {"text": "丢失的广播"}
        services.room_action(
            room_id=room_id, actor=actor, name="statement", params=lost
        )
    Room.objects.filter(pk=room_id).update(announced_seq=F("seq"))


def _run_clients(config: dict, directory, hall) -> dict:
    path = Path(directory) / "resync.json"
    path.write_text(json.dumps(config))
    load = subprocess.Popen(
        [sys.executable, "-m", "tests.consultation.rooms.resync_load", str(path)],
        cwd=BASE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert load.stdout.readline().strip() == "ready-for-drop"
        _lose_one_event(hall.room.pk, hall.chair)
        load.stdin.write("go\n")
        load.stdin.flush()
        return json.loads(load.stdout.readline())
    finally:
        load.kill()
        load.wait()


def restart_scenario(ports, redis_dir, directory, members: int) -> dict:
    """The meeting, the restart, the lost event; the checks. Returns the figures."""
    hall = build_hall(members=members)
    users = [hall.chair, hall.secretary, *hall.members]
    config = {
        "urls": [f"ws://127.0.0.1:{p}/ws/rooms/{hall.room.pk}/" for p in ports],
        "cookies": [session_cookie(u) for u in users],
        "origin": f"http://127.0.0.1:{ports[0]}",
        "redis_port": REDIS_PORT,
        "redis_dir": str(redis_dir),
        "posters": POSTERS,
    }
    found = _run_clients(config, directory, hall)
    room = Room.objects.get(pk=hall.room.pk)
    truth = sorted(Statement.objects.filter(room=room).values_list("pk", flat=True))
    assert len(truth) == 3 * POSTERS + 1
    slow = [s for s in found["resync_seconds"] if not 0 <= s <= RESYNC_SECONDS]
    assert not slow, f"{len(slow)} clients without a snapshot within 5 s: {slow[:10]}"
    assert found["last"] == [room.seq] * len(users)
    assert all(held == truth for held in found["statements"])
    assert all(gaps >= 1 for gaps in found["gaps"])  # the lost event, found by seq
    return {
        "clients": len(users),
        "resync_max_s": max(found["resync_seconds"]),
        "resync_median_s": sorted(found["resync_seconds"])[len(users) // 2],
        "reconnects": found["reconnects"],
        "gaps_detected": sum(found["gaps"]),
        "statements": len(truth),
    }


def test_redis_restart_mid_meeting(workers, private_redis, tmp_path):
    figures = restart_scenario(workers, private_redis, tmp_path, CLIENTS)
    print(figures)  # pytest -s shows them


async def _post_while_publishing_is_refused(url: str, cookie: str, origin: str):
    """One client in the room; a statement posted while Redis refuses `PUBLISH`
    and scripts (its subscribers unharmed); then Redis accepts them again.
    Returns (the client's `seq` before, after the refused post, at the end)."""
    client = RoomClient(url, cookie, origin)
    running = asyncio.ensure_future(client.run())
    try:
        await asyncio.wait_for(client.ready.wait(), 30)
        before = client.last
        _redis_cli("ACL", "SETUSER", "default", "-publish", "-@scripting")
        try:
            await client.post("发布失败时的发言")
            await asyncio.sleep(2.0)
            refused = client.last
        finally:
            _redis_cli("ACL", "SETUSER", "default", "+@all")
        deadline = time.monotonic() + fanout.SWEEP_SECONDS + 5
        while client.last == refused and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        return before, refused, client.last, client.statements
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running


def test_an_event_whose_send_failed_goes_out_once_redis_takes_it(workers):
    """The last event of a meeting whose `PUBLISH` failed — and the fan-out's
    retry could not even be scheduled — is not left unsent until a next event
    shows its gap (there may be none): each worker's fan-out finds the room's
    unannounced events and sends them once Redis takes them again."""
    hall = build_hall(members=2)
    before, refused, last, statements = asyncio.run(
        _post_while_publishing_is_refused(
            f"ws://127.0.0.1:{workers[0]}/ws/rooms/{hall.room.pk}/",
            session_cookie(hall.chair),
            f"http://127.0.0.1:{workers[0]}",
        )
    )
    room = Room.objects.get(pk=hall.room.pk)
    assert room.seq == before + 1  # kept (the database is the truth)...
    assert refused == before  # ...not heard while Redis refused it...
    assert last == room.seq  # ...and heard once Redis took it again
    assert "发布失败时的发言" in statements.values()
    assert room.announced_seq == room.seq
