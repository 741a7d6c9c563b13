"""An ASGI handler that runs a request's synchronous code cheaply.

Django's ASGIHandler builds its middleware chain in async mode. Our middleware and
views are synchronous, so the chain then hops between the event loop and a worker
thread around every middleware that is not async-capable, around each
`process_view` (CSRF) and around the view; the `request_started` signal and the
response's `close()` (`request_finished`) are hand-offs of their own: 19 per
request, against 1 here (tests/site/test_handlers.py). It also starts a new thread
for every request and joins it at the end. Both were a measurable share of a
worker's CPU when 200 owners vote at once (docs/benchmarks.md). This handler:

* runs a request's synchronous part in one call in the request's thread:
  `request_started`, the request object, the middleware chain (built in sync mode),
  URL resolution, the view and, for a response held in memory, its `close()`
  (`request_finished`: connections back to the pool) — done before the bytes are
  sent, as nothing in the response needs them any more. A streaming response is
  iterated and closed after sending, in the same thread, as Django does;
* handles at most `YISHI_REQUEST_CONCURRENCY` requests of a process at once
  (settings: the size of its database pool); the others wait on the event loop,
  before their body is read, where waiting costs next to nothing. With 67 requests
  in flight per process, all in threads, the threads fought over the GIL and over
  eight database connections: the same votes cost a fifth more CPU than with 6 to 12
  at a time (docs/benchmarks.md). As with the threads of a WSGI server, a slow
  request (a PDF) holds its place until it is answered; behind nginx, which buffers
  request and response bodies, a slow phone does not;
* lends each request a thread from a set of idle single-thread executors (asgiref's
  ThreadSensitiveContext(executor=...), made for this), as a WSGI server reuses its
  threads for request after request. A request still has its thread to itself from
  start to end, so Django's connections and thread-locals work as before, and a
  thread is lent again only when the last call in it has returned.

An async view, if one is ever added, still works: Django runs it with async_to_sync
from the request's thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import django
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse
from django.urls import set_script_prefix

logger = logging.getLogger(__name__)

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
        self._concurrency = int(getattr(settings, "YISHI_REQUEST_CONCURRENCY", 0) or 0)
        # One semaphore per event loop (a server runs one; tests run many).
        self._slots: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _slot(self):
        """What a request holds while it is handled (see the module doc)."""
        if self._concurrency <= 0:
            return contextlib.nullcontext()
        loop = asyncio.get_running_loop()
        slots = self._slots.get(loop)
        if slots is None:
            slots = self._slots[loop] = asyncio.Semaphore(self._concurrency)
        return slots

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(
                f"Django can only handle ASGI/HTTP connections, not {scope['type']}."
            )
        async with self._slot():
            executor = self._borrow()
            finished = False
            try:
                async with ThreadSensitiveContext(executor=executor):
                    await self.handle(scope, receive, send)
                # `handle` awaited every call it gave the thread: the thread is idle.
                finished = True
            finally:
                if finished:
                    self._give_back(executor)
                else:
                    # Given back once its thread is idle: a cancelled request's view
                    # may still be running there, and the next request must not
                    # queue behind it.
                    executor.submit(_idle_now).add_done_callback(
                        lambda _done: self._give_back(executor)
                    )

    async def handle(self, scope, receive, send):
        """Django's `ASGIHandler.handle` with its three hand-offs made one."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        outcome: dict = {}  # filled in the request's thread by `_respond`

        async def process_request():
            response = await sync_to_async(self._respond, thread_sensitive=True)(
                scope, body_file, outcome
            )
            # As Django: the client may go away while the response is being sent.
            with contextlib.suppress(asyncio.CancelledError):
                await self.send_response(response, send)
            return response

        tasks = [
            # As Django: the disconnect listener first, so that its end can cancel
            # the request (whose thread then runs on to the end of `_respond`).
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(process_request()),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    pass
                except AssertionError:
                    body_file.close()
                    raise
            else:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if not outcome.get("closed"):
            # A streaming response, or a request abandoned before `_respond` closed
            # its response: closed here, in its thread, after `_respond`.
            await sync_to_async(self._finish, thread_sensitive=True)(outcome)
        body_file.close()

    def _respond(self, scope, body_file, outcome: dict):
        """In the request's thread: from `request_started` to a response."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)  # set_urlconf, the chain, logging
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        outcome["response"] = response
        if not response.streaming:
            # Held in memory: nothing needs the request or the connections now. A
            # failing `request_finished` receiver must not cost the client the answer
            # to what was done (Django's handler sends first and closes after).
            outcome["closed"] = True
            try:
                response.close()
            except Exception:
                logger.exception("Closing the response of %s failed", request)
        return response

    @staticmethod
    def _finish(outcome: dict) -> None:
        if outcome.get("closed"):
            return
        response = outcome.get("response")
        if response is not None:
            response.close()
        else:
            # Abandoned before `_respond` ran: as Django, end the request anyway.
            signals.request_finished.send(sender=SyncChainASGIHandler)

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
        # The chain in sync mode, called by `get_response` in the request's thread.
        super().load_middleware(is_async=False)


def get_sync_chain_application() -> SyncChainASGIHandler:
    """Like django.core.asgi.get_asgi_application(), with the handler above."""
    django.setup(set_prefix=False)  # as get_asgi_application() does
    return SyncChainASGIHandler()
