"""A resident's request from WeChat's in-app browser (issue 13: "pages work in WeChat's
in-app browser"): WeChat's Android user agent, a 375-px-wide phone screen, and
JavaScript turned off — the form is a plain POST, so submitting cannot rely on a
script. The resident signs in, submits a request to a representative and sees it on
the request's page and in "my requests"; no page scrolls sideways."""

import pytest
from playwright.sync_api import expect

from consultation.liaison.models import LiaisonRequest
from tests.consultation.liaison.factories import liaison_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WECHAT_ANDROID = (
    "Mozilla/5.0 (Linux; Android 12; V2134A Build/SP1A.210812.003; wv) "
    "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 "
    "Mobile Safari/537.36 XWEB/5061 MMWEBSDK/20231202 MMWEBID/2585 "
    "MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 Weixin NetType/WIFI "
    "Language/zh_CN ABI/arm64"
)
PHONE = {"width": 375, "height": 667}
PASSWORD = "wechat-walk-2026"
TITLE = "楼下快递柜占消防通道"
OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _no_sideways_scroll(page, where: str) -> None:
    scroll, inner = page.evaluate(OVERFLOW)
    assert scroll <= inner, f"{where}: {scroll}px wide in a {inner}px screen"


def test_resident_submits_from_wechat_without_javascript(new_context, site_home):
    liaison = liaison_setup()
    liaison.resident.set_password(PASSWORD)
    liaison.resident.save(update_fields=["password"])
    context = new_context(
        user_agent=WECHAT_ANDROID,
        viewport=PHONE,
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto("/login/")
    _no_sideways_scroll(page, "login")
    page.get_by_label("用户名").fill(liaison.resident.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    assert page.evaluate("() => navigator.userAgent").endswith("ABI/arm64")

    page.goto(f"/liaison/new/?representative={liaison.representative.pk}")
    _no_sideways_scroll(page, "request form")
    form = page.locator("form.stacked")
    assert form.get_attribute("method") == "post"  # a plain POST, no script needed
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("反映的问题或建议").fill("快递柜放在 2 号楼消防通道上。")
    page.get_by_label("类别").select_option("safety")
    with page.expect_navigation():
        page.get_by_role("button", name="提交", exact=True).click()
    expect(page.locator("#request-state")).to_have_text("已提交")
    expect(page.locator("h1")).to_have_text(TITLE)
    _no_sideways_scroll(page, "request page")

    page.goto("/liaison/mine/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    _no_sideways_scroll(page, "my requests")
    request = LiaisonRequest.objects.get(title=TITLE)
    assert (request.resident, request.channel) == (liaison.resident, "online")
    assert request.representative == liaison.representative
