"""The topics a user may turn off, registered by the capabilities that send them.

A capability calls ``register(code, label)`` at import (its ``notifications.py``,
imported from its app's ready()); the preferences page lists what is registered.
"""

from __future__ import annotations

_TOPICS: dict[str, object] = {}


def register(code: str, label) -> str:
    _TOPICS[code] = label
    return code


def registered() -> dict[str, object]:
    return dict(_TOPICS)
