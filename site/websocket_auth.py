"""Whose websocket this is: the login of its session cookie, read once when it connects.

Channels' `AuthMiddlewareStack` does this with three middlewares, and its session
middleware also wraps every frame a socket sends, to save the session should a
response have changed it — which a websocket never does — asking the lazy session
two questions per frame: a sixth of the CPU of sending a room's events to 2,000
connections (py-spy, docs/benchmarks.md "Live rooms"). `SessionAuthMiddleware` is a
Channels `BaseMiddleware` (the documented way to write one): it reads the session
cookie, loads the session and the user with Django's own `get_user` (the session's
auth hash verified, as for a page) in one trip to the database thread, sets
`scope["session"]` and `scope["user"]` (the user, or AnonymousUser), and leaves
`send` alone.

A page that opens a socket may hand it a **ticket** (`socket_ticket`, in the query
string as `?ticket=`): what the socket would read from the session — the login's
id, name and the flags the room's entry needs — signed with the site's key, for
that socket's path only, bound to the browser's session cookie (a digest of its
key) and good for `TICKET_SECONDS`. A socket with a valid ticket is connected as a
`TicketUser` without reading the session or the user (a third of the CPU of
connecting 2,000 members, docs/benchmarks.md "Live rooms"); the session is read in
full, as without a ticket, the first time the socket's code needs the real login
(`resolved`: the database's seat check, or — for a room — right after the
snapshot is sent, in the background) and anything but the ticket's own login
refuses it. Without the cookie the ticket was bound to (signed out in
this browser: Django gives a new session key) the ticket is ignored, so it is
worth nothing on its own; an expired, altered or misplaced ticket is ignored too,
and the socket is authenticated by its session as before, as is one whose login
this process has heard sign out since the ticket was issued (`note_signed_out`).

What a ticket defers: a session ended elsewhere (a changed password, an
administrator's deactivation) can still *connect* to a room for up to
`TICKET_SECONDS` after its page was served; the room's consumer reads the session
once the socket has its snapshot and closes it then (4401) — moments later, before
it can act.
"""

from __future__ import annotations

import hmac
import time
from importlib import import_module
from urllib.parse import parse_qsl

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.http.cookie import parse_cookie
from django.utils.crypto import salted_hmac

from .sessions import CACHE_DOWN


class _SessionHolder:
    """What `django.contrib.auth.get_user` reads of a request: its session."""

    __slots__ = ("session",)

    def __init__(self, session) -> None:
        self.session = session


def _cookie(scope) -> str | None:
    # HTTP/2-style clients may send several Cookie headers: read them as one.
    values = [v.decode("latin1") for n, v in scope.get("headers", ()) if n == b"cookie"]
    if not values:
        return None
    return parse_cookie("; ".join(values)).get(settings.SESSION_COOKIE_NAME)


class _Rekeying(Exception):
    pass


def _refuse_rekeying() -> None:
    raise _Rekeying


def _session(session_key: str | None):
    """The session store's object for the key, not read yet."""
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _load(session_key: str | None):
    session = _session(session_key)
    # A session signed under a SECRET_KEY_FALLBACKS key is given a new key by
    # get_user, and a socket cannot hand the browser its new cookie (the page would
    # be signed out): such a socket is refused as not signed in; the next page
    # re-keys the session and the socket connects again.
    session.cycle_key = _refuse_rekeying
    try:
        return session, get_user(_SessionHolder(session))
    except _Rekeying:
        return session, AnonymousUser()
    except CACHE_DOWN:
        # Signing a stale session out needs Redis (yishi.sessions): the socket is
        # refused as not signed in (4401) rather than failing with a 500.
        return session, AnonymousUser()
    finally:
        del session.cycle_key


TICKET_SALT = "yishi.websocket_auth.ticket"
TICKET_SECONDS = 60
#: ticket field -> TicketUser attribute (short: the ticket travels in a URL)
_FIELDS = {
    "u": "pk",
    "n": "username",
    "s": "is_superuser",
    "t": "has_staff_assignment",
    "r": "person_id",
}


def _session_digest(session_key: str) -> str:
    return salted_hmac(TICKET_SALT, session_key).hexdigest()[:32]


def known_person_id(user):
    """The login's resident record id when known without a query — our backend
    loaded it with the login, or a ticket carries it (None: it has none); `...`
    when only a query could tell."""
    if isinstance(user, TicketUser):
        return user.person_id
    descriptor = getattr(type(user), "person", None)
    if descriptor is None or not descriptor.is_cached(user):
        return ...
    person = getattr(user, "person", None)
    return person.pk if person is not None else None


def socket_ticket(user, session_key: str | None, path: str) -> str:
    """The ticket a page hands its socket at `path` (the page's own login and
    session); "" when there is nothing to vouch for."""
    if not user.is_authenticated or not user.is_active or not session_key:
        return ""
    person_id = known_person_id(user)
    payload = {
        "p": path,
        "k": _session_digest(session_key),
        "u": user.pk,
        "n": user.get_username(),
        "s": bool(user.is_superuser),
        "t": getattr(user, "has_staff_assignment", None),
        "r": -1 if person_id is ... else person_id,
        "i": time.time(),
    }
    return signing.dumps(payload, salt=TICKET_SALT, compress=False)


class TicketUser:
    """The login a valid ticket vouches for, before its session is read: what the
    room's entry needs (id, name, the staff flags, the resident record's id) and
    nothing more. Code that needs the real login calls `resolved` (sync); asking a
    TicketUser for anything else (`person`, `is_staff`, a permission) is a defect
    and fails loudly rather than reading as None."""

    __slots__ = (*_FIELDS.values(), "id", "session_key", "real")
    is_authenticated = True
    is_anonymous = False
    is_active = True

    def __init__(self, payload: dict, session_key: str) -> None:
        for key, attribute in _FIELDS.items():
            setattr(self, attribute, payload[key])
        if self.person_id == -1:
            self.person_id = ...  # unknown: the database decides
        self.id = self.pk
        self.session_key = session_key
        self.real = None

    def get_username(self) -> str:
        return self.username

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise TypeError(
            f"TicketUser has no {name!r}: call yishi.websocket_auth.resolved() "
            "for the real login first"
        )

    def __repr__(self) -> str:
        return f"<TicketUser {self.pk}>"


def known(user):
    """The real login behind `user` if it is known without reading anything (a
    login, or a ticket whose session was read), else None."""
    return user.real if isinstance(user, TicketUser) else user


def resolved(user):
    """The real login behind `user` (sync: it may read the session and the user):
    a TicketUser's session read in full, as a socket without a ticket would be;
    AnonymousUser if it no longer holds the ticket's login."""
    if not isinstance(user, TicketUser):
        return user
    if user.real is None:
        _session, real = _load(user.session_key)
        user.real = real if real.pk == user.pk else AnonymousUser()
    return user.real


# user id -> when this process heard that login sign out (the rooms' sign-out
# broadcast), kept for a ticket's lifetime: a ticket issued before is not taken
# (the session decides), closing the race of a page reconnecting with its old
# cookie while the sign-out is under way.
_signed_out: dict[int, float] = {}


def note_signed_out(user_id: int) -> None:
    now = time.time()
    for stale in [u for u, at in _signed_out.items() if at < now - TICKET_SECONDS]:
        del _signed_out[stale]
    _signed_out[user_id] = now


def _ticketed(scope, session_key: str | None) -> TicketUser | None:
    """The ticket's login if the socket carries a valid ticket for its path and
    its session cookie; None otherwise (the session decides)."""
    if not session_key:
        return None
    query = scope.get("query_string", b"")
    if b"ticket=" not in query:
        return None
    ticket = dict(parse_qsl(query.decode("latin1"))).get("ticket", "")
    try:
        payload = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_SECONDS)
    except signing.BadSignature:  # altered, expired, or of another key
        return None
    if not isinstance(payload, dict) or not all(k in payload for k in _FIELDS):
        return None
    if _signed_out.get(payload["u"], 0.0) >= payload.get("i", 0.0):
        return None  # signed out since the page was served
    if payload.get("p") != scope.get("path") or not hmac.compare_digest(
        str(payload.get("k", "")), _session_digest(session_key)
    ):
        return None
    return TicketUser(payload, session_key)


class SessionAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        session_key = _cookie(scope)
        user = _ticketed(scope, session_key)
        if user is not None:
            scope = dict(scope, session=_session(session_key), user=user)  # unread
        else:
            session, user = await database_sync_to_async(_load)(session_key)
            scope = dict(scope, session=session, user=user)
        return await super().__call__(scope, receive, send)
