"""An agenda item added while the room's pages are open (found by a review): a
ballot put on the agenda is run from the room without reloading, the agenda keeps
saying which item is under way, the chair's choice of item is kept."""

import pytest
from playwright.sync_api import expect

from consultation.ballots import services as ballot_services
from consultation.rooms import services
from tests.consultation.rooms.helpers import compound_council_room
from tests.e2e.test_presence import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def room(site_home):
    room, people, staff, ballot = compound_council_room()
    ballot_services.ballot_open(ballot_id=ballot.pk, actor=staff)
    services.agenda_item_add(room_id=room.pk, actor=staff, title="停车管理")
    services.agenda_item_add(room_id=room.pk, actor=staff, title="绿化改造")
    return room, people, staff, ballot


def _open(new_context, user, room):
    page = new_context().new_page()
    log_in(page, user.username)
    page.goto(f"/rooms/{room.pk}/")
    expect(page.locator("#room")).to_have_attribute("data-live", "open")
    return page


def _staff_adds(new_context, staff, room, title, ballot=None):
    page = new_context().new_page()
    log_in(page, staff.username)
    page.goto(f"/rooms/{room.pk}/")
    page.get_by_label("议程名称").fill(title)
    if ballot is not None:
        page.get_by_label("在会上表决的投票（可不选）").select_option(str(ballot.pk))
    page.get_by_role("button", name="加入议程").click()
    expect(page.locator("[data-agenda]")).to_contain_text(title)


def test_an_item_with_a_ballot_added_live_can_be_opened_by_the_chair(new_context, room):
    room, people, staff, ballot = room
    chair = _open(new_context, people[0].user, room)
    first = _open(new_context, people[1].user, room)
    _staff_adds(new_context, staff, room, "加装电梯", ballot)
    expect(first.locator("[data-agenda]")).to_contain_text("加装电梯")
    # The rebuilt entry's link (data-ballot-url with 0 replaced) is right.
    link = first.locator("[data-agenda] a")
    expect(link).to_have_attribute("href", f"/ballots/{ballot.pk}/")
    # Without reloading: the chair has the new ballot's buttons, the page its tally.
    expect(chair.get_by_role("button", name="开始表决：加装电梯")).to_be_visible()
    expect(first.locator(f'[data-tally="{ballot.pk}"]')).to_have_count(1)
    # The open pages follow the new ballot's tally: a vote shows at once.
    voter = first.context.new_page()
    voter.goto(f"/ballots/{ballot.pk}/")
    voter.get_by_label("同意").check()
    voter.get_by_role("button", name="提交投票").click()
    expect(voter.get_by_role("heading", name="投票已记录")).to_be_visible()
    tally = first.locator(f'[data-tally="{ballot.pk}"]')
    expect(tally).to_contain_text("已投票 1 人")
    expect(chair.locator(f'[data-tally="{ballot.pk}"]')).to_contain_text("已投票 1 人")


def test_the_rebuilt_agenda_keeps_saying_which_item_is_under_way(new_context, room):
    room, people, staff, _ballot = room
    chair = _open(new_context, people[0].user, room)
    chair.get_by_label("开始审议").select_option(label="1. 停车管理")
    chair.get_by_role("button", name="开始", exact=True).click()
    expect(chair.locator("[data-agenda] .item-current")).to_contain_text("停车管理")
    # Loaded after the item was opened: the server wrote "（正在审议）".
    first = _open(new_context, people[1].user, room)
    expect(first.locator("[data-agenda] .item-current")).to_contain_text("正在审议")
    _staff_adds(new_context, staff, room, "垃圾分类亭选址")
    expect(first.locator("[data-agenda]")).to_contain_text("垃圾分类亭选址")
    # The page's words (not only a bold font) say which item is being discussed.
    expect(first.locator("[data-agenda] .item-current")).to_contain_text("正在审议")


def test_the_chairs_choice_of_item_survives_an_added_item(new_context, room):
    room, people, staff, _ballot = room
    chair = _open(new_context, people[0].user, room)
    choice = chair.get_by_label("开始审议")
    choice.select_option(label="2. 绿化改造")
    _staff_adds(new_context, staff, room, "垃圾分类亭选址")
    expect(chair.locator("[data-agenda]")).to_contain_text("垃圾分类亭选址")
    expect(choice.locator("option")).to_have_count(3)
    expect(choice).to_have_value(str(room.items.get(title="绿化改造").pk))
