"""A resident's request walked through in the browser (issue 13, acceptance): a
resident submits a request to a representative; staff register, classify and refer
it; it falls overdue (time moved: its referral and due date are set back, as the
clock moving on would leave them) and the subdistrict's staff supervise it; the
assignee replies; the resident rates the reply; the public statistics change."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation.liaison.models import LiaisonRequest
from tests.consultation.liaison.factories import liaison_setup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "liaison-walk-2026"
TITLE = "东门路灯坏了"


def _password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def _signed_in(new_context, user):
    page = new_context().new_page()
    page.goto("/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    return page


def _figure(page, name: str) -> str:
    page.goto("/liaison/statistics/")
    return page.locator(f"[data-figure={name}]").inner_text()


def _move_time_past_due(request: LiaisonRequest, days: int) -> None:
    """What `days` more days on the clock would do: the referral is that much older
    and its due date has passed."""
    today = timezone.localdate()
    LiaisonRequest.objects.filter(pk=request.pk).update(
        submitted_at=request.submitted_at - dt.timedelta(days=days),
        referred_at=request.referred_at - dt.timedelta(days=days),
        due_date=today - dt.timedelta(days=1),
    )


def test_request_from_resident_to_rated_reply(site_home, new_context):
    liaison = liaison_setup()
    for user in (liaison.resident, liaison.staff, liaison.subdistrict_staff):
        _password(user)
    visitor = new_context().new_page()
    assert _figure(visitor, "satisfied").startswith("—")

    resident = _signed_in(new_context, liaison.resident)
    resident.goto(f"/liaison/new/?representative={liaison.representative.pk}")
    resident.get_by_label("标题").fill(TITLE)
    resident.get_by_label("反映的问题或建议").fill("东门两盏路灯坏了两周。")
    resident.get_by_label("同意将诉求和答复匿名公开").check()
    resident.get_by_role("button", name="提交").click()
    expect(resident.locator("#request-state")).to_have_text("已提交")
    request = LiaisonRequest.objects.get(title=TITLE)
    assert request.representative == liaison.representative

    staff = _signed_in(new_context, liaison.staff)
    staff.goto(f"/liaison/r/{request.pk}/")
    staff.get_by_role("button", name="登记").click()
    staff.get_by_label("办理方式").select_option("community")
    staff.get_by_role("button", name="分类").click()
    staff.get_by_label("承办单位").fill("社区物业办")
    staff.get_by_role("button", name="转办").click()
    expect(staff.locator("#request-state")).to_have_text("已转办")
    expect(staff.locator("#due-date")).to_be_visible()

    _move_time_past_due(LiaisonRequest.objects.get(pk=request.pk), days=20)
    supervisor = _signed_in(new_context, liaison.subdistrict_staff)
    supervisor.goto("/liaison/dashboard/")
    supervisor.get_by_role("link", name=TITLE).first.click()
    expect(supervisor.locator("#request-state")).to_have_text("已逾期")
    supervisor.get_by_label("督办意见").fill("已逾期，请三日内答复居民。")
    supervisor.get_by_role("button", name="督办").click()
    expect(supervisor.locator("#request-state")).to_have_text("督办中")

    staff.goto(f"/liaison/r/{request.pk}/")
    staff.get_by_label("答复内容").fill("路灯已更换，感谢反映。")
    staff.get_by_role("button", name="答复居民").click()
    expect(staff.locator("#request-state")).to_have_text("已答复")
    answered_before = _figure(visitor, "answered")

    resident.goto("/liaison/mine/")
    expect(resident.get_by_text("等待您评价")).to_be_visible()
    resident.get_by_role("link", name=TITLE).click()
    expect(resident.locator("#reply-text")).to_contain_text("路灯已更换")
    resident.get_by_label("非常满意").check()
    resident.get_by_role("button", name="提交评价").click()
    expect(resident.locator("#request-state")).to_have_text("已评价")

    assert answered_before == "1"
    assert _figure(visitor, "satisfied").startswith("100%")
    visitor.goto("/liaison/archive/?q=路灯")
    expect(visitor.get_by_role("link", name=TITLE)).to_be_visible()
    expect(visitor).not_to_have_url(re.compile("error"))
