"""The production servers (README) serve the project: gunicorn HTTP, uvicorn /ws/.

The browser tests run a live daphne (Channels' test server); production runs gunicorn
(WSGI) for HTTP and uvicorn for websockets behind nginx, which routes by path
(docs/benchmarks.md says why). This starts both as README does, on this test's
database, and checks what only real servers show: pages, a signed-in websocket
(session cookie, Origin check, the presence protocol), an anonymous one and one from
another site refused, the access logs, the frame cap, and a vote answered by gunicorn
reaching a websocket held by uvicorn.
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


def _start(tmp_path, server="uvicorn", extra_args=(), **env):
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="yishi.settings.test",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DATABASE_URL=_database_url(),
        PYTHONUNBUFFERED="1",
    )
    environment.pop("YISHI_ACCESS_LOG", None)
    environment.update(env)
    tmp_path.mkdir(exist_ok=True)
    # README's commands (tests/asgi_servers.py: --proxy-headers --no-access-log …).
    return start_asgi_server(
        tmp_path, workers=1, env=environment, server=server, extra_args=extra_args
    )


@pytest.fixture
def uvicorn(tmp_path):
    server = _start(tmp_path / "uvicorn")
    yield server.ports[0]
    server.stop()


@pytest.fixture
def gunicorn(tmp_path):
    server = _start(tmp_path / "gunicorn", server="gunicorn")
    yield server.ports[0]
    server.stop()


def _get(port: int, path: str, headers: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        conn.close()


def test_pages(gunicorn):
    status, _, body = _get(gunicorn, "/healthz")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, headers, body = _get(gunicorn, "/login/")
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


def _log_after(server, path: str, seconds: float = 5.0) -> str:
    """The server's log once a request for `path` is in it, or after `seconds`."""
    assert _get(server.ports[0], path)[0] == 200
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        log = server.logs[0].read_text()
        if "/healthz" in log:
            return log
        time.sleep(0.05)
    return server.logs[0].read_text()


@pytest.mark.parametrize(
    ("kind", "asked"),
    [("uvicorn", ()), ("gunicorn", ("--access-logfile", "-"))],
)
def test_no_access_log_unless_asked_for_and_then_masked(tmp_path, kind, asked):
    """README runs both servers without an access log and nginx logs the requests;
    Django's logging configuration decides, whatever the servers' flags say (uvicorn
    would otherwise put its own back, query strings and all). With YISHI_ACCESS_LOG
    it is kept, through the masked handler."""
    server = _start(tmp_path / "off", server=kind, extra_args=asked)
    try:
        log = _log_after(server, "/healthz?q=13912345678", seconds=1.0)
    finally:
        server.stop()
    assert "/healthz" not in log
    assert "13912345678" not in log

    server = _start(
        tmp_path / "on", server=kind, extra_args=asked, YISHI_ACCESS_LOG="1"
    )
    try:
        log = _log_after(server, "/healthz?q=13912345678")
    finally:
        server.stop()
    assert "/healthz?q=139" in log
    assert "13912345678" not in log


def test_a_websocket_frame_above_1_mib_closes_the_connection(uvicorn):
    """README's --ws-max-size: uvicorn would otherwise buffer 16 MiB frames."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    person = PersonFactory(user=UserFactory(username="ws-big"))
    browser = Client()
    browser.force_login(person.user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    with connect(
        f"ws://127.0.0.1:{uvicorn}/ws/presence/",
        origin=f"http://127.0.0.1:{uvicorn}",
        additional_headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        max_size=None,
    ) as socket:
        assert json.loads(socket.recv(timeout=10))["type"] == "hello"
        socket.send("x" * (1024 * 1024 + 1))
        with pytest.raises(ConnectionClosed) as closed:
            _read_until_closed(socket)
    assert closed.value.rcvd.code == 1009  # message too big


def _read_until_closed(socket) -> None:
    while True:
        socket.recv(timeout=10)


def _csrf_token(port: int) -> str:
    _, headers, _ = _get(port, "/login/")
    cookie = headers["set-cookie"]
    return cookie.split("csrftoken=", 1)[1].split(";", 1)[0]


@pytest.mark.redis
def test_a_vote_answered_by_gunicorn_reaches_a_socket_held_by_uvicorn(tmp_path):
    """The fan-out across processes: the WSGI worker schedules, the websocket
    process builds the tally once and sends it to the room."""
    from websockets.sync.client import connect

    from consultation.ballots import services
    from tests.consultation.factories import option_ids, owners_ballot, owners_compound

    compound, community, people, staff = owners_compound(2)
    ballot = owners_ballot(compound, community, staff, results_visibility="live")
    services.ballot_open(ballot_id=ballot.pk, actor=staff)
    live = {"YISHI_BROADCAST": "coalesce", "REDIS_URL": os.environ["REDIS_URL"]}
    http = _start(tmp_path / "g", server="gunicorn", **live)
    ws = _start(tmp_path / "u", **live)
    try:
        browser = Client()
        browser.force_login(people[0].user)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        token = _csrf_token(http.ports[0])
        cookie = f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={token}"
        with connect(
            f"ws://127.0.0.1:{ws.ports[0]}/ws/ballots/{ballot.pk}/",
            origin=f"http://127.0.0.1:{ws.ports[0]}",
            additional_headers={"Cookie": cookie},
        ) as socket:
            assert json.loads(socket.recv(timeout=10))["type"] == "snapshot"
            conn = http_client_post(
                http.ports[0],
                f"/ballots/{ballot.pk}/vote/",
                {"selection": [option_ids(ballot)["yes"]], "idempotency_key": "g-1"},
                {"Cookie": cookie, "X-CSRFToken": token},
            )
            assert conn == 201
            while (message := json.loads(socket.recv(timeout=10)))["type"] != "tally":
                pass
            assert message["tally"]["participation"]["heads"] == 1
    finally:
        http.stop()
        ws.stop()


def http_client_post(port: int, path: str, body: dict, headers: dict) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(
            "POST",
            path,
            body=json.dumps(body),
            headers={"Content-Type": "application/json", **headers},
        )
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def test_the_asgi_application_keeps_its_startup_out_of_the_collectors_passes():
    """Full garbage collections walked everything Django loaded, stopping the
    event loop for 140–230 ms under 2,000 sockets (docs/benchmarks.md)."""
    import subprocess
    import sys

    code = "import gc, yishi.asgi; print(gc.get_freeze_count())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="yishi.settings.test"),
    )
    assert int(done.stdout.strip().splitlines()[-1]) > 10_000
