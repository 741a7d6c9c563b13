"""A live room in the browser: a chair and two members; a hand raised, the floor
given, a statement read by the other member, a vote's live tally, the meeting
closed and its minutes as an A4 PDF."""

import pytest
from playwright.sync_api import expect

from consultation.ballots import services as ballot_services
from consultation.ballots.models import Ballot
from consultation.rooms import services
from tests.consultation.rooms.helpers import compound_council_room
from tests.e2e.test_presence import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(site_home):
    room, people, staff, ballot = compound_council_room(
        results_visibility=Ballot.ResultsVisibility.LIVE
    )
    ballot_services.ballot_open(ballot_id=ballot.pk, actor=staff)
    services.agenda_item_add(
        room_id=room.pk, actor=staff, title="加装电梯", ballot_id=ballot.pk
    )
    services.agenda_item_add(room_id=room.pk, actor=staff, title="停车管理")
    room.staff = staff
    return room, people, ballot


def _open_room(new_context, person, room):
    page = new_context().new_page()
    log_in(page, person.user.username)
    page.goto(f"/rooms/{room.pk}/")
    expect(page.locator("#room")).to_have_attribute("data-live", "open")
    return page


def test_queue_speak_vote_minutes(new_context, room):
    room, people, ballot = room
    chair, first, second = (_open_room(new_context, p, room) for p in people)
    first.get_by_role("button", name="举手发言").click()
    expect(chair.locator("[data-queue]")).to_contain_text(people[1].full_name)
    chair.get_by_role("button", name="请下一位发言").click()
    expect(first.locator("[data-speaker]").first).to_have_text(people[1].full_name)
    expect(chair.locator("[data-queue]")).to_contain_text("暂无人举手")
    first.get_by_label("书面发言（最多 2000 字）").fill(
        "建议一楼住户的补偿方案先公示。"
    )
    first.get_by_role("button", name="发表").click()
    expect(second.locator("[data-statements]")).to_contain_text("先公示")
    second.get_by_role("button", name="赞同").first.click()
    expect(first.locator('[data-count="agree"]').first).to_have_text("1")
    voter = second.context.new_page()
    voter.goto(f"/ballots/{ballot.pk}/")
    voter.get_by_label("同意").check()
    voter.get_by_role("button", name="提交投票").click()
    expect(voter.get_by_role("heading", name="投票已记录")).to_be_visible()
    expect(chair.locator(f'[data-tally="{ballot.pk}"]')).to_contain_text("同意 1 票")
    chair.get_by_role("button", name="结束会议").click()
    expect(first.locator("[data-room-status]")).to_have_text("会议已结束")
    chair.goto(f"/rooms/{room.pk}/minutes/")
    chair.get_by_role("button", name="根据会议记录起草纪要").click()
    expect(chair.get_by_label("纪要内容")).to_contain_text("先公示")
    chair.get_by_role("button", name="确认纪要（确认后不能修改）").click()
    expect(chair.get_by_text("已确认")).to_be_visible()
    pdf = chair.request.get(f"/rooms/{room.pk}/minutes.pdf")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")


def test_who_is_online_and_an_item_added_during_the_meeting(new_context, room):
    """The chair sees who is connected; staff add an item from the room page and
    every open page shows it at once, the chair can open it."""
    room, people, _ballot = room
    chair, first = (_open_room(new_context, p, room) for p in people[:2])
    online = chair.locator("[data-online]")
    expect(online).to_contain_text(people[1].full_name)
    expect(chair.locator("[data-online-count]")).to_have_text("网上在线 2 人")

    staff = new_context().new_page()
    log_in(staff, room.staff.username)
    staff.goto(f"/rooms/{room.pk}/")
    staff.get_by_label("议程名称").fill("垃圾分类亭选址")
    staff.get_by_role("button", name="加入议程").click()
    expect(staff.locator("[data-agenda]")).to_contain_text("垃圾分类亭选址")

    expect(first.locator("[data-agenda]")).to_contain_text("垃圾分类亭选址")
    chair.get_by_label("开始审议").select_option(label="3. 垃圾分类亭选址")
    chair.get_by_role("button", name="开始", exact=True).click()
    current = first.locator("[data-agenda] .item-current")
    expect(current).to_contain_text("垃圾分类亭选址")
    expect(current).to_contain_text("正在审议")

    first.close()
    expect(chair.locator("[data-online-count]")).to_have_text("网上在线 1 人")
    expect(online).not_to_contain_text(people[1].full_name)
