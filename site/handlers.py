"""An ASGI handler that runs a request's synchronous code in one thread hand-off.

Django's ASGIHandler builds its middleware chain in async mode. Our middleware and
views are synchronous, so the chain then hops between the event loop and a worker
thread around every middleware that is not async-capable, around each
`process_view` (CSRF) and around the view: 19 hand-offs per request, against 3
here (tests/site/test_handlers.py), a measurable share of a worker's CPU when 200
owners vote at once (docs/benchmarks.md). Built in sync mode instead, the whole
chain (middleware, URL resolution, view, template responses) runs in one call in
the request's thread, the thread that ASGIHandler's ThreadSensitiveContext gives
each request. An async view, if one is ever added, still works: Django runs it
with async_to_sync from that thread.
"""

from __future__ import annotations

import django
from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
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
