"""Log in through the form, then the presence websocket over the live daphne."""

import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.neighbourhoods.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Yishi-2026"  # UserFactory's

# Opens /ws/presence/ from the page (so the page's CSP applies), answers the hello
# with a ping and resolves with every message once both the pong and a presence
# broadcast with the pong's count have arrived (in either order: the broadcast goes
# through the channel layer, the pong does not); rejects with the close code if
# refused.
OPEN_PRESENCE_SOCKET = """
() => new Promise((resolve, reject) => {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/presence/`);
  const seen = [];
  const timer = setTimeout(
    () => reject(new Error("timeout " + JSON.stringify(seen))), 8000);
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    seen.push(message);
    if (message.type === "hello") socket.send(JSON.stringify({type: "ping", id: 1}));
    // The page's own presence script may join while this socket opens, so the
    // count can move: wait for the broadcast that carries the pong's count.
    const pong = seen.find((m) => m.type === "pong");
    if (pong && seen.some((m) => m.type === "presence" && m.online === pong.online)) {
      clearTimeout(timer);
      socket.close();
      resolve(seen);
    }
  };
  socket.onclose = (event) => {
    clearTimeout(timer);
    reject(new Error("closed " + event.code));
  };
})
"""


def log_in(page, username: str) -> None:
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def test_anonymous_page_cannot_open_the_socket(page, site_home):
    page.goto("/")
    with pytest.raises(PlaywrightError, match=r"closed \d+"):
        page.evaluate(OPEN_PRESENCE_SOCKET)


def test_logged_in_page_gets_hello_and_pong(page, base_url, site_home):
    UserFactory(username="wangayi")
    log_in(page, "wangayi")
    assert page.url == base_url + "/"

    messages = page.evaluate(OPEN_PRESENCE_SOCKET)

    assert messages[0] == {"type": "hello", "user": "wangayi"}
    (pong,) = [m for m in messages if m["type"] == "pong"]
    assert pong["id"] == 1
    assert pong["online"] >= 1
    assert {"type": "presence", "online": pong["online"]} in messages


def test_presence_script_connects_and_shows_the_count(page, site_home):
    UserFactory(username="lishushu")
    # Installed before any page script runs, so no message is missed.
    page.add_init_script(
        """window.presenceSeen = [];
        document.addEventListener(
          "yishi:presence", (e) => window.presenceSeen.push(e.detail));"""
    )
    log_in(page, "lishushu")
    script = page.locator("script[src$='/yishi/js/presence.js']")
    if script.count() == 0:
        # Until base.html loads it for logged-in users, the test adds it.
        page.add_script_tag(url="/static/yishi/js/presence.js")

    expect(page.locator("html")).to_have_attribute("data-presence", "open")
    expect(page.locator("html")).to_have_attribute(
        "data-presence-online", re.compile(r"^[1-9]\d*$")
    )
    page.wait_for_function(
        """() => window.presenceSeen.some((m) => m.type === "pong" && m.id === 1)
          && window.presenceSeen.some((m) => m.type === "presence")"""
    )
    kinds = page.evaluate("() => window.presenceSeen.map((m) => m.type)")
    assert kinds[0] == "hello"
