"""Suite-wide fixtures and the service markers.

`postgres` and `redis` tests run when DATABASE_URL / REDIS_URL point at the real
services and are skipped (with the reason) otherwise; under CI
(YISHI_REQUIRE_SERVICES=1) a missing service is an error, not a skip.
Browser tests (`e2e`) need Debian's Chromium and run last.
"""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"


def _services_required() -> bool:
    return os.environ.get("YISHI_REQUIRE_SERVICES") == "1"


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    on_redis = bool(os.environ.get("REDIS_URL"))
    has_chromium = os.path.exists(CHROMIUM) or shutil.which("chromium") is not None
    missing = {
        "postgres": None if on_postgres else "needs PostgreSQL: set DATABASE_URL",
        "redis": None if on_redis else "needs Redis: set REDIS_URL",
        "e2e": None
        if has_chromium
        else "needs Debian's chromium (make test installs it)",
    }
    if _services_required():
        absent = [reason for reason in missing.values() if reason]
        if absent:
            raise pytest.UsageError("CI requires: " + "; ".join(absent))
    for item in items:
        for marker, reason in missing.items():
            if reason and item.get_closest_marker(marker):
                item.add_marker(pytest.mark.skip(reason=reason))
    # Browser tests leave an event loop marked running: keep them after everything else.
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture
def home_page(db):
    """The site's home page (recreated where a transactional test flushed it)."""
    from yishi.home import home_page_ensure

    return home_page_ensure()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel-layer instance. A layer is kept per process,
    and channels_redis binds its receiving to the event loop of its first receive:
    a live room's per-process subscription (yishi.livehub) left receiving in an
    earlier test's loop would otherwise make a later test's receive wait forever."""
    yield
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _event_loop_connections_closed():
    """A live room's statement may be written by its event loop's own PostgreSQL
    connection (yishi.asyncdb), kept with that loop. A test's loop is gone when the
    test ends: its connection is closed here, not left open until the test database
    is dropped (PostgreSQL refuses to drop a database someone is connected to)."""
    yield
    from yishi import asyncdb

    asyncdb.close_idle()
