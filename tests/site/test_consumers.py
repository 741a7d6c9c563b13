"""The presence websocket through the real ASGI application.

Every test goes through `yishi.asgi.application`, so the origin check and the
session/auth middleware are the ones production runs. Async tests that write use
`transaction=True`: the session rows are read from another thread's connection.
"""

import json
import os

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test import Client

from tests.neighbourhoods.factories import UserFactory
from yishi.consumers import COUNT_KEY, GROUP, MAX_FRAME

PATH = "/ws/presence/"
GOOD_ORIGIN = b"http://127.0.0.1:8000"
# What production allows by default (base settings' DJANGO_ALLOWED_HOSTS fallback).
PRODUCTION_HOSTS = ["127.0.0.1", "localhost"]
TIMEOUT = 5

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application(monkeypatch):
    """The real ASGI app, with the origin check narrowed to production's hosts.

    The test settings allow every host ("*"), which also lets every Origin through;
    AllowedHostsOriginValidator copied that list when yishi.asgi was imported, so the
    narrowing is applied to the validator itself.
    """
    from yishi.asgi import application

    validator = application.application_mapping["websocket"]
    assert isinstance(validator, OriginValidator)
    monkeypatch.setattr(validator, "allowed_origins", PRODUCTION_HOSTS)
    return application


@pytest_asyncio.fixture(autouse=True)
async def clean_presence_count():
    # The counter lives in the cache: Redis keeps it between runs, LocMem between tests.
    await cache.adelete(COUNT_KEY)
    yield
    await cache.adelete(COUNT_KEY)
    # The session lookups ran in asgiref's worker thread; its connection would outlive
    # the test and, on PostgreSQL, keep the test database from being dropped.
    await sync_to_async(connections.close_all)()


@sync_to_async
def session_cookie_for(username: str) -> bytes:
    user = UserFactory(username=username)
    client = Client()
    client.force_login(user)
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session_id}".encode()


def communicator(application, *, cookie: bytes | None = None, origin=GOOD_ORIGIN):
    headers = []
    if origin is not None:
        headers.append((b"origin", origin))
    if cookie is not None:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, PATH, headers=headers)


async def connected(application, username: str) -> WebsocketCommunicator:
    """A logged-in user's socket, with its hello and own presence already read."""
    ws = communicator(application, cookie=await session_cookie_for(username))
    accepted, _ = await ws.connect(timeout=TIMEOUT)
    assert accepted
    hello = await ws.receive_json_from(timeout=TIMEOUT)
    assert hello == {"type": "hello", "user": username}
    own = await ws.receive_json_from(timeout=TIMEOUT)
    assert own["type"] == "presence"
    return ws


async def test_anonymous_user_is_refused_with_4401(application):
    ws = communicator(application)
    accepted, code = await ws.connect(timeout=TIMEOUT)
    assert (accepted, code) == (False, 4401)


async def test_logged_in_user_gets_hello_and_pong(application):
    ws = communicator(application, cookie=await session_cookie_for("laozhang"))
    accepted, _ = await ws.connect(timeout=TIMEOUT)
    assert accepted
    assert await ws.receive_json_from(timeout=TIMEOUT) == {
        "type": "hello",
        "user": "laozhang",
    }
    assert await ws.receive_json_from(timeout=TIMEOUT) == {
        "type": "presence",
        "online": 1,
    }
    await ws.send_json_to({"type": "ping", "id": 1})
    assert await ws.receive_json_from(timeout=TIMEOUT) == {
        "type": "pong",
        "id": 1,
        "online": 1,
    }
    await ws.disconnect()


async def test_second_users_join_and_leave_are_announced(application):
    first = await connected(application, "first")
    second = await connected(application, "second")
    assert await first.receive_json_from(timeout=TIMEOUT) == {
        "type": "presence",
        "online": 2,
    }
    await second.send_json_to({"type": "ping", "id": "b"})
    assert await second.receive_json_from(timeout=TIMEOUT) == {
        "type": "pong",
        "id": "b",
        "online": 2,
    }
    await second.disconnect()
    assert await first.receive_json_from(timeout=TIMEOUT) == {
        "type": "presence",
        "online": 1,
    }
    await first.disconnect()
    assert await cache.aget(COUNT_KEY) == 0


# One test per kind of check, not per case: every transactional test ends with a flush
# of all tables, which costs more than the checks themselves.
async def test_foreign_or_missing_origin_is_refused(application):
    cookie = await session_cookie_for("u")
    for origin in (b"http://evil.example", b"http://127.0.0.1.evil.example", None):
        ws = communicator(application, cookie=cookie, origin=origin)
        accepted, _ = await ws.connect(timeout=TIMEOUT)
        assert accepted is False, origin
    # Refused before the consumer ran: nobody was counted.
    assert await cache.aget(COUNT_KEY) is None


MALFORMED = [
    ("not json {", "bad_json"),
    ("[1, 2]", "bad_envelope"),
    ('"ping"', "bad_envelope"),
    ('{"id": 1}', "bad_envelope"),
    ('{"type": 5}', "bad_envelope"),
    ('{"type": "shout"}', "unknown_type"),
    (json.dumps({"type": "ping", "pad": "x" * MAX_FRAME}), "too_large"),
    (b"\x00\x01", "bad_frame"),
]


async def test_malformed_frames_get_errors_and_the_socket_stays_open(application):
    ws = await connected(application, "sender")
    for frame, code in MALFORMED:
        if isinstance(frame, bytes):
            await ws.send_to(bytes_data=frame)
        else:
            await ws.send_to(text_data=frame)
        error = await ws.receive_json_from(timeout=TIMEOUT)
        assert (error["type"], error["code"]) == ("error", code), frame[:40]
        assert error["detail"]
    # Still open and still served after every one of them.
    await ws.send_json_to({"type": "ping", "id": 7})
    pong = await ws.receive_json_from(timeout=TIMEOUT)
    assert pong == {"type": "pong", "id": 7, "online": 1}
    await ws.disconnect()


@pytest.mark.redis
async def test_group_broadcast_crosses_redis(application):
    from channels_redis.core import RedisChannelLayer

    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer), "REDIS_URL must select channels_redis"
    first = await connected(application, "redis-first")
    second = await connected(application, "redis-second")
    assert await first.receive_json_from(timeout=TIMEOUT) == {
        "type": "presence",
        "online": 2,
    }
    # A second layer instance stands for another ASGI worker: it shares nothing with
    # this process but Redis.
    other_worker = RedisChannelLayer(hosts=[os.environ["REDIS_URL"]])
    try:
        await other_worker.group_send(GROUP, {"type": "presence.changed", "online": 41})
    finally:
        await other_worker.close_pools()
    for ws in (first, second):
        assert await ws.receive_json_from(timeout=TIMEOUT) == {
            "type": "presence",
            "online": 41,
        }
    await second.disconnect()
    await first.disconnect()
