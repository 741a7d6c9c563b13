"""Two uvicorn worker processes over Redis (README's production topology): a member
connected to one sees what a member connected to the other posts, and the presence
of both, through the per-process hub and the shared fan-out."""

from __future__ import annotations

import json
import os

import pytest
from django.conf import settings
from django.db import connection

from tests.asgi_servers import database_url_of, start_asgi_server
from tests.consultation.rooms.helpers import build_hall, session_cookie

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{connection.settings_dict['NAME']}"
    return database_url_of(connection)


@pytest.fixture
def workers(tmp_path):
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="yishi.settings.test",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=_database_url(),
        YISHI_BROADCAST="coalesce",
        PYTHONUNBUFFERED="1",
    )
    server = start_asgi_server(tmp_path, workers=2, env=environment)
    yield server.ports
    server.stop()


def _until(socket, kind: str, check=lambda m: True) -> dict:
    while True:
        message = json.loads(socket.recv(timeout=10))
        if message["type"] == kind and check(message):
            return message


def test_a_statement_crosses_workers(workers):
    from websockets.sync.client import connect

    hall = build_hall()
    sockets = []
    for port, user in zip(workers, (hall.chair, hall.members[0]), strict=True):
        sockets.append(
            connect(
                f"ws://127.0.0.1:{port}/ws/rooms/{hall.room.pk}/",
                origin=f"http://127.0.0.1:{port}",
                additional_headers={"Cookie": session_cookie(user)},
            )
        )
    chair, member = sockets
    try:
        snapshot = _until(member, "snapshot")
        # Presence from both processes reaches each: two members online.
        _until(chair, "presence", lambda m: len(m["online"]) == 2)
        action = {"text": "两个进程之间也能看到。"}
        chair.send(
            json.dumps(
                {
                    "type": "action",
                    "name": "statement",
                    "request_id": 1,
                    "params": action,
                }
            )
        )
        event = _until(member, "statement")
        assert event["statement"]["text"] == "两个进程之间也能看到。"
        assert event["seq"] == snapshot["seq"] + 1
    finally:
        for socket in sockets:
            socket.close()
