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
"""

from __future__ import annotations

from importlib import import_module

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth import get_user
from django.contrib.auth.models import AnonymousUser
from django.http.cookie import parse_cookie

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


def _load(session_key: str | None):
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(session_key)
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


class SessionAuthMiddleware(BaseMiddleware):
    async def __call__(self, scope, receive, send):
        session, user = await database_sync_to_async(_load)(_cookie(scope))
        scope = dict(scope, session=session, user=user)
        return await super().__call__(scope, receive, send)
