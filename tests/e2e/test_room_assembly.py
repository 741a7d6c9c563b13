"""An owners' assembly (业主大会) in the browser, seated from the compound's owners'
roll: staff open it through the staff form; the chair and two owners join from
their own browsers and the quorum on the page moves live as they come; an owner is
given the floor and the other reads the statement; the assembly's ballot, opened
in the room, is voted on by both owners while the chair's page and the projector
follow the tally; the meeting closes and its minutes PDF counts the attendance.
A resident who is not on the roll watches only, and is refused once the community
admits no observers (the page says so in Chinese; the room's socket is refused).

Four owners (90.00, 90.01, 90.02 and 90.03 m²; see assembly_helpers): the owners'
quorum (two thirds by count AND by area, 民法典 第二百七十八条) is met with the
third of them online."""

import json
import subprocess

import pytest
from playwright.sync_api import expect

from consultation.ballots.models import Ballot
from consultation.ballots.services import voting_settings_update
from consultation.rooms import services
from consultation.rooms.models import Room
from neighbourhoods.models import Body, Membership, Person
from tests.consultation.factories import owners_ballot
from tests.consultation.rooms.assembly_helpers import assembly_room, build_register
from tests.e2e.test_presence import log_in
from tests.neighbourhoods.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "测试小区2026年业主大会"
ITEM = "续聘物业服务企业"
STATEMENT = "建议续聘前先公示物业服务质量评估结果。"
BOARD = "测试小区业主委员会"
NOT_A_PARTICIPANT = "您不是本次会议的参会人。"


def _quorum(present: int, area: str, met: bool) -> str:
    """The quorum line as the page writes it, for four owners of 360.06 m²."""
    return (
        f"应到业主 4 人、专有部分面积 360.06 平方米，实到 {present} 人、{area} 平方米，"
        + ("已达到到会人数要求" if met else "未达到到会人数要求")
    )


# Opens the room's socket from the page (its session cookie and CSP apply) and
# resolves with the first message's type, or, if it closes first, with the close
# code. A refused handshake is an HTTP 403 to the upgrade, which a browser sees only
# as code 1006 before the socket ever opened (docs/protocol.md, "Close codes").
OPEN_ROOM_SOCKET = """
(roomId) => new Promise((resolve) => {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/rooms/${roomId}/`);
  let opened = false;
  const timer = setTimeout(() => resolve({opened, first: "timeout"}), 8000);
  socket.onopen = () => { opened = true; };
  socket.onmessage = (event) => {
    clearTimeout(timer);
    resolve({opened, first: JSON.parse(event.data).type});
    socket.close();
  };
  socket.onclose = (event) => {
    clearTimeout(timer);
    resolve({opened, first: event.code});
  };
})
"""


@pytest.fixture
def register(site_home):
    """Four owners (the first three with a login), staff, the owners' committee
    (chaired by 居民0: the form offers bodies' members as chairs) and a draft owners'
    ballot with its notice, its tally shown live."""
    reg = build_register(4, logins=3)
    board = Body.objects.create(
        community=reg.community,
        compound=reg.compound,
        kind=Body.Kind.OWNERS_COMMITTEE,
        name=BOARD,
    )
    Membership.objects.create(
        body=board, person=reg.people[0], role=Membership.Role.CHAIR
    )
    ballot = owners_ballot(
        reg.compound,
        reg.community,
        reg.staff,
        title="关于续聘物业服务企业的业主表决",
        results_visibility=Ballot.ResultsVisibility.LIVE,
    )
    return reg, ballot


def _page(new_context, user):
    page = new_context().new_page()
    log_in(page, user.username)
    return page


def _enter(page, room, view: str = ""):
    page.goto(f"/rooms/{room.pk}/{view}")
    expect(page.locator("#room")).to_have_attribute("data-live", "open")
    return page


def _open_through_the_form(staff, reg) -> Room:
    staff.goto(f"/communities/{reg.community.slug}/rooms/new/")
    staff.get_by_label("会议类型").select_option(label="业主大会（按名册）")
    staff.get_by_label("会议名称").fill(TITLE)
    staff.get_by_label("地点").fill("小区会所")
    staff.get_by_label("召集组织").select_option(label=BOARD)
    staff.get_by_label("参会人名册").select_option(
        label="业主大会：全体业主（按人数和面积）"
    )
    staff.get_by_label("范围").select_option(label=reg.compound.name)
    staff.get_by_label("主持人").select_option(label=f"居民0（{BOARD}）")
    staff.get_by_role("button", name="开始会议").click()
    expect(staff.get_by_role("heading", name=TITLE)).to_be_visible()
    room = Room.objects.get(meeting__community=reg.community)
    assert staff.url.endswith(f"/rooms/{room.pk}/")
    assert (room.basis, room.scope_kind, room.scope_id) == (
        "owners",
        "compound",
        reg.compound.pk,
    )
    assert (room.roll_heads, room.roll_area) == (4, 36006)
    return room


def _presence_frames(page) -> list[dict]:
    """The presence messages the page's room socket receives, as they come (not
    those of the site's own presence socket, /ws/presence/)."""
    seen: list[dict] = []

    def on_socket(socket):
        if "/ws/rooms/" not in socket.url:
            return

        def on_frame(payload):
            message = json.loads(payload)
            if message.get("type") == "presence":
                seen.append(message)

        socket.on("framereceived", on_frame)

    page.on("websocket", on_socket)
    return seen


def _until(page, condition, what: str, seconds: float = 5) -> None:
    """Wait for `condition()`, letting Playwright dispatch the page's events."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"not seen: {what}")


def _pdf_text(data: bytes, folder) -> str:
    path = folder / "minutes.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.replace(" ", "")


def test_owners_assembly_from_the_form_to_the_minutes(new_context, register, tmp_path):
    reg, ballot = register
    staff = _page(new_context, reg.staff)
    room = _open_through_the_form(staff, reg)
    # The room has no form to add an agenda item: staff add it (and its ballot)
    # through the service, as the demo does.
    services.agenda_item_add(
        room_id=room.pk, actor=reg.staff, title=ITEM, ballot_id=ballot.pk
    )
    online = _presence_frames(staff)
    _enter(staff, room)
    projector = _enter(staff.context.new_page(), room, "projector/")
    for view in (staff, projector):
        expect(view.locator("[data-quorum]")).to_have_text(_quorum(0, "0.00", False))

    # The chair and two owners join, each from their own browser: the quorum moves.
    chair = _enter(_page(new_context, reg.users[0]), room)
    expect(staff.locator("[data-quorum]")).to_have_text(_quorum(1, "90.00", False))
    first = _enter(_page(new_context, reg.users[1]), room)
    expect(staff.locator("[data-quorum]")).to_have_text(_quorum(2, "180.01", False))
    second = _enter(_page(new_context, reg.users[2]), room)
    for view in (staff, projector, chair, first, second):
        expect(view.locator("[data-quorum]")).to_have_text(_quorum(3, "270.03", True))
    # Presence counts the three seats online (staff watch without a seat) and
    # names the one in play, the chair.
    chair_seat = room.people.get(user=reg.users[0]).pk
    _until(
        staff,
        lambda: any(
            m["online_count"] == 3 and chair_seat in m["online"] for m in online
        ),
        f"presence with three seats online and the chair's: {online}",
    )

    _floor_and_statement(chair, first, second, projector)
    _vote_in_the_room(chair, first, second, projector, ballot)
    _minutes(chair, second, room, tmp_path)


def _floor_and_statement(chair, first, second, projector):
    # An owner raises a hand, the chair gives the floor, the other owner reads it.
    first.get_by_role("button", name="举手发言").click()
    expect(chair.locator("[data-queue]")).to_contain_text("居民1")
    expect(projector.locator("[data-queue]")).to_contain_text("居民1")
    chair.get_by_role("button", name="请下一位发言").click()
    expect(first.locator("[data-speaker]").first).to_have_text("居民1")
    expect(projector.locator("[data-speaker]")).to_have_text("居民1")
    first.get_by_label("书面发言（最多 2000 字）").fill(STATEMENT)
    first.get_by_role("button", name="发表").click()
    said = second.locator("[data-statements] li").filter(has_text=STATEMENT)
    expect(said).to_contain_text("居民1：")


def _vote_in_the_room(chair, first, second, projector, ballot):
    # The chair — an owner, not staff — opens the item's ballot in the room. Both
    # owners vote; the chair's page and the projector follow the tally.
    tally = f'[data-tally="{ballot.pk}"]'
    chair.get_by_role("button", name=f"开始表决：{ITEM}").click()
    for view in (chair, projector):
        expect(view.locator(f"{tally} [data-tally-status]")).to_have_text("投票进行中")
    for owner, votes in ((first, 1), (second, 2)):
        voter = owner.context.new_page()
        voter.goto(f"/ballots/{ballot.pk}/")
        voter.get_by_label("同意").check()
        voter.get_by_role("button", name="提交投票").click()
        expect(voter.get_by_role("heading", name="投票已记录")).to_be_visible()
        for view in (chair, projector):
            counts = view.locator(f"{tally} [data-tally-counts]")
            expect(counts).to_contain_text(f"已投票 {votes} 人（共 4 人）")
            expect(counts).to_contain_text(f"同意 {votes} 票")


def _minutes(chair, second, room, tmp_path):
    # The meeting closes; the minutes count who came, by count and by area.
    chair.get_by_role("button", name="结束会议").click()
    expect(second.locator("[data-room-status]")).to_have_text("会议已结束")
    chair.goto(f"/rooms/{room.pk}/minutes/")
    chair.get_by_role("button", name="根据会议记录起草纪要").click()
    minutes = chair.get_by_label("纪要内容")
    expect(minutes).to_contain_text(
        "应到业主 4 人，实到 3 人（现场签到 0 席，网上出席 3 席）"
    )
    expect(minutes).to_contain_text(
        "专有部分总面积 360.06 平方米，"
        "出席业主专有部分面积 270.03 平方米；已达到到会要求"
    )
    expect(minutes).to_contain_text("发言人：居民1")
    chair.get_by_role("button", name="确认纪要（确认后不能修改）").click()
    expect(chair.get_by_text("已确认")).to_be_visible()
    pdf = chair.request.get(f"/rooms/{room.pk}/minutes.pdf")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    text = _pdf_text(pdf.body(), tmp_path)
    assert "应到业主4人，实到3人（现场签到0席，网上出席3席）" in text
    assert "出席业主专有部分面积270.03平方米" in text
    assert STATEMENT in text


def test_a_resident_off_the_roll_watches_then_is_refused(new_context, register):
    reg, _ballot = register
    room = assembly_room(reg, "owners_assembly", "owners")
    tenant = Person.objects.create(
        full_name="租户", home_community=reg.community, user=UserFactory()
    )
    # While the community admits observers (its default), a resident off the roll
    # watches: the room, without the speaker's buttons.
    page = _enter(_page(new_context, tenant.user), room)
    expect(page.get_by_role("heading", name="业主大会")).to_be_visible()
    expect(page.get_by_role("button", name="举手发言")).to_have_count(0)
    expect(page.get_by_label("书面发言（最多 2000 字）")).to_have_count(0)

    # Someone who is not a resident of the community never enters.
    outsider = _page(new_context, reg.outsider)
    assert outsider.goto(f"/rooms/{room.pk}/").status == 403
    expect(outsider.get_by_role("alert")).to_contain_text(NOT_A_PARTICIPANT)

    # Once the community admits no observers, the resident off the roll is refused.
    voting_settings_update(
        community=reg.community, actor=None, room_observers_admitted=False
    )
    refused = page.goto(f"/rooms/{room.pk}/")
    assert refused.status == 403
    expect(page.get_by_role("alert")).to_contain_text(NOT_A_PARTICIPANT)
    expect(page.locator("#room")).to_have_count(0)
    assert page.evaluate(OPEN_ROOM_SOCKET, room.pk) == {"opened": False, "first": 1006}
    # An owner on the roll still enters, and the same socket opens for them.
    owner = _enter(_page(new_context, reg.users[2]), room)
    expect(owner.get_by_role("button", name="举手发言")).to_be_visible()
    assert owner.evaluate(OPEN_ROOM_SOCKET, room.pk) == {
        "opened": True,
        "first": "hello",
    }
