"""A pact amended in the browser (issue 12, acceptance): a resident reads the draft
and comments on article 3; the drafting group answers and marks the comment; the
draft is reviewed, adopted by the household representatives' vote and filed; the
public page shows the version in force, its history and the diff with the changed
characters marked.

The comment period's last day lies ahead, so the test ends the comment stage
through the service with a later `today`; the vote is cast through the ballots'
services (their own browser tests cover voting)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultation.ballots import services as ballots
from consultation.ballots.demo import minimal_pdf
from residents_pact import services
from residents_pact.models import PactComment, PactVersion
from tests.residents_pact.factories import (
    BODY,
    article,
    bring_into_force,
    pact_create,
    place_setup,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "pact-walk-2026"


def _with_password(user):
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


@pytest.fixture
def amendment(site_home):
    place = place_setup()
    pact = pact_create(place)
    bring_into_force(place, PactVersion.objects.get(page=pact, number=1))
    body = [*BODY[:3], article("a3", "居民应当共同爱护公共绿地和公共设施。"), *BODY[4:]]
    services.pact_amend(page_id=pact.pk, actor=place.staff, body=body)
    _with_password(place.staff)
    _with_password(place.residents[0])
    return place, pact


def _step(staff, button: str) -> None:
    staff.get_by_role("button", name=button).click()
    expect(staff.get_by_role("heading", name="起草小组管理")).to_be_visible()


def _vote(place, version) -> None:
    ballot = version.ballot
    if ballot.status == "draft":
        ballots.notice_record(
            ballot_id=ballot.pk,
            channels=("notice_board",),
            actor=place.staff,
            published_on=timezone.localdate() - dt.timedelta(days=20),
        )
        ballots.ballot_open(ballot_id=ballot.pk, actor=place.staff)
    yes = ballot.options.order_by("position").first().pk
    for user in place.residents:
        ballots.vote_cast(ballot_id=ballot.pk, voter=user.person, selection=[yes])
    ballots.ballot_close(ballot_id=ballot.pk, actor=place.staff)
    ballots.ballot_publish(ballot_id=ballot.pk, actor=place.staff)


def _review(staff) -> None:
    boxes = staff.locator("input[name=checks]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    staff.get_by_label("审查人").fill("街道司法所")
    _step(staff, "审查通过并签署")


def _file(staff, tmp_path) -> None:
    receipt = tmp_path / "receipt.pdf"
    receipt.write_bytes(minimal_pdf("filing receipt"))
    staff.get_by_label("备案机关").fill("某某街道办事处")
    staff.get_by_label("备案日期").fill(timezone.localdate().isoformat())
    staff.get_by_label("备案回执（PDF 或图片）").set_input_files(str(receipt))
    _step(staff, "登记备案")


def test_a_pact_is_commented_adopted_filed_and_shown(amendment, new_context, tmp_path):
    place, pact = amendment
    manage = f"/pacts/{pact.pk}/manage/"
    staff = _signed_in(new_context, place.staff)
    staff.goto(manage)
    staff.get_by_label("征求意见天数").fill("15")
    _step(staff, "公开征求意见")
    expect(staff.get_by_text("征求意见中")).to_be_visible()

    resident = _signed_in(new_context, place.residents[0])
    resident.goto(pact.url)
    expect(resident.locator("#open").get_by_text("第三条", exact=True)).to_be_visible()
    article3 = resident.locator("#article-a3")
    article3.get_by_text("对第三条提意见").click()
    article3.get_by_label("您的意见（请勿填写手机号、身份证号）").fill(
        "建议增加“不得高空抛物”。"
    )
    article3.get_by_role("button", name="提交意见").click()
    expect(resident.get_by_text("建议增加“不得高空抛物”。")).to_be_visible()
    comment = PactComment.objects.get()
    assert comment.article_key == "a3"

    staff.goto(manage)
    staff.get_by_label("处理", exact=True).select_option("accepted")
    staff.get_by_label("理由").fill("采纳，已在第三条增加。")
    _step(staff, "保存处理")
    version = PactVersion.objects.get(page=pact, number=2)
    services.comment_period_end(
        version_id=version.pk,
        actor=place.staff,
        today=version.comment_last_day + dt.timedelta(days=1),
    )
    staff.goto(manage)
    _review(staff)
    staff.get_by_label("表决人").select_option("household_representatives")
    _step(staff, "付诸表决")
    version.refresh_from_db()
    _vote(place, version)
    staff.goto(manage)
    _step(staff, "登记表决结果")
    _file(staff, tmp_path)
    _step(staff, "公布施行")

    resident.goto(pact.url)
    expect(
        resident.get_by_role("heading", name="现行有效版本（第 2 版）")
    ).to_be_visible()
    expect(resident.get_by_role("heading", name="历次版本")).to_be_visible()
    expect(resident.get_by_role("cell", name="已被修订")).to_be_visible()
    resident.get_by_role("link", name="与第 1 版对照").click()
    expect(resident).to_have_url(re.compile(r"/diff/\?from=1&to=2$"))
    expect(resident.locator("ins", has_text="共同")).to_be_visible()
    expect(resident.locator("del").first).to_be_visible()
