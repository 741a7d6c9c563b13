"""Reflow at 200% zoom, no request to any other host, Chinese glyphs."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_HORIZONTAL_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


PAGES = ["/", "/login/", "/search/?q=议事"]


# One test for all pages and sizes: each transactional test ends with a flush of every
# table, which costs more than loading a few pages.
def test_no_horizontal_scroll_at_200_percent_zoom(new_context, base_url, site_home):
    overflowing = []
    for size in ("medium", "large"):
        # A 1280 x 960 window at 200% zoom lays out as 640 x 480 CSS pixels at 2x.
        context = new_context(
            viewport={"width": 640, "height": 480}, device_scale_factor=2
        )
        context.add_cookies(
            [{"name": "yishi_text_size", "value": size, "url": base_url}]
        )
        page = context.new_page()
        for path in PAGES:
            page.goto(path)
            expect(page.locator("html")).to_have_class(f"text-{size}")
            if not page.evaluate(NO_HORIZONTAL_SCROLL):
                widths = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                overflowing.append((size, path, widths))
        context.close()
    assert overflowing == []


def test_home_page_loads_nothing_from_other_hosts(page, base_url, site_home):
    live = urlsplit(base_url).netloc
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))

    page.goto("/")
    page.wait_for_load_state("networkidle")

    assert any(url.endswith("/static/yishi/css/yishi.css") for url in requested)
    assert any(url.endswith("/static/yishi/js/yishi.js") for url in requested)
    foreign = [url for url in requested if urlsplit(url).netloc != live]
    assert foreign == []
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("h1")).to_have_text(site_home.title)

    # Kept out of git (var/): looked at by hand to check the CJK glyphs.
    shot = Path(settings.BASE_DIR) / "var" / "e2e-home.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 0


def test_chinese_text_renders_with_the_simplified_chinese_font(page, site_home):
    """Every glyph of the title comes from Noto Sans CJK SC: no tofu, no JP forms."""
    page.goto("/")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    for selector in ("h1", ".brand", "#text-size-label"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
        families = {font["familyName"] for font in fonts["fonts"]}
        assert families == {"Noto Sans CJK SC"}, (selector, fonts)
