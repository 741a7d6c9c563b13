"""The first hour on a fresh demo (issue #9, acceptance): `owner` signs in, votes on
the open lift ballot and sees the provisional result in plain Chinese; staff enter
three paper ballots by unit, the third a repeated sheet number, refused."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from consultation.ballots.models import Ballot, Participation, RollEntry

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LIFT = "阳光花园加装电梯业主表决"
PASSWORD = "yishi-demo-2026"
VARIABLE_NAMES = re.compile(r"participating_|total_area|yes_area|_owners\b")
BARE_FRACTION = re.compile(r"(?<![\d./-])\d+/\d+(?![\d./-])")


@pytest.fixture
def demo(site_home):
    call_command("seed_demo", verbosity=0)
    return Ballot.objects.get(title=LIFT)


def _signed_in(new_context, username: str):
    page = new_context().new_page()
    page.goto("/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    return page


def test_owner_votes_and_sees_the_provisional_result(new_context, demo):
    owner = _signed_in(new_context, "owner")
    owner.goto("/my/")
    owner.get_by_role("link", name=LIFT).click()
    expect(owner.get_by_role("heading", name="您以什么身份投票")).to_be_visible()
    owner.get_by_label("同意").check()
    owner.get_by_role("button", name="提交投票").click()
    expect(owner.get_by_role("heading", name="投票已记录")).to_be_visible()
    owner.goto(f"/ballots/{demo.pk}/")
    result = owner.locator("section.tally")
    expect(result.locator("p.result")).to_contain_text("目前")
    text = result.inner_text()
    assert "参加表决的专有部分面积" in text
    assert "%" in text
    assert not VARIABLE_NAMES.search(text), text
    assert not BARE_FRACTION.search(text), text


def _units_not_voted(ballot, count: int) -> list[str]:
    """Room numbers of roll members who have not voted (the staff's paper stack)."""
    from neighbourhoods.models import ExclusivePart

    voted = set(Participation.objects.filter(ballot=ballot).values_list("entry_id"))
    rooms = []
    for entry in RollEntry.objects.filter(ballot=ballot).order_by("key"):
        if (entry.pk,) in voted or len(entry.part_ids) != 1:
            continue
        part = ExclusivePart.objects.select_related("building", "entrance").get(
            pk=entry.part_ids[0]
        )
        entrance = part.entrance.number if part.entrance_id else ""
        rooms.append(
            "-".join(p for p in (part.building.number, entrance, part.number) if p)
        )
        if len(rooms) == count:
            return rooms
    raise AssertionError("not enough owners left to vote on paper")


def _enter_by_unit(clerk, room: str, sheet: str | None) -> None:
    clerk.get_by_label("查找表决人").fill(room)
    clerk.get_by_role("button", name="查找", exact=True).click()
    paper = clerk.locator("form[action$='/paper/']")
    expect(paper.locator("input[name=entry]:checked")).to_have_count(1)
    paper.get_by_label("反对").check()
    if sheet is None:  # carried over from the sheet before: P-001 → P-002
        expect(paper.get_by_label("选票编号")).to_have_value("P-002")
    else:
        paper.get_by_label("选票编号").fill(sheet)
    paper.get_by_label("监票人").fill("张监票")
    paper.get_by_role("button", name="录入").click()


def test_staff_enter_three_papers_by_unit_one_repeat_refused(new_context, demo):
    rooms = _units_not_voted(demo, 3)
    before = Participation.objects.filter(ballot=demo).count()
    clerk = _signed_in(new_context, "staff_yangguang")
    clerk.goto(f"/ballots/{demo.pk}/manage/")
    _enter_by_unit(clerk, rooms[0], "P-001")
    expect(clerk.get_by_text("纸质选票已录入")).to_be_visible()
    # The next sheet number is filled in: the clerk types only the room.
    _enter_by_unit(clerk, rooms[1], None)
    expect(clerk.get_by_text("纸质选票已录入")).to_be_visible()
    _enter_by_unit(clerk, rooms[2], "P-001")  # the same sheet twice: refused
    expect(clerk.get_by_text("选票编号或请求编号已被使用")).to_be_visible()
    assert Participation.objects.filter(ballot=demo).count() == before + 2
