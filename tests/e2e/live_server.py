"""A live daphne server for browser tests: HTTP, static files and websockets.

pytest-django's `live_server` is WSGI and cannot speak websockets, so the browser
tests get `yishi.asgi.application` served by daphne in a forked child process,
on 127.0.0.1 and a free port, against the test database the parent created.

Why each step below exists:
- fork, not spawn: the child inherits the configured Django (test database name,
  settings) and pytest-django's database unblocking, as long as the fork happens
  inside `django_db_blocker.unblock()`.
- the parent closes its database connections before forking: a socket or SQLite
  handle shared by two processes corrupts both sides' sessions.
- the child replaces asgiref's `SyncToAsync.single_thread_executor`: it inherits the
  executor object but not its worker thread, and every `database_sync_to_async`
  would then wait forever.
- the child forgets the parent's channel layers: their asyncio locks are bound to
  the parent's event loops ("bound to a different event loop" on the first
  websocket otherwise, seen when a test had cancelled a layer receive);
- the child drops `DJANGO_ALLOW_ASYNC_UNSAFE`: it is set in the test process only
  because Playwright's sync API leaves a loop marked running there; the server must
  keep Django's async-safety checks, or an ORM call in a consumer would pass here
  and fail in production.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import traceback
from concurrent.futures import ThreadPoolExecutor

_FORK = multiprocessing.get_context("fork")
STARTUP_TIMEOUT = 20


def _build_application():
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from yishi.asgi import application

    # DEBUG is off in tests, so Django would not serve /static/; the handler does,
    # from the finders, and passes websockets straight through.
    return ASGIStaticFilesHandler(application)


def _reset_inherited_state() -> None:
    from asgiref.sync import SyncToAsync
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    SyncToAsync.single_thread_executor = ThreadPoolExecutor(max_workers=1)
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # A loop the parent had marked running (Playwright) must not look running here.
    asyncio.events._set_running_loop(None)
    # The child's in-memory cache starts as a stale copy of the parent's; shared
    # caches (Redis) are left alone.
    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()
    # The parent's channel layers hold asyncio locks bound to the parent's event
    # loops (one may be left locked by a test's cancelled receive): the child builds
    # its own on first use.
    from channels.layers import channel_layers

    channel_layers.backends = {}
    # The server announces live changes as production does (the test process keeps
    # its own setting, "off" by default): changes made through the browser reach
    # the other pages' sockets, as the live room's browser test checks.
    from django.conf import settings

    settings.YISHI_BROADCAST = "coalesce"


class _DaphneProcess(_FORK.Process):
    def __init__(self, host: str):
        super().__init__(daemon=True, name="yishi-e2e-daphne")
        self.host = host
        self.port = _FORK.Value("i", 0)
        self.ready = _FORK.Event()
        self.errors = _FORK.Queue()

    def run(self):
        try:
            _reset_inherited_state()
            # daphne installs the asyncio reactor on import: install a fresh loop
            # first, so nothing of the parent's event loop is reused.
            import sys

            from twisted.internet import asyncioreactor

            sys.modules.pop("twisted.internet.reactor", None)
            sys.modules.pop("daphne.server", None)
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            asyncioreactor.install(loop)

            from daphne.endpoints import build_endpoint_description_strings
            from daphne.server import Server
            from twisted.internet import reactor

            server = Server(
                application=_build_application(),
                endpoints=build_endpoint_description_strings(host=self.host, port=0),
                signal_handlers=False,
            )

            def announce_port():
                if server.listening_addresses:
                    self.port.value = server.listening_addresses[0][1]
                    self.ready.set()
                else:
                    reactor.callLater(0.05, announce_port)

            reactor.callLater(0.05, announce_port)
            server.run()
        except BaseException as error:
            self.errors.put(f"{error!r}\n{traceback.format_exc()}")
            raise


class LiveASGIServer:
    """Start with `start()` inside `django_db_blocker.unblock()`; stop with `stop()`."""

    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self._process: _DaphneProcess | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    @property
    def port(self) -> int:
        assert self._process is not None, "server not started"
        return self._process.port.value

    def start(self) -> LiveASGIServer:
        from django.db import connections

        for connection in connections.all():
            if connection.vendor == "sqlite" and connection.is_in_memory_db():
                raise RuntimeError(
                    "The live server needs a file or server database: an in-memory "
                    "SQLite database is not shared with another process."
                )
        connections.close_all()
        self._process = _DaphneProcess(self.host)
        self._process.start()
        if not self._process.ready.wait(STARTUP_TIMEOUT):
            error = "no error reported"
            if not self._process.errors.empty():
                error = self._process.errors.get_nowait()
            self.stop()
            raise RuntimeError(f"daphne did not start: {error}")
        return self

    def stop(self) -> None:
        if self._process is None:
            return
        self._process.terminate()
        self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._process = None
