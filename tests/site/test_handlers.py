"""yishi.handlers.SyncChainASGIHandler: a request's sync code in one thread hand-off.

Measured by counting asgiref's adapters as a request runs through the real
middleware (settings.MIDDLEWARE) to a probe view, next to Django's stock handler.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import time

import pytest
from asgiref.sync import AsyncToSync, SyncToAsync
from asgiref.testing import ApplicationCommunicator
from django.core import signals
from django.core.handlers.asgi import ASGIHandler
from django.http import HttpResponse, StreamingHttpResponse
from django.test import override_settings
from django.urls import path

from yishi.handlers import SyncChainASGIHandler

SEEN: list[tuple[str, int]] = []


class ProbeMiddleware:
    """Placed first in the chain: notes the thread it runs in.

    Sync-only, like most middleware; not placed last, where a sync-only middleware
    would itself put the stock handler's chain in sync mode.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        SEEN.append(("middleware", threading.get_ident()))
        return self.get_response(request)


def probe_view(request):
    SEEN.append(("view", threading.get_ident()))
    return HttpResponse(f"lang={request.LANGUAGE_CODE}")


BARRIER: list[threading.Barrier] = []


def barrier_view(request):
    """Returns only when every request of the batch is inside a view at once."""
    SEEN.append(("view", threading.get_ident()))
    BARRIER[0].wait(timeout=10)
    return HttpResponse("together")


def slow_view(request):
    time.sleep(3)
    return HttpResponse("slow")


def streaming_view(request):
    def chunks():
        for i in range(3):
            SEEN.append(("chunk", threading.get_ident()))
            yield f"part{i};".encode()

    SEEN.append(("view", threading.get_ident()))
    return StreamingHttpResponse(chunks())


def disconnect_view(request):
    """Runs on until told that the client has gone (then 1 s more)."""
    SEEN.append(("view", threading.get_ident()))
    GONE[0].wait(timeout=10)
    time.sleep(0.2)
    SEEN.append(("view-end", threading.get_ident()))
    return HttpResponse("nobody reads this")


GONE: list[threading.Event] = [threading.Event()]
RUNNING = {"now": 0, "most": 0}
RUNNING_LOCK = threading.Lock()


def counted_view(request):
    with RUNNING_LOCK:
        RUNNING["now"] += 1
        RUNNING["most"] = max(RUNNING["most"], RUNNING["now"])
    time.sleep(0.2)
    with RUNNING_LOCK:
        RUNNING["now"] -= 1
    return HttpResponse("counted")


urlpatterns = [
    path("counted/", counted_view),
    path("streaming/", streaming_view),
    path("disconnect/", disconnect_view),
    path("probe/", probe_view),
    path("barrier/", barrier_view),
    path("slow/", slow_view),
]


def _wait_idle(handler, count: int, seconds: float = 5.0) -> None:
    """Threads are given back from their own thread once idle: wait for it."""
    deadline = time.monotonic() + seconds
    while len(handler._idle) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(handler._idle) >= count


def _scope(url: str = "/probe/") -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": url,
        "raw_path": url.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }


async def _get(application, url: str = "/probe/") -> tuple[int, bytes]:
    communicator = ApplicationCommunicator(application, _scope(url))
    await communicator.send_input({"type": "http.request", "body": b""})
    start = await communicator.receive_output(5)
    body = await communicator.receive_output(5)
    await communicator.wait(5)
    return start["status"], body["body"]


def _handoffs(handler_class) -> tuple[int, int, int, bytes]:
    """(sync_to_async calls, async_to_sync calls, status, body) of one request."""
    from django.conf import settings

    middleware = [
        "tests.site.test_handlers.ProbeMiddleware",
        *settings.MIDDLEWARE,
    ]
    counts = {"s2a": 0, "a2s": 0}
    s2a_call, a2s_call = SyncToAsync.__call__, AsyncToSync.__call__

    async def counting_s2a(self, *args, **kwargs):
        counts["s2a"] += 1
        return await s2a_call(self, *args, **kwargs)

    def counting_a2s(self, *args, **kwargs):
        counts["a2s"] += 1
        return a2s_call(self, *args, **kwargs)

    with override_settings(MIDDLEWARE=middleware, ROOT_URLCONF=__name__):
        handler = handler_class()
        SEEN.clear()
        SyncToAsync.__call__, AsyncToSync.__call__ = counting_s2a, counting_a2s
        try:
            status, body = asyncio.run(_get(handler))
        finally:
            SyncToAsync.__call__, AsyncToSync.__call__ = s2a_call, a2s_call
    return counts["s2a"], counts["a2s"], status, body


def test_one_handoff_for_the_whole_chain():
    s2a, a2s, status, body = _handoffs(SyncChainASGIHandler)
    assert status == 200
    assert body == b"lang=zh-hans"  # LocaleMiddleware ran
    # The probe and the view ran in one thread.
    assert [kind for kind, _ in SEEN] == ["middleware", "view"]
    assert len({ident for _, ident in SEEN}) == 1
    assert SEEN[0][1] != threading.get_ident()  # not on the event loop's thread
    # request_started, the chain and response.close() in one hand-off; nothing goes
    # back to the loop.
    assert s2a == 1
    assert a2s == 0


def test_the_stock_handler_hands_off_far_more():
    """What the handler replaces, measured the same way (documents the gain)."""
    stock_s2a, stock_a2s, status, _ = _handoffs(ASGIHandler)
    ours_s2a, ours_a2s, _, _ = _handoffs(SyncChainASGIHandler)
    assert status == 200
    assert stock_s2a + stock_a2s >= 3 * (ours_s2a + ours_a2s)


@pytest.mark.django_db(transaction=True)
def test_the_project_application_serves_through_it(settings):
    from yishi import asgi

    assert isinstance(asgi.django_asgi_app, SyncChainASGIHandler)
    communicator_scope = _scope() | {"path": "/healthz", "raw_path": b"/healthz"}

    async def get():
        communicator = ApplicationCommunicator(asgi.application, communicator_scope)
        await communicator.send_input({"type": "http.request", "body": b""})
        start = await communicator.receive_output(5)
        await communicator.receive_output(5)
        return start["status"]

    assert asyncio.run(get()) == 200


def test_idle_threads_are_reused_but_never_shared_by_two_requests():
    with override_settings(ROOT_URLCONF=__name__):
        handler = SyncChainASGIHandler()
        SEEN.clear()

        async def one_after_another():
            for _ in range(5):
                assert await _get(handler) == (200, b"lang=zh-hans")
                await asyncio.to_thread(_wait_idle, handler, 1)

        asyncio.run(one_after_another())
        assert len({ident for _, ident in SEEN}) == 1  # one thread, lent five times

        # Five at once: each must have a thread of its own, or the barrier in the
        # view would never be passed by all five.
        SEEN.clear()
        BARRIER[:] = [threading.Barrier(5)]

        async def all_at_once():
            return await asyncio.gather(*(_get(handler, "/barrier/") for _ in range(5)))

        assert asyncio.run(all_at_once()) == [(200, b"together")] * 5
        assert len({ident for _, ident in SEEN}) == 5
        _wait_idle(handler, 5)  # all given back, kept for the next requests


def test_a_forked_process_does_not_borrow_the_parents_threads():
    """The e2e live server and pre-loading servers fork after a request was served:
    the idle threads stay in the parent, so the child must start its own."""
    with override_settings(ROOT_URLCONF=__name__):
        handler = SyncChainASGIHandler()
        assert asyncio.run(_get(handler))[0] == 200
        _wait_idle(handler, 1)  # an idle thread, alive in this process only
        pid = os.fork()
        if pid == 0:  # the child: answer within 5 s or fail
            code = 1
            try:

                async def get():
                    return await asyncio.wait_for(_get(handler), 5)

                code = 0 if asyncio.run(get())[0] == 200 else 1
            finally:
                os._exit(code)
        deadline = time.monotonic() + 20
        while (done := os.waitpid(pid, os.WNOHANG))[0] == 0:
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                pytest.fail("the forked child did not answer in 20 s")
            time.sleep(0.05)
    assert os.waitstatus_to_exitcode(done[1]) == 0


def test_a_cancelled_request_still_running_does_not_hold_up_the_next():
    """daphne cancels a request whose client went away; its view runs on in its
    thread, and that thread is lent again only once the view has returned."""
    with override_settings(ROOT_URLCONF=__name__):
        handler = SyncChainASGIHandler()

        async def cancel_slow_then_time_fast():
            inbox: asyncio.Queue = asyncio.Queue()
            await inbox.put({"type": "http.request", "body": b""})

            async def send(message):
                pass

            slow = asyncio.ensure_future(handler(_scope("/slow/"), inbox.get, send))
            await asyncio.sleep(0.3)  # the slow view is running in its thread
            slow.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await slow
            started = time.monotonic()
            assert await _get(handler) == (200, b"lang=zh-hans")
            return time.monotonic() - started

        assert asyncio.run(cancel_slow_then_time_fast()) < 1.5
        _wait_idle(handler, 2)  # the slow view's thread too, once it has returned


@contextlib.contextmanager
def _signals_seen():
    """Note request_started / request_finished and the thread each ran in."""

    def started(**kwargs):
        SEEN.append(("started", threading.get_ident()))

    def finished(**kwargs):
        SEEN.append(("finished", threading.get_ident()))

    signals.request_started.connect(started, dispatch_uid="probe-started")
    signals.request_finished.connect(finished, dispatch_uid="probe-finished")
    try:
        yield
    finally:
        signals.request_started.disconnect(dispatch_uid="probe-started")
        signals.request_finished.disconnect(dispatch_uid="probe-finished")


def test_started_and_finished_once_each_in_the_requests_thread():
    with override_settings(ROOT_URLCONF=__name__), _signals_seen():
        handler = SyncChainASGIHandler()
        SEEN.clear()
        assert asyncio.run(_get(handler)) == (200, b"lang=zh-hans")
    assert [kind for kind, _ in SEEN] == ["started", "view", "finished"]
    assert len({ident for _, ident in SEEN}) == 1


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous")
def test_a_streaming_response_is_sent_whole_then_closed_in_its_thread():
    with override_settings(ROOT_URLCONF=__name__), _signals_seen():
        handler = SyncChainASGIHandler()
        SEEN.clear()

        async def get_all():
            communicator = ApplicationCommunicator(handler, _scope("/streaming/"))
            await communicator.send_input({"type": "http.request", "body": b""})
            start = await communicator.receive_output(5)
            body = b""
            while True:
                message = await communicator.receive_output(5)
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            await communicator.wait(5)
            return start["status"], body

        assert asyncio.run(get_all()) == (200, b"part0;part1;part2;")
    kinds = [kind for kind, _ in SEEN]
    assert kinds == ["started", "view", "chunk", "chunk", "chunk", "finished"]
    assert len({ident for _, ident in SEEN}) == 1  # the request's thread throughout


def test_a_client_that_goes_away_ends_the_request_once_after_its_view():
    """The view runs on in its thread; request_finished (connections back to the
    pool) comes once, after it, in that thread; then the thread is lent again."""
    with override_settings(ROOT_URLCONF=__name__), _signals_seen():
        handler = SyncChainASGIHandler()
        SEEN.clear()
        GONE[0] = threading.Event()
        sent: list[dict] = []

        async def request_then_leave():
            inbox: asyncio.Queue = asyncio.Queue()
            await inbox.put({"type": "http.request", "body": b""})

            async def send(message):
                sent.append(message)

            served = asyncio.ensure_future(
                handler(_scope("/disconnect/"), inbox.get, send)
            )
            await asyncio.sleep(0.3)  # the view is running
            await inbox.put({"type": "http.disconnect"})
            await asyncio.sleep(0.1)
            GONE[0].set()
            await asyncio.wait_for(served, 10)

        asyncio.run(request_then_leave())
        _wait_idle(handler, 1)
    assert not sent  # nothing was sent to a client that had gone
    kinds = [kind for kind, _ in SEEN]
    assert kinds == ["started", "view", "view-end", "finished"]
    assert len({ident for _, ident in SEEN}) == 1


def test_a_request_refused_before_the_chain_is_answered_and_finished():
    """create_request's own refusals (a bad path: 400; too large: 413) are sent and
    the request ends once, as with Django's handler."""
    from django.http import HttpResponseBadRequest

    with override_settings(ROOT_URLCONF=__name__), _signals_seen():
        handler = SyncChainASGIHandler()
        handler.create_request = lambda scope, body_file: (
            None,
            HttpResponseBadRequest("bad"),
        )
        SEEN.clear()
        assert asyncio.run(_get(handler)) == (400, b"bad")
    assert [kind for kind, _ in SEEN] == ["started", "finished"]


@pytest.mark.parametrize(("limit", "most"), [(2, 2), (0, 6)])
def test_at_most_so_many_requests_run_django_code_at_once(limit, most):
    """The others wait on the event loop and are served in turn; 0: no limit."""
    with override_settings(ROOT_URLCONF=__name__, YISHI_REQUEST_CONCURRENCY=limit):
        handler = SyncChainASGIHandler()
        RUNNING.update(now=0, most=0)

        async def six_at_once():
            return await asyncio.gather(*(_get(handler, "/counted/") for _ in range(6)))

        started = time.monotonic()
        assert asyncio.run(six_at_once()) == [(200, b"counted")] * 6
        elapsed = time.monotonic() - started
    assert RUNNING["most"] == most
    if limit:
        assert elapsed >= 0.2 * 6 / limit - 0.05  # three rounds of two


def test_a_failing_request_finished_receiver_does_not_cost_the_answer(caplog):
    """The in-memory response is closed before it is sent: if that fails, the client
    still gets what the view answered (as with Django's handler) and it is logged."""

    def broken(**kwargs):
        raise RuntimeError("receiver failed")

    signals.request_finished.connect(broken, dispatch_uid="probe-broken")
    try:
        with override_settings(ROOT_URLCONF=__name__):
            handler = SyncChainASGIHandler()
            assert asyncio.run(_get(handler)) == (200, b"lang=zh-hans")
            _wait_idle(handler, 1)
    finally:
        signals.request_finished.disconnect(dispatch_uid="probe-broken")
    assert any(
        "Closing the response" in record.getMessage()
        and "receiver failed" in str(record.exc_info[1])
        for record in caplog.records
    )
