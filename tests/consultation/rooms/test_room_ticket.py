"""The room page's ticket (yishi.websocket_auth): its socket connects without the
session being read, acts as its login once the session is read in full, and the
ticket is worth nothing without its session, for another room, or once expired."""

import asyncio
import re
import threading
import time

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.security.websocket import OriginValidator
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core import signing
from django.db import connections
from django.test import Client
from django.urls import reverse

from consultation.rooms import lobby
from consultation.rooms.models import Statement
from neighbourhoods.models import StaffAssignment
from tests.consultation.rooms.helpers import build_hall
from yishi import websocket_auth

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def application(monkeypatch, settings):
    from yishi.asgi import application

    settings.YISHI_BROADCAST = "inline"
    validator = application.application_mapping["websocket"]
    assert isinstance(validator, OriginValidator)
    monkeypatch.setattr(validator, "allowed_origins", ["testserver"])
    return application


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def _page(user, room_id, name="rooms:room"):
    """(client, the page's socket path, its ticket), as a browser gets them."""
    client = Client()
    client.force_login(user)
    html = client.get(reverse(name, args=[room_id])).content.decode()
    path = re.search(r'data-socket="([^"]+)"', html).group(1)
    ticket = re.search(r'data-ticket="([^"]*)"', html).group(1)
    return client, path, ticket


def _cookie(client) -> bytes | None:
    name = django_settings.SESSION_COOKIE_NAME
    if name not in client.cookies or not client.cookies[name].value:
        return None  # signed out: the browser holds no session cookie
    return f"{name}={client.cookies[name].value}".encode()


async def _open(application, path, ticket, cookie):
    headers = [(b"origin", b"http://testserver")]
    if cookie:
        headers.append((b"cookie", cookie))
    query = f"?ticket={ticket}" if ticket else ""
    socket = WebsocketCommunicator(application, path + query, headers=headers)
    connected, code = await socket.connect()
    return socket, connected, code


async def _said(socket, kind, timeout=5):
    while True:
        message = await socket.receive_json_from(timeout=timeout)
        if message["type"] == kind:
            return message


async def _statement(socket, text):
    await socket.send_json_to(
        {
            "type": "action",
            "name": "statement",
            "request_id": 1,
            "params": {"text": text},
        }
    )


hall_async = sync_to_async(build_hall)
page_async = sync_to_async(_page)


async def test_the_pages_ticket_connects_and_acts_as_its_login(
    application, monkeypatch
):
    hall = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    assert path == f"/ws/rooms/{hall.room.pk}/"
    assert ticket

    # Connecting reads neither the session nor the login: they are read once,
    # after the snapshot is sent, and acting does not read them again.

    order = []
    real_load, real_snapshot = websocket_auth._load, lobby.snapshot_text

    def load(session_key):
        order.append("session")
        return real_load(session_key)

    async def snapshot_text(*args, **kwargs):
        order.append("snapshot")
        return await real_snapshot(*args, **kwargs)

    monkeypatch.setattr(websocket_auth, "_load", load)
    monkeypatch.setattr(lobby, "snapshot_text", snapshot_text)
    socket, connected, code = await _open(application, path, ticket, _cookie(client))
    assert connected, code
    hello = await _said(socket, "hello")
    assert hello["user"] == hall.members[2].username
    assert hello["participant"] is not None
    await _said(socket, "snapshot")
    for _ in range(200):  # read without any action
        if order == ["snapshot", "session"]:
            break
        await asyncio.sleep(0.01)
    assert order == ["snapshot", "session"]

    await _statement(socket, "我同意加装电梯")
    assert (await _said(socket, "ack"))["seq"] > 0
    await _statement(socket, "第二次发言")  # the rate limit: 2 s apart
    error = await _said(socket, "error")
    assert error["code"] == "rate_limited"
    assert order == ["snapshot", "session"]
    statement = await sync_to_async(
        Statement.objects.select_related("participant__person").get
    )(text="我同意加装电梯")
    assert statement.participant.person.user_id == hall.members[2].pk
    await socket.disconnect()


async def test_the_projectors_ticket_is_its_own_page_s(application):
    hall = await hall_async()
    client, path, ticket = await page_async(hall.chair, hall.room.pk, "rooms:projector")
    socket, connected, code = await _open(application, path, ticket, _cookie(client))
    assert connected, code
    assert (await _said(socket, "hello"))["user"] == hall.chair.username
    await socket.disconnect()


async def test_a_ticket_is_nothing_without_the_session_cookie_it_was_given_with(
    application,
):
    hall = await hall_async()
    _client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    # No cookie at all: not signed in.
    _, connected, code = await _open(application, path, ticket, None)
    assert (connected, code) == (False, 4401)
    # Another login's cookie: that login, not the ticket's (an outsider: refused).
    other = Client()
    await sync_to_async(other.force_login)(hall.outsider)
    _, connected, code = await _open(application, path, ticket, _cookie(other))
    assert (connected, code) == (False, 4403)


async def test_signed_out_in_this_browser_the_ticket_is_ignored(application):
    hall = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    await sync_to_async(client.logout)()  # the browser's session cookie goes
    _, connected, code = await _open(application, path, ticket, _cookie(client))
    assert (connected, code) == (False, 4401)
    # Signed in again: a new session, which the old page's ticket is not bound to.
    await sync_to_async(client.force_login)(hall.outsider)
    _, connected, code = await _open(application, path, ticket, _cookie(client))
    assert (connected, code) == (False, 4403)


async def test_a_session_ended_elsewhere_is_closed_once_connected(application):
    """A session deleted on the server (a changed password, an administrator)
    while the browser keeps its cookie and page: the ticket connects it, and the
    session read right after the snapshot closes it (4401) before it can act."""
    hall = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    cookie = _cookie(client)
    await sync_to_async(client.session.delete)()
    socket, connected, code = await _open(application, path, ticket, cookie)
    assert connected, code
    await _said(socket, "snapshot")
    assert await _closed_code(socket) == 4401


async def test_an_action_sent_during_the_sessions_read_is_not_held_behind_it(
    application, monkeypatch
):
    """The session's read after connect runs in a thread of its own: a statement
    sent meanwhile is not queued behind it (a burst of arrivals would hold every
    action), reads the session itself, and is refused with the socket closed when
    the session has ended."""
    hall = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    cookie = _cookie(client)

    reads = []
    real_load = websocket_auth._load

    def slow_load(session_key):
        reads.append(threading.current_thread().name)
        time.sleep(0.3)  # the statement arrives meanwhile
        return real_load(session_key)

    monkeypatch.setattr(websocket_auth, "_load", slow_load)
    await sync_to_async(client.session.delete)()
    socket, connected, code = await _open(application, path, ticket, cookie)
    assert connected, code
    await _said(socket, "snapshot")
    await _statement(socket, "不应被记录")
    assert await _closed_code(socket) == 4401
    assert any(name.startswith("yishi-session") for name in reads)
    assert any(not name.startswith("yishi-session") for name in reads)
    assert not await sync_to_async(Statement.objects.filter(text="不应被记录").exists)()


async def test_another_rooms_expired_or_altered_ticket_is_ignored(
    application, monkeypatch
):
    hall = await hall_async()
    other = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    _client, other_path, other_ticket = await page_async(
        other.members[2], other.room.pk
    )
    cookie = _cookie(client)

    read = []
    real_load = websocket_auth._load

    def counted(session_key):
        read.append(session_key)
        return real_load(session_key)

    monkeypatch.setattr(websocket_auth, "_load", counted)
    altered = ticket[:-2] + ("AA" if not ticket.endswith("AA") else "BB")
    payload = signing.loads(ticket, salt=websocket_auth.TICKET_SALT)
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: 0)  # signed in 1970: long expired
        expired = signing.dumps(
            payload, salt=websocket_auth.TICKET_SALT, compress=False
        )
    elsewhere = path.replace(str(hall.room.pk), str(other.room.pk))
    for where, bad in ((path, altered), (path, expired), (elsewhere, ticket)):
        read.clear()
        socket, connected, code = await _open(application, where, bad, cookie)
        # The session decides, as without a ticket: a member of this room enters,
        # the other room refuses them.
        assert read, "the session was not read"
        assert connected is (where == path), (where, code)
        await socket.disconnect()
    assert other_path != path
    assert other_ticket != ticket


# Found by a review of the ticket: each fails if the check it names is removed.


async def _closed_code(socket):
    out = await socket.receive_output(timeout=5)
    while out["type"] != "websocket.close":
        out = await socket.receive_output(timeout=5)
    return out["code"]


async def test_a_staff_ticket_is_checked_against_the_database(application):
    """Staff hold no seat: the entry cannot admit them, `_access_checked` must
    resolve the ticket first (mutation: drop `resolved` there -> this fails)."""
    hall = await hall_async()
    client, path, ticket = await page_async(hall.staff, hall.room.pk)
    assert ticket
    socket, connected, code = await _open(application, path, ticket, _cookie(client))
    assert connected, code
    hello = await _said(socket, "hello")
    assert hello["may"]["chair"] is True
    await socket.disconnect()


async def test_staff_revoked_within_the_tickets_life_is_refused(application):
    hall = await hall_async()
    client, path, ticket = await page_async(hall.staff, hall.room.pk)
    await sync_to_async(StaffAssignment.objects.filter(user=hall.staff).delete)()
    _, connected, code = await _open(application, path, ticket, _cookie(client))
    assert (connected, code) == (False, 4403)


async def test_a_session_now_holding_another_login_refuses_the_ticket(application):
    """Same session key, other login (defence in depth; mutation: drop the
    `real.pk == user.pk` test in `resolved` -> the action is taken as the other)."""
    hall = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    other = hall.members[1]

    def swap():
        from importlib import import_module

        store = import_module(django_settings.SESSION_ENGINE).SessionStore(key)
        store[SESSION_KEY] = str(other.pk)
        store[BACKEND_SESSION_KEY] = "neighbourhoods.backends.PersonModelBackend"
        store[HASH_SESSION_KEY] = other.get_session_auth_hash()
        store.save()

    await sync_to_async(swap)()
    socket, connected, code = await _open(application, path, ticket, _cookie(client))
    assert connected, code
    await _said(socket, "snapshot")
    await _statement(socket, "冒名发言")
    assert await _closed_code(socket) == 4401
    assert not await sync_to_async(Statement.objects.filter(text="冒名发言").exists)()


async def test_a_rooms_ticket_is_no_ticket_on_another_path():
    """Mutation: drop the path test in `_ticketed` -> the other route's consumer
    gets a TicketUser (whose `person` getattr silently reads None)."""
    from tests.neighbourhoods.factories import PersonFactory, UserFactory
    from yishi.websocket_auth import SessionAuthMiddleware, TicketUser, socket_ticket

    person = await sync_to_async(PersonFactory)(user=await sync_to_async(UserFactory)())

    def ticket():
        client = Client()
        client.force_login(person.user)
        key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        return key, socket_ticket(person.user, key, "/ws/rooms/1/")

    key, t = await sync_to_async(ticket)()
    seen = {}

    class Who(AsyncJsonWebsocketConsumer):
        async def connect(self):
            await self.accept()
            seen["ticket"] = isinstance(self.scope["user"], TicketUser)
            await self.send_json({})

    app = SessionAuthMiddleware(Who.as_asgi())
    headers = [(b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={key}".encode())]
    paths = (("/ws/rooms/1/", True), ("/ws/ballots/1/", False), ("/ws/rooms/2/", False))
    for where, expected in paths:
        c = WebsocketCommunicator(app, f"{where}?ticket={t}", headers=headers)
        assert (await c.connect())[0]
        await c.receive_json_from()
        await c.disconnect()
        assert seen["ticket"] is expected, where


async def test_signing_out_closes_a_ticket_socket(application):
    hall = await hall_async()
    client, path, ticket = await page_async(hall.members[2], hall.room.pk)
    socket, connected, code = await _open(application, path, ticket, _cookie(client))
    assert connected, code
    await _said(socket, "snapshot")
    await sync_to_async(client.logout)()
    assert await _closed_code(socket) == 4401
