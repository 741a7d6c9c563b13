"""One PostgreSQL connection per event loop, for the few writes a live room makes on
every event without a database thread.

A room's statement, the most frequent write of a meeting, used to go from the
socket's event loop to Django's database thread and back (`database_sync_to_async`).
On the machines measured, a thread woken after a pause costs more CPU than the
statement's queries (docs/benchmarks.md, "Live rooms: the statement written by the
event loop"): written on the loop with psycopg's asynchronous connection, a room of
100 costs about 7 % less CPU per delivery. Everything else still goes through
Django's ORM in its thread.

The connection is made from Django's own connection parameters (the same database,
user and type adapters — datetimes and JSON read and written as the ORM does) and
serves one transaction at a time: `lane()` yields it, or None while it is busy or
Django's database is not PostgreSQL — the caller then takes the ORM's path, so a
burst of statements is never queued behind one connection. A connection found
broken is dropped and made again on next use.

`close_idle()` closes the connections not in use (the test suite calls it after
each test: a test's event loop is gone by then, and an open connection would keep
its test database from being dropped).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections

CONNECT_TIMEOUT = 5  # seconds
_lock = threading.Lock()
# loop -> its lane: one per process under uvicorn, for the process's life; the
# test suite's loops come and go, and close_idle drops theirs
_lanes: dict[asyncio.AbstractEventLoop, _Lane] = {}


class _Lane:
    __slots__ = ("busy", "connection")

    def __init__(self) -> None:
        self.connection: psycopg.AsyncConnection | None = None
        self.busy = False


def available() -> bool:
    """PostgreSQL, connecting as Django's backend would without more to do: a role
    to assume or an isolation level to set is left to Django's own connections."""
    db = connections[DEFAULT_DB_ALIAS]
    if db.vendor != "postgresql":
        return False
    options = db.settings_dict.get("OPTIONS") or {}
    return not (options.get("assume_role") or options.get("isolation_level"))


def _parameters() -> dict:
    """Django's own connection parameters, as its backend would connect (read when
    connecting, so a test run reaches its test database)."""
    params = dict(connections[DEFAULT_DB_ALIAS].get_connection_params())
    params.pop("cursor_factory", None)  # Django's synchronous cursor
    # psycopg's default is 130 s: a database that does not answer must not hold a
    # statement that long before it is left to Django's thread (its pool: 30 s).
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    return params


@contextlib.asynccontextmanager
async def lane() -> AsyncIterator[psycopg.AsyncConnection | None]:
    """This loop's connection for one transaction, or None if it is busy or the
    database is not PostgreSQL. The caller opens the transaction
    (`connection.transaction()`); a connection left broken is dropped."""
    if not available():
        yield None
        return
    loop = asyncio.get_running_loop()
    with _lock:
        found = _lanes.get(loop)
        if found is None:
            found = _lanes[loop] = _Lane()
        if found.busy:
            found = None
        else:
            found.busy = True
    if found is None:
        yield None
        return
    try:
        if found.connection is None or found.connection.closed:
            found.connection = await psycopg.AsyncConnection.connect(**_parameters())
        yield found.connection
    finally:
        connection = found.connection
        # Broken, or left mid-transaction or mid-query (a task cancelled while it
        # waited on the database): made again rather than reused.
        idle = psycopg.pq.TransactionStatus.IDLE
        if connection is not None and (
            connection.closed or connection.info.transaction_status != idle
        ):
            found.connection = None
            with contextlib.suppress(psycopg.Error, OSError):
                await connection.close()
        found.busy = False


def close_idle() -> int:
    """Close every loop's connection not in use (synchronously: its loop may be
    gone); the number closed."""
    closed = 0
    with _lock:
        for loop, found in list(_lanes.items()):
            if found.busy:
                continue
            connection = found.connection
            found.connection = None
            del _lanes[loop]
            if connection is not None and not connection.closed:
                connection.pgconn.finish()
                closed += 1
    return closed
