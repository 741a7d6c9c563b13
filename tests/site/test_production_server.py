"""The production ASGI server (uvicorn, README) serves the project: HTTP and websockets.

The browser tests run a live daphne (Channels' test server); production runs uvicorn
processes behind nginx (docs/benchmarks.md says why). This starts uvicorn as README
does, on this test's database, and checks what only a real server shows: pages, a
signed-in websocket (session cookie, Origin check, the presence protocol), an
anonymous one and one from another site refused.
"""

from __future__ import annotations

import http.client
import json
import os
import time

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.asgi_servers import database_url_of, start_asgi_server
from tests.neighbourhoods.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{connection.settings_dict['NAME']}"
    return database_url_of(connection)


@pytest.fixture
def uvicorn_server(tmp_path):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="yishi.settings.test",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=_database_url(),
        PYTHONUNBUFFERED="1",
    )
    # With its access log (README runs it without: nginx logs the requests), to see
    # that the log goes through the masked handler.
    server = start_asgi_server(
        tmp_path, workers=1, env=env, extra_args=("--access-log",)
    )
    yield server
    server.stop()


@pytest.fixture
def uvicorn(uvicorn_server):
    return uvicorn_server.ports[0]


def _get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        conn.close()


def test_pages(uvicorn):
    status, _, body = _get(uvicorn, "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, headers, body = _get(uvicorn, "/login/")
    assert status == 200
    assert 'lang="zh-Hans"' in body.decode()
    assert "csrftoken" in headers["set-cookie"]
    assert headers["content-security-policy"]


def test_a_signed_in_websocket_and_an_anonymous_one(uvicorn):
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    person = PersonFactory(user=UserFactory(username="ws-resident"))
    browser = Client()
    browser.force_login(person.user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    url = f"ws://127.0.0.1:{uvicorn}/ws/presence/"
    origin = f"http://127.0.0.1:{uvicorn}"

    with connect(url, origin=origin, additional_headers={"Cookie": cookie}) as socket:
        assert json.loads(socket.recv(timeout=10)) == {
            "type": "hello",
            "user": "ws-resident",
        }
        socket.send(json.dumps({"type": "ping", "id": 7}))
        while (message := json.loads(socket.recv(timeout=10)))["type"] != "pong":
            assert message["type"] == "presence"
        assert message["id"] == 7
        assert message["online"] >= 1

    with pytest.raises(InvalidStatus) as refused, connect(url, origin=origin):
        pass
    assert refused.value.response.status_code == 403
    # Another site's page may not open a socket with the resident's cookie.
    with (
        pytest.raises(InvalidStatus) as foreign,
        connect(
            url, origin="https://evil.example", additional_headers={"Cookie": cookie}
        ),
    ):
        pass
    assert foreign.value.response.status_code == 403


def test_its_access_log_masks_phone_numbers(uvicorn_server):
    port = uvicorn_server.ports[0]
    assert _get(port, "/healthz?q=13912345678")[0] == 200
    deadline = time.monotonic() + 5
    while "GET /healthz" not in (log := uvicorn_server.logs[0].read_text()):
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    assert "13912345678" not in log
    assert "/healthz?q=139" in log
