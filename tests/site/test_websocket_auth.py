"""Whose websocket it is: `yishi.websocket_auth.SessionAuthMiddleware`."""

import pytest
from asgiref.sync import sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections
from django.test import Client

from tests.neighbourhoods.factories import PersonFactory, UserFactory
from yishi.websocket_auth import SessionAuthMiddleware

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


class Echo(AsyncJsonWebsocketConsumer):
    """Says who the socket is, and whether its sends are the server's own."""

    async def connect(self):
        await self.accept()
        user = self.scope["user"]
        await self.send_json(
            {
                "user": user.get_username() if user.is_authenticated else None,
                "person": getattr(getattr(user, "person", None), "pk", None),
                "session": self.scope["session"].session_key,
                "send_is_the_servers": self.base_send is self.scope["_server_send"],
            }
        )


class KeepsSend:
    """The server side: notes its `send`, to see that no middleware wraps it."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        return await self.inner(dict(scope, _server_send=send), receive, send)


application = KeepsSend(SessionAuthMiddleware(Echo.as_asgi()))


def _cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


async def _who(cookie: str | None) -> dict:
    headers = []
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    said = await communicator.receive_json_from()
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()
    return said


async def test_a_signed_in_socket_is_its_login_with_the_resident_record():
    person = await sync_to_async(PersonFactory)(user=await sync_to_async(UserFactory)())
    cookie = await sync_to_async(_cookie)(person.user)
    said = await _who(cookie)
    assert said["user"] == person.user.username
    assert said["person"] == person.pk  # loaded by our backend, with the login
    assert said["session"] == cookie
    assert said["send_is_the_servers"] is True  # nothing wraps each frame


@pytest.mark.parametrize("cookie", [None, "", "nonsense", "x" * 200, "'; drop"])
async def test_no_or_a_bad_cookie_is_anonymous(cookie):
    said = await _who(cookie)
    assert said["user"] is None


async def test_a_changed_password_signs_the_socket_out():
    """The session's auth hash is checked as for a page (Django's get_user)."""
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(_cookie)(user)
    user.set_password("another-Pass-2026")
    await sync_to_async(user.save)()
    assert (await _who(cookie))["user"] is None


async def test_a_session_of_an_old_secret_key_is_not_rekeyed_by_a_socket(settings):
    """After a key rotation a page re-keys its session (a new cookie); a socket
    cannot send one, so it is refused as signed out and the session is kept."""
    from django.contrib.sessions.backends.base import SessionBase

    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(_cookie)(user)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "another-secret-key-for-the-rotation-test-0123456789"
    assert (await _who(cookie))["user"] is None
    store = await sync_to_async(
        lambda: __import__(settings.SESSION_ENGINE, fromlist=["SessionStore"])
    )()
    assert await sync_to_async(store.SessionStore().exists)(cookie)
    assert issubclass(store.SessionStore, SessionBase)


async def test_several_cookie_headers_are_read_as_one():
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(_cookie)(user)
    headers = [
        (b"cookie", b"theme=large"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()),
    ]
    communicator = WebsocketCommunicator(application, "/ws/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["user"] == user.username
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()


def _ticket_for(user, path="/ws/"):
    from yishi.websocket_auth import socket_ticket

    client = Client()
    client.force_login(user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    return key, socket_ticket(user, key, path)


async def _who_at(path: str, cookie: str | None) -> dict:
    headers = []
    if cookie is not None:
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    said = await communicator.receive_json_from()
    await communicator.disconnect()
    return said


async def test_a_ticket_stands_for_the_session_until_the_login_is_needed():
    from yishi.websocket_auth import TicketUser, resolved

    person = await sync_to_async(PersonFactory)(user=await sync_to_async(UserFactory)())
    key, ticket = await sync_to_async(_ticket_for)(person.user)
    seen = {}

    class Resolving(AsyncJsonWebsocketConsumer):
        async def connect(self):
            await self.accept()
            user = self.scope["user"]
            seen["ticket"] = isinstance(user, TicketUser)
            seen["person"] = user.person_id
            seen["read"] = hasattr(self.scope["session"], "_session_cache")
            real = await sync_to_async(resolved)(user)
            seen["real"] = (type(real).__name__, real.pk)
            await self.send_json({})

    app = SessionAuthMiddleware(Resolving.as_asgi())
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())]
    communicator = WebsocketCommunicator(app, f"/ws/?ticket={ticket}", headers=headers)
    assert (await communicator.connect())[0]
    await communicator.receive_json_from()
    await communicator.disconnect()
    await sync_to_async(connections.close_all)()
    assert seen == {
        "ticket": True,
        "person": person.pk,  # known from the page's login: no query
        "read": False,
        "real": (type(person.user).__name__, person.user.pk),
    }


@pytest.mark.parametrize(
    "query",
    [
        "ticket=",
        "ticket=%ff%fe",
        "ticket=a:b:c",
        "ticket=" + "x" * 4000,
        "ticket=%00&ticket=",
        "ticket=&&&=&ticket",
    ],
)
async def test_a_hostile_ticket_is_ignored_and_the_session_decides(query):
    user = await sync_to_async(UserFactory)()
    cookie = await sync_to_async(_cookie)(user)
    said = await _who_at(f"/ws/?{query}", cookie)
    assert said["user"] == user.username
    assert (await _who_at(f"/ws/?{query}", None))["user"] is None
    await sync_to_async(connections.close_all)()


async def test_no_ticket_for_a_visitor_an_inactive_login_or_no_session():
    from django.contrib.auth.models import AnonymousUser

    from yishi.websocket_auth import socket_ticket

    assert socket_ticket(AnonymousUser(), "key", "/ws/") == ""
    inactive = UserFactory.build(is_active=False)
    assert socket_ticket(inactive, "key", "/ws/") == ""
    assert socket_ticket(UserFactory.build(), None, "/ws/") == ""


async def test_a_ticket_issued_before_a_heard_sign_out_is_not_taken():
    """A page reconnecting with its old cookie while its login signs out: the
    process heard the sign-out, the session decides."""
    from yishi import websocket_auth
    from yishi.websocket_auth import TicketUser

    user = await sync_to_async(UserFactory)()
    key, ticket = await sync_to_async(_ticket_for)(user)
    seen = []

    class Who(AsyncJsonWebsocketConsumer):
        async def connect(self):
            await self.accept()
            seen.append(isinstance(self.scope["user"], TicketUser))
            await self.send_json({})

    app = SessionAuthMiddleware(Who.as_asgi())
    headers = [(b"cookie", f"{settings.SESSION_COOKIE_NAME}={key}".encode())]
    for note in (False, True):
        if note:
            websocket_auth.note_signed_out(user.pk)
        socket = WebsocketCommunicator(app, f"/ws/?ticket={ticket}", headers=headers)
        assert (await socket.connect())[0]
        await socket.receive_json_from()
        await socket.disconnect()
    await sync_to_async(connections.close_all)()
    websocket_auth._signed_out.clear()
    assert seen == [True, False]


async def test_a_ticket_user_refuses_what_it_does_not_carry():
    """Code that needs more than the ticket carries fails loudly instead of
    reading None (`getattr(user, "person", None)` would deny a resident)."""
    from yishi.websocket_auth import TicketUser

    user = TicketUser(
        {"u": 5, "n": "lin", "s": False, "t": False, "r": -1, "p": "/", "k": ""},
        "key",
    )
    assert (user.pk, user.get_username(), user.person_id) == (5, "lin", ...)
    for name in ("person", "is_staff", "has_perm", "groups"):
        with pytest.raises(TypeError, match="resolved"):
            getattr(user, name, None)
    assert not hasattr(user, "__html__")  # dunder probes answer as usual
