"""Browser tests: Debian's Chromium, driven by Playwright, against a live daphne.

The server is started once per session (see live_server.py for the traps it avoids);
each test is transactional so that what it writes is visible to the server process,
and gets the Wagtail home page back after the previous test's flush.
"""

import os

import pytest

from tests.e2e.live_server import LiveASGIServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous for a loaded CI machine, short enough that a broken page fails fast.
DEFAULT_TIMEOUT_MS = 10_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"


def _is_browser_test(item) -> bool:
    return item.get_closest_marker("e2e") is not None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    # Playwright's sync API leaves an event loop marked running in this thread, and
    # Django then refuses every ORM call (flush, factories). Allowed for browser tests
    # only, before any fixture runs, and withdrawn after their teardown.
    if _is_browser_test(item):
        os.environ[ASYNC_UNSAFE] = "true"
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _is_browser_test(item):
            os.environ.pop(ASYNC_UNSAFE, None)


@pytest.fixture(scope="session", autouse=True)
def asgi_live_server(django_db_setup, django_db_blocker):
    """daphne serving yishi.asgi.application (HTTP, static, websockets).

    Autouse so that it forks before the `playwright` fixture starts its event loop.
    """
    with django_db_blocker.unblock():
        server = LiveASGIServer("127.0.0.1").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(asgi_live_server):
    return asgi_live_server.url


@pytest.fixture(scope="session")
def ws_url(asgi_live_server):
    return asgi_live_server.ws_url


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
    }


@pytest.fixture
def new_context(new_context):
    """pytest-playwright's context factory, with a timeout that fails fast."""

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        return context

    return make


@pytest.fixture
def site_home(transactional_db):
    """The Wagtail home page, recreated after the previous test's flush."""
    from yishi.home import home_page_ensure

    return home_page_ensure()
