"""Setting up a room: its meeting (a records `Meeting`), participants and agenda.

`room_create` writes the meeting record of a meeting about to be held (its counts
are filled in when the minutes are confirmed) and the room beside it, seating the
body's members with a vote (each as themself: their login is the register's
`Person.user`) — or, for a residents' meeting or an owners' assembly, the voters of
the roll snapshot of its basis (`assembly`) — the chair(s) and secretary among them
or invited, and observers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.ballots.models import Ballot
from consultation.ballots.permissions import can_manage_ballot
from consultation.records import permissions as record_permissions
from consultation.records.domain.meetings import (
    BODY_KINDS,
    RULE_FAMILY,
    MeetingKind,
    meeting_time_problem,
)
from consultation.records.models import Matter, Meeting
from consultation.records.selectors.members import expected_members, voting_members
from neighbourhoods.models import Body, Person

from ..domain.assembly import ASSEMBLY_FAMILY, seats_from_roll
from ..domain.quorum import family_for
from ..models import AgendaItem, Room, RoomParticipant
from ..selectors import AGENDA_BALLOT_STATUSES, agenda_of
from . import assembly
from .core import RecordsConflict, audit, bump, forbidden, invalid, locked_room

R = RoomParticipant.Role


def _body(community, body_id) -> Body:
    body = Body.objects.filter(pk=body_id, community=community).first()
    if body is None:
        raise invalid(_("请选择本社区的组织。 Choose a body of this community."))
    return body


def _seat(room, person: Person, role: str, eligible: bool) -> RoomParticipant:
    return RoomParticipant(
        room=room,
        person=person,
        user_id=person.user_id,
        name=person.full_name,
        role=role,
        eligible=eligible,
    )


def _members_and_rule(kind: str, body: Body, day) -> tuple[list[int], str]:
    """Who is expected, and which rule's quorum applies, for this kind of meeting."""
    if kind == MeetingKind.CONSULTATION:
        return voting_members(body, on=day), family_for(body.kind)
    try:
        step_kind = MeetingKind(kind)
    except ValueError:
        step_kind = None
    main_kinds, co_kinds = BODY_KINDS.get(step_kind, ((), ("-",)))
    if step_kind is None or co_kinds or body.kind not in main_kinds:
        raise invalid(
            _("这种会议不能由这个组织在会议室召开。 Not a room for this body."),
            "wrong_meeting",
        )
    return expected_members(kind, [body], on=day), RULE_FAMILY[step_kind]


def _seats(room, members, chair_ids, secretary_id, invited_ids) -> list:
    people = Person.objects.in_bulk([*members, *invited_ids])
    seats = []
    for pid in members:
        role = R.CHAIR if pid in chair_ids else R.MEMBER
        role = R.SECRETARY if pid == secretary_id else role
        seats.append(_seat(room, people[pid], role, eligible=True))
    for pid in invited_ids:
        if pid in people and pid not in members:
            role = R.SECRETARY if pid == secretary_id else R.INVITED
            seats.append(_seat(room, people[pid], role, eligible=False))
    return seats


@dataclass(frozen=True)
class RoomInput:
    """What `room_create` seats: the person ids of the chair(s), secretary and
    invited residents, and the observers' logins."""

    chair_ids: tuple = ()
    secretary_id: int | None = None
    invited_ids: tuple = ()
    observer_user_ids: tuple = ()


def _meeting(community, actor, **fields):
    return Meeting.objects.create(
        community=community,
        **fields,
        present_count=0,
        vote_method="",
        outcome="",
        evaluation={},
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _body_seating(community, kind, body_id, day, who: RoomInput):
    """A body's meeting: (body, family, seats builder, expected) — its members."""
    body = _body(community, body_id)
    members, family = _members_and_rule(kind, body, day)
    if not set(who.chair_ids) <= set(members) or not who.chair_ids:
        raise invalid(_("主持人须是本组织的成员。 The chair must be a member."))

    def build(room):
        return _seats(room, members, who.chair_ids, who.secretary_id, who.invited_ids)

    return body, family, build, {"expected": len(members)}


def _assembly_seating(community, kind, body_id, day, who: RoomInput, roll: dict):
    """A residents' meeting or owners' assembly: seats from its roll snapshot."""
    body = _body(community, body_id) if body_id is not None else None
    found = assembly.assembly_roll(
        community,
        kind,
        roll.get("basis"),
        roll.get("scope_kind"),
        roll.get("scope_id"),
        day,
    )
    seats = seats_from_roll(found.roll)
    if not assembly.chairs_found(community, who.chair_ids, seats):
        raise invalid(_("请选择本社区的主持人。 Choose a chair of this community."))

    def build(room):
        return assembly.assembly_seats(
            room, seats, who.chair_ids, who.secretary_id, who.invited_ids
        )

    fields = {
        "expected": found.roll.head_count,
        "basis": found.basis.value,
        "scope_kind": found.scope.kind.value,
        "scope_id": found.scope.id,
        "roll_as_of": found.roll.as_of,
        "roll_heads": found.roll.head_count,
        "roll_area": found.roll.total_area,
    }
    return body, found.family, build, fields


def _observers(room, user_ids, seats) -> list:
    seated = {s.user_id for s in seats if s.user_id}
    return [
        RoomParticipant(room=room, user_id=uid, name=_("旁听"), role=R.OBSERVER)
        for uid in dict.fromkeys(user_ids)
        if uid not in seated
    ]


def _checked(title, place, held_at, who: RoomInput):
    """The room's title, place and time as kept, or refused (422)."""
    title, place = (title or "").strip(), (place or "").strip()
    if not title or not place or len(title) > 200 or len(place) > 200:
        raise invalid(_("请填写会议名称和地点。 Title and place are required."))
    if who.secretary_id is not None and who.secretary_id in who.chair_ids:
        # One seat has one role: a chair made secretary would leave no chair.
        raise invalid(
            _("主持人和记录人须为不同的人。 The chair cannot be the secretary."),
            "chair_is_secretary",
        )
    held_at = held_at or timezone.now()
    if problem := meeting_time_problem(held_at):
        raise invalid(problem, "bad_time")
    return title, place, held_at


@transaction.atomic
def room_create(
    *,
    community,
    actor,
    title: str,
    place: str,
    body_id: int | None = None,
    held_at: dt.datetime | None = None,
    matter_id: int | None = None,
    kind: str = MeetingKind.CONSULTATION.value,
    roll: dict | None = None,
    **people,
) -> Room:
    """A meeting held with a live room; `people` are `RoomInput`'s fields (person
    ids for chair, secretary and invited residents; logins for observers).

    `kind` is a records meeting kind: a council's or any body's meeting (协商会议,
    the default) or a meeting that holds a step of its matter's procedure (its
    members and rule those of that step) — seated from the body's members; or a
    residents' meeting (居民会议) or owners' assembly (业主大会), seated from the roll
    snapshot of its basis: `roll` = {"basis", "scope_kind", "scope_id"} (the body,
    if any, is the one convening it)."""
    if actor is not None and not record_permissions.can_manage_matters(
        actor, community
    ):
        raise forbidden()
    who = RoomInput(**people)
    title, place, held_at = _checked(title, place, held_at, who)
    day = timezone.localdate(held_at)
    if kind in ASSEMBLY_FAMILY:
        body, family, build, fields = _assembly_seating(
            community, kind, body_id, day, who, roll or {}
        )
    else:
        body, family, build, fields = _body_seating(community, kind, body_id, day, who)
    expected = fields.pop("expected")
    meeting = _meeting(
        community,
        actor,
        matter=Matter.objects.filter(pk=matter_id, community=community).first(),
        kind=kind,
        body=body,
        held_at=held_at,
        place=place,
        text=title,
        rule_id=family,
        expected_count=expected,
    )
    room = Room.objects.create(
        meeting=meeting, title=title, rule_family=family, **fields
    )
    seats = build(room)
    seats += _observers(room, who.observer_user_ids, seats)
    RoomParticipant.objects.bulk_create(seats, batch_size=2000)
    audit(actor, "room_create", room, body=body.pk if body else None, members=expected)
    return room


@transaction.atomic
def agenda_item_add(
    *, room_id: int, actor, title: str, matter_id=None, ballot_id=None
) -> AgendaItem:
    """An item at the end of the agenda, maybe about a matter or put to a ballot."""
    room = locked_room(room_id)
    if actor is not None and not record_permissions.can_manage_matters(
        actor, room.meeting.community
    ):
        raise forbidden()
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise invalid(_("请填写议程名称。 The item needs a title."))
    community = room.meeting.community
    matter = Matter.objects.filter(pk=matter_id, community=community).first()
    ballot = Ballot.objects.filter(pk=ballot_id, community=community).first()
    if (matter_id and matter is None) or (ballot_id and ballot is None):
        raise invalid(_("议题或投票不属于本社区。 Not this community's."))
    # The chair will open and close it from the room (actions.ballot_open): only
    # someone who may manage the ballot itself puts it on the agenda (a compound's
    # ballot may need staff of every community it touches).
    if ballot and actor is not None and not can_manage_ballot(actor, ballot):
        raise forbidden()
    if ballot and ballot.status not in AGENDA_BALLOT_STATUSES:
        raise RecordsConflict(
            _("这项投票已截止，不能列入议程。 The ballot is closed."),
            code="ballot_closed",
        )
    position = room.items.count() + 1
    try:
        with transaction.atomic():  # the constraint decides a race of two rooms
            item = AgendaItem.objects.create(
                room=room, position=position, title=title, matter=matter, ballot=ballot
            )
    except IntegrityError:
        raise RecordsConflict(
            _("这项投票已列入会议议程。 The ballot is already on an agenda."),
            code="ballot_on_agenda",
        ) from None
    bump(room, "agenda", agenda=agenda_of(room.pk))
    audit(actor, "agenda_item_add", room, item=item.pk)
    return item
