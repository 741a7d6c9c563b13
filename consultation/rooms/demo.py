"""The live rooms' part of `manage.py seed_demo`: a meeting in progress today.

In 阳光社区, through the rooms' services as `staff_yangguang`: the 阳光社区居民议事会
meets today at 09:00 in the community's meeting room, with a room. The `committee`
login (a member of the residents' committee) is invited as its secretary and can
join it; the council's chair chairs. The agenda has three items: the lifts of
阳光花园 (linked to the owners' OPEN ballot of the ballots demo, so its tally shows
live), the early market at the south gate, and the greening of the square. The
first item is open, two members have spoken (one statement has reactions), one
has the floor and two more are queued. Found by community and title: a second run
writes nothing.

Beside it, the 阳光花园 owners' assembly (业主大会) of today 19:00, seated from the
owners' roll of the compound (one seat per owner with their exclusive area), chaired
by the owners' committee's chair: the first tenth of the owners are marked present
in the hall, so its quorum shows owners and area short of two thirds.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultation.ballots.models import Ballot
from neighbourhoods.demo.context import DemoContext
from neighbourhoods.demo.data.places import YG
from neighbourhoods.models import Body, Community, Compound, Membership, Person

from . import services
from .models import Room

STAFF = "staff_yangguang"
SECRETARY_LOGIN = "committee"
TITLE = "阳光社区居民议事会2026年第四次会议"
LIFT_BALLOT = "阳光花园加装电梯业主表决"
AGENDA = ("阳光花园加装电梯方案", "南门外早市占道经营整治", "社区广场绿化改造")
STATEMENTS = (
    "高层住户普遍支持加装电梯，建议一楼住户的补偿方案先公示征求意见。",
    "费用按楼层分摊可以接受，但施工期间要保证消防通道畅通。",
)


def _held_at() -> dt.datetime:
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time(9, 0)))


def _council(community) -> tuple[Body, list[int]]:
    council = Body.objects.get(community=community, kind=Body.Kind.COUNCIL)
    seats = Membership.objects.filter(body=council).order_by("pk")
    chair = seats.filter(role=Membership.Role.CHAIR).values_list("person_id", flat=True)
    return council, [chair.first()]


def _hold(room: Room, staff) -> None:
    item = room.items.order_by("position").first()
    services.item_open(room_id=room.pk, actor=staff, item_id=item.pk)
    members = list(room.people.filter(role="member").order_by("pk"))
    first = services.statement_post(
        room_id=room.pk, actor=None, text=STATEMENTS[0], on_behalf_of=members[0].pk
    )
    services.statement_post(
        room_id=room.pk, actor=None, text=STATEMENTS[1], on_behalf_of=members[1].pk
    )
    for member, kind in ((members[2], "agree"), (members[3], "question")):
        services.reaction_set(
            room_id=room.pk,
            actor=None,
            statement_id=first["statement"]["id"],
            kind=kind,
            on_behalf_of=member.pk,
        )
    for member in members[2:5]:
        services.hand_raise(room_id=room.pk, actor=None, on_behalf_of=member.pk)
    services.floor_give(room_id=room.pk, actor=staff)
    for member in members[:4]:
        services.presence_mark(
            room_id=room.pk, actor=staff, participant_id=member.pk, in_hall=True
        )


ASSEMBLY = "阳光花园2026年业主大会"
ASSEMBLY_AGENDA = ("续聘物业服务企业", "公共收益使用情况报告")


def _assembly(community, staff) -> Room:
    compound = Compound.objects.get(communities=community, name="阳光花园")
    board = Body.objects.get(compound=compound, kind=Body.Kind.OWNERS_COMMITTEE)
    chair = Membership.objects.filter(body=board, role=Membership.Role.CHAIR).first()
    held_at = _held_at().replace(hour=19)
    room = services.room_create(
        community=community,
        body_id=board.pk,
        actor=staff,
        kind="owners_assembly",
        roll={"basis": "owners", "scope_kind": "compound", "scope_id": compound.pk},
        title=ASSEMBLY,
        place="阳光花园小区会所",
        held_at=held_at,
        chair_ids=(chair.person_id,),
    )
    for title in ASSEMBLY_AGENDA:
        services.agenda_item_add(room_id=room.pk, actor=staff, title=title)
    seats = room.people.filter(eligible=True, person__isnull=False).order_by("pk")
    for seat_id in seats.values_list("pk", flat=True)[: max(1, seats.count() // 10)]:
        services.presence_mark(
            room_id=room.pk, actor=staff, participant_id=seat_id, in_hall=True
        )
    return room


def seed(*, context: DemoContext) -> list[str]:
    community = Community.objects.get(code=YG)
    staff = get_user_model().objects.get(username=STAFF)
    lines = ["会议室演示 Live room demo（阳光社区居民议事会，会议进行中）："]
    room = Room.objects.filter(meeting__community=community, title=TITLE).first()
    if room is None:
        council, chair_ids = _council(community)
        secretary = Person.objects.get(user__username=SECRETARY_LOGIN)
        room = services.room_create(
            community=community,
            body_id=council.pk,
            actor=staff,
            title=TITLE,
            place="阳光社区党群服务中心二楼会议室",
            held_at=_held_at(),
            chair_ids=tuple(chair_ids),
            secretary_id=secretary.pk,
            invited_ids=(secretary.pk,),
        )
        ballot = Ballot.objects.filter(community=community, title=LIFT_BALLOT).first()
        for n, title in enumerate(AGENDA):
            services.agenda_item_add(
                room_id=room.pk,
                actor=staff,
                title=title,
                ballot_id=ballot.pk if n == 0 and ballot else None,
            )
        _hold(room, staff)
    lines.append(
        f"  {TITLE}：{context.url.rstrip('/')}/rooms/{room.pk}/"
        f"（committee 登录为记录人；投影视图 /rooms/{room.pk}/projector/）"
    )
    owners = Room.objects.filter(meeting__community=community, title=ASSEMBLY).first()
    if owners is None:
        owners = _assembly(community, staff)
    lines.append(
        f"  {ASSEMBLY}（按业主名册入座 {owners.roll_heads} 人）："
        f"{context.url.rstrip('/')}/rooms/{owners.pk}/projector/"
    )
    return lines
