"""The database guard of the published disclosures (see models.py's docstring).

* `register_sqlite_function`: gives every SQLite connection of this project the
  function `yishi_disclosure_locked()` that the SQLite triggers ask (1 = refuse).
* `flush_allowed(connection)`: the one context in which a whole-table wipe passes —
  Django's `flush`, wrapped by our flush command. On PostgreSQL it sets the session
  setting `yishi.disclosure_flush` that the TRUNCATE trigger reads, and resets it.

The triggers themselves are created by migration 0006_disclosures.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

_state = threading.local()


def _locked() -> int:
    return 0 if getattr(_state, "unlocked", 0) else 1


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: define the guard's function on SQLite."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "yishi_disclosure_locked", 0, _locked, deterministic=False
        )


@contextmanager
def flush_allowed(connection):
    """Inside: the flush may empty the disclosure table (and only the flush uses it)."""
    _state.unlocked = getattr(_state, "unlocked", 0) + 1
    postgres = connection.vendor == "postgresql"
    try:
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET yishi.disclosure_flush = 'on'")
        yield
    finally:
        _state.unlocked -= 1
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("RESET yishi.disclosure_flush")
