"""An ASGI handler that runs a request's synchronous code cheaply.

Django's ASGIHandler builds its middleware chain in async mode. Our middleware and
views are synchronous, so the chain then hops between the event loop and a worker
thread around every middleware that is not async-capable, around each
`process_view` (CSRF) and around the view: 19 hand-offs per request, against 3
here (tests/site/test_handlers.py). It also starts a new thread for every request
and joins it at the end. Both were a measurable share of a worker's CPU when 200
owners vote at once (docs/benchmarks.md). This handler:

* builds the chain in sync mode: middleware, URL resolution, view and template
  responses run in one call in the request's thread;
* lends each request a thread from a set of idle single-thread executors (asgiref's
  ThreadSensitiveContext(executor=...), made for this), as a WSGI server reuses its
  threads for request after request. A request still has its thread to itself from
  start to end, so Django's connections and thread-locals work as before, and a
  thread is lent again only when the last call in it has returned.

An async view, if one is ever added, still works: Django runs it with async_to_sync
from the request's thread.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers.asgi import ASGIHandler

# Idle request threads kept for reuse. More are started when more requests run at
# once; those beyond this number are shut down when their request ends.
IDLE_THREADS_KEPT = 64


def _idle_now() -> None:
    """Runs in a request's thread after its last call: the thread is free again."""


class SyncChainASGIHandler(ASGIHandler):
    def __init__(self) -> None:
        super().__init__()
        self._idle: list[ThreadPoolExecutor] = []
        self._idle_lock = threading.Lock()
        self._idle_pid = os.getpid()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(
                f"Django can only handle ASGI/HTTP connections, not {scope['type']}."
            )
        executor = self._borrow()
        try:
            async with ThreadSensitiveContext(executor=executor):
                await self.handle(scope, receive, send)
        finally:
            # Given back once its thread is idle: a cancelled request's view may
            # still be running there (daphne cancels a request 10 s after its client
            # went away), and the next request must not queue behind it.
            executor.submit(_idle_now).add_done_callback(
                lambda _done: self._give_back(executor)
            )

    def _borrow(self) -> ThreadPoolExecutor:
        if self._idle_pid != os.getpid():
            # Forked after serving (a pre-loading server, a test's live server): the
            # idle executors' threads stayed in the parent, and work handed to them
            # here would wait for ever. Start afresh; the lock may have been held.
            self._idle, self._idle_lock = [], threading.Lock()
            self._idle_pid = os.getpid()
        with self._idle_lock:
            if self._idle:
                return self._idle.pop()
        return ThreadPoolExecutor(max_workers=1, thread_name_prefix="yishi-request")

    def _give_back(self, executor: ThreadPoolExecutor) -> None:
        if self._idle_pid != os.getpid():
            return  # a callback that outlived a fork
        with self._idle_lock:
            if len(self._idle) < IDLE_THREADS_KEPT:
                self._idle.append(executor)
                return
        executor.shutdown(wait=False)

    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        # get_response_async awaits the chain: one thread-sensitive hand-off for all.
        self._middleware_chain = sync_to_async(
            self._middleware_chain, thread_sensitive=True
        )


def get_sync_chain_application() -> SyncChainASGIHandler:
    """Like django.core.asgi.get_asgi_application(), with the handler above."""
    django.setup(set_prefix=False)  # as get_asgi_application() does
    return SyncChainASGIHandler()
