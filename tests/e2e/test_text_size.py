"""The 大/中/小 switch: larger text at once, and still larger after a reload."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT_FONT_PX = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"
LARGE = re.compile(r"(^|\s)text-large(\s|$)")


def text_size_cookie(context) -> str | None:
    cookies = {c["name"]: c["value"] for c in context.cookies()}
    return cookies.get("yishi_text_size")


def test_large_text_with_javascript(page, context, site_home):
    page.goto("/")
    before = page.evaluate(ROOT_FONT_PX)

    # yishi.js switches the class at once and saves the choice with fetch().
    with page.expect_response(lambda r: "/text-size/" in r.url) as saved:
        page.get_by_role("button", name="大", exact=True).click()
    assert saved.value.status == 302
    expect(page.locator("html")).to_have_class(LARGE)
    larger = page.evaluate(ROOT_FONT_PX)
    assert larger > before
    expect(page.get_by_role("button", name="大", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert text_size_cookie(context) == "large"

    page.reload()
    expect(page.locator("html")).to_have_class(LARGE)
    assert page.evaluate(ROOT_FONT_PX) == larger


def test_large_text_without_javascript(new_context, site_home):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    before = page.evaluate(ROOT_FONT_PX)

    # The plain form POST: the server sets the cookie and redirects back.
    with page.expect_navigation():
        page.get_by_role("button", name="大", exact=True).click()
    expect(page.locator("html")).to_have_class(LARGE)
    larger = page.evaluate(ROOT_FONT_PX)
    assert larger > before
    assert text_size_cookie(context) == "large"

    page.reload()
    expect(page.locator("html")).to_have_class(LARGE)
    assert page.evaluate(ROOT_FONT_PX) == larger
    expect(page.get_by_role("button", name="大", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
