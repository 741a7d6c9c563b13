"""Reads of a room shaped for its messages: each piece of state as the events and
the snapshot carry it (ids and counts; names only in the snapshot, which goes to
one connection at a time after its permission check)."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.db.models import BooleanField, Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from consultation.ballots.domain.rules import customise, rule_for
from consultation.ballots.events import ballot_payloads
from consultation.ballots.models import Ballot
from consultation.ballots.permissions import manageable
from consultation.ballots.services import voting_settings_of
from consultation.ballots.services.community_settings import overrides_for
from consultation.records.models import Matter, MeetingAttendance
from neighbourhoods.models import Body, Compound, Membership
from yishi import livepresence

from .domain.assembly import (
    RollQuorum,
    Weight,
    counting_for,
    present_weight,
    roll_quorum,
)
from .domain.minutes import ItemFacts, MinutesFacts, RollAttendance
from .domain.quorum import Quorum, present_count, quorum
from .models import (
    AgendaItem,
    Reaction,
    Room,
    RoomParticipant,
    SpeakerRequest,
    Statement,
)

RECENT_STATEMENTS = 50
WAITING = SpeakerRequest.Status.WAITING


def presence_topic(room_id: int) -> str:
    """The room's entry in the live presence store (yishi.livepresence)."""
    return f"room.{room_id}"


def room_or_none(room_id) -> Room | None:
    return (
        Room.objects.select_related("meeting__community", "meeting__body")
        .filter(pk=room_id)
        .first()
    )


def queue_of(room_id: int) -> list[int]:
    """Participant ids waiting for the floor, in order."""
    return list(
        SpeakerRequest.objects.filter(
            room_id=room_id, status=SpeakerRequest.Status.WAITING
        ).values_list("participant_id", flat=True)
    )


def agenda_of(room_id: int) -> list[dict]:
    return [
        {
            "id": item.pk,
            "position": item.position,
            "title": item.title,
            "status": item.status,
            "matter": item.matter_id,
            "ballot": item.ballot_id,
        }
        for item in AgendaItem.objects.filter(room_id=room_id)
    ]


def floor_of(room: Room) -> dict:
    started = room.timer_started_at
    return {
        "speaker": room.speaker_id,
        "seconds": room.timer_seconds,
        "started_at": started.isoformat() if started else None,
    }


def reactions_of(statement_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = (
        Reaction.objects.filter(statement_id__in=statement_ids)
        .values("statement_id", "kind")
        .annotate(n=Count("pk"))
    )
    found: dict[int, Counter] = {sid: Counter() for sid in statement_ids}
    for row in rows:
        found[row["statement_id"]][row["kind"]] = row["n"]
    return {
        sid: {kind: counts[kind] for kind in Reaction.Kind.values}
        for sid, counts in found.items()
    }


def statement_dict(statement: Statement, reactions: dict | None = None) -> dict:
    return statement_fields(
        statement.pk,
        statement.seq,
        statement.participant_id,
        statement.item_id,
        statement.text,
        statement.created_at,
        reactions,
    )


def statement_fields(
    pk, seq, participant_id, item_id, text, created_at, reactions=None
) -> dict:
    """A statement as a room's event and snapshot carry it."""
    return {
        "id": pk,
        "seq": seq,
        "participant": participant_id,
        "item": item_id,
        "text": text,
        "at": created_at.isoformat(),
        "reactions": reactions or dict.fromkeys(Reaction.Kind.values, 0),
    }


def recent_statements(room_id: int, limit: int = RECENT_STATEMENTS) -> list[dict]:
    rows = list(Statement.objects.filter(room_id=room_id).order_by("-seq")[:limit])
    rows.reverse()
    counts = reactions_of([s.pk for s in rows])
    return [statement_dict(s, counts[s.pk]) for s in rows]


def participants_of(room_id: int) -> list[RoomParticipant]:
    return list(RoomParticipant.objects.filter(room_id=room_id))


def shown_participants(room: Room) -> list[RoomParticipant]:
    """The seats a page needs by name. A body's meeting: all. An assembly (thousands
    seated from its roll): everyone but the roll's plain members, and those members
    marked in the hall, muted, queued, speaking or who have spoken — a page meeting
    anyone else in an event asks for a new snapshot (room.js)."""
    if not room.basis:
        return participants_of(room.pk)
    acting = SpeakerRequest.objects.filter(
        room=room, status__in=[WAITING, SpeakerRequest.Status.SPEAKING]
    ).values("participant_id")
    spoke = Statement.objects.filter(room=room).values("participant_id")
    return list(
        RoomParticipant.objects.filter(room=room).filter(
            ~Q(role=RoomParticipant.Role.MEMBER)
            | Q(in_hall=True)
            | Q(muted=True)
            | Q(pk__in=acting)
            | Q(pk__in=spoke)
        )
    )


def online_named(room: Room, online_ids: set[int], shown=None) -> list[int]:
    """The online seats a page can name: all of a body's meeting; of an assembly
    seated from its roll, only the seats the snapshot lists (thousands of plain
    members online are counted, `online_count`, not listed twice a second)."""
    if not room.basis:
        return sorted(online_ids)
    shown = shown if shown is not None else shown_participants(room)
    return sorted(set(online_ids) & {p.pk for p in shown})


def room_rule(room: Room):
    """The rule whose quorum the room shows: its family on the meeting's day, the
    community's setting applied."""
    day = timezone.localdate(room.meeting.held_at)
    rule = rule_for(room.rule_family, day)
    changes = overrides_for(
        voting_settings_of(room.meeting.community).rule_overrides, room.rule_family
    )
    return customise(rule, changes) if changes else rule


def quorum_of(room: Room, online_ids: set[int]) -> Quorum | RollQuorum:
    if room.basis:
        return _roll_quorum(room, online_ids)
    people = RoomParticipant.objects.filter(room=room, eligible=True)
    eligible = set(people.values_list("pk", flat=True))
    in_hall = set(people.filter(in_hall=True).values_list("pk", flat=True))
    present = present_count(eligible, online_ids, in_hall)
    return quorum(room_rule(room), expected=len(eligible), present=present)


def _pk_any(ids: list[int]) -> RawSQL:
    """`id = ANY(%s)`: the ids as one array parameter. Django's `pk__in` prepares
    each id as its own parameter: for an assembly's 2,000 seats online that was
    9–17 ms of CPU per presence broadcast, this 2–3 ms (measured side by side)."""
    table = connection.ops.quote_name(RoomParticipant._meta.db_table)
    column = connection.ops.quote_name(RoomParticipant._meta.pk.column)
    return RawSQL(f"{table}.{column} = ANY(%s)", (ids,), output_field=BooleanField())


def _roll_quorum(room: Room, online_ids: set[int]) -> RollQuorum:
    """An assembly's quorum: the seats present weighed by the roll's heads and area
    against the roll's totals kept when the room was created (a few queries, none
    per person)."""
    seats = RoomParticipant.objects.filter(room=room, eligible=True).order_by()
    rows = list(seats.filter(in_hall=True).values_list("pk", "heads", "area"))
    in_hall = {row[0] for row in rows}
    online = sorted(set(online_ids) - in_hall)
    if online:
        rows += seats.filter(_pk_any(online)).values_list("pk", "heads", "area")
    weights = {pk: Weight(heads, area) for pk, heads, area in rows}
    return roll_quorum(
        room_rule(room),
        counting_for(room.basis),
        expected=Weight(room.roll_heads, room.roll_area),
        present=present_weight(weights, online_ids, in_hall),
    )


def ballots_of(room_id: int) -> list[dict]:
    """The agenda's ballots with their live payload (full and public variants)."""
    items = AgendaItem.objects.filter(room_id=room_id, ballot__isnull=False)
    return [
        {"item": item.pk, **ballot_payloads(item.ballot_id)}
        for item in items.only("pk", "ballot_id")
    ]


def visible_ballot(payload: dict) -> dict:
    """A ballot payload as anyone may see it (the tally left out while hidden)."""
    full, public = payload["full"], payload["public"]
    return {
        "item": payload.get("item"),
        "ballot": payload["ballot"],
        "status": full["status"],
        "participation": public["participation"]["heads"],
        "roll": public["roll"]["heads"],
        "tally": None
        if payload.get("hidden")
        else [{"label": o["label"], "heads": o["heads"]} for o in full["options"]],
    }


def snapshot(room: Room, online_ids: set[int]) -> dict:
    """Everything a connecting page needs, under the room's current `seq`."""
    participants = shown_participants(room)
    meeting = room.meeting
    return {
        "type": "snapshot",
        "seq": room.seq,
        "room": {
            "id": room.pk,
            "title": room.title,
            "status": room.status,
            "place": meeting.place,
            "held_at": meeting.held_at.isoformat(),
            "current_item": room.current_item_id,
            "floor": floor_of(room),
        },
        "agenda": agenda_of(room.pk),
        "participants": [
            {
                "id": p.pk,
                "name": p.name,
                "role": p.role,
                "eligible": p.eligible,
                "in_hall": p.in_hall,
                "muted": p.muted,
            }
            for p in participants
        ],
        "participants_partial": bool(room.basis),
        "queue": queue_of(room.pk),
        "statements": recent_statements(room.pk),
        "online": online_named(room, online_ids, participants),
        "online_count": len(online_ids),
        "quorum": quorum_of(room, online_ids).as_dict(),
        "ballots": [visible_ballot(b) for b in ballots_of(room.pk)],
    }


FOUND_MAX = 20


def seats_named(room: Room, text: str) -> list[dict]:
    """An assembly's seats with a vote whose name holds `text` (at most 20): for the
    secretary to mark someone present in the hall among thousands."""
    text = (text or "").strip()[:50]
    if not text:
        return []
    rows = RoomParticipant.objects.filter(
        room=room, eligible=True, name__icontains=text
    ).order_by("name", "pk")[:FOUND_MAX]
    return [
        {"id": p.pk, "name": p.name, "in_hall": p.in_hall, "eligible": True}
        for p in rows
    ]


def room_form_choices(community) -> dict:
    """The staff form's choices: the community's bodies and compounds, and the
    members of its bodies (a chair or secretary is one of them)."""
    bodies = Body.objects.filter(community=community).order_by("kind", "name")
    people = (
        Membership.objects.filter(body__community=community)
        .order_by("person__full_name", "person_id")
        .values_list("person_id", "person__full_name", "body__name")
    )
    seen: dict[int, str] = {}
    for pid, name, body in people:
        seen.setdefault(pid, f"{name}（{body}）")
    return {
        "bodies": [(b.pk, b.name) for b in bodies],
        "compounds": [
            (c.pk, c.name) for c in Compound.objects.filter(communities=community)
        ],
        "people": list(seen.items()),
    }


def rooms_of_user(user) -> list[Room]:
    """Open rooms the user sits in (the room list of their account)."""
    if user is None or not user.is_authenticated:
        return []
    return list(
        Room.objects.filter(status=Room.Status.OPEN)
        .filter(Q(people__user=user) | Q(people__person__user=user))
        .distinct()
        .select_related("meeting")
    )


def room_page(room: Room, user, participant) -> dict:
    """The room page's first state (the page works from it without JavaScript)."""
    online = livepresence.members_sync(presence_topic(room.pk))
    state = snapshot(room, online)
    names = {p["id"]: p["name"] for p in state["participants"]}
    for statement in state["statements"]:
        statement["name"] = names.get(statement["participant"], "")
    items = {item["id"]: item for item in state["agenda"]}
    speaker = state["room"]["floor"]["speaker"]
    return {
        "room": room,
        "state": state,
        "seat": participant,
        "queue_names": [names.get(pid, "") for pid in state["queue"]],
        "online_names": [names[pid] for pid in state["online"] if pid in names],
        "speaker_name": names.get(speaker, "") if speaker else "",
        "current": items.get(room.current_item_id),
        "ballots": {b["item"]: b for b in state["ballots"]},
    }


def _vote_words(ballot_payload: dict) -> str:
    shown = visible_ballot(ballot_payload)
    words = f"参加投票 {shown['participation']} 人（共 {shown['roll']} 人）"
    if shown["tally"] is None:
        return words + "，结果在投票截止后公布"
    counts = "；".join(f"{o['label']} {o['heads']} 票" for o in shown["tally"])
    decision = ballot_payload["full"].get("decision") or {}
    verdict = (decision.get("wording") or {}).get("verdict", "")
    return "，".join(part for part in (words, counts, verdict) if part)


def _items_facts(room: Room, names: dict) -> list[ItemFacts]:
    by_item: dict[int | None, list] = {}
    for s in Statement.objects.filter(room=room).order_by("seq"):
        by_item.setdefault(s.item_id, []).append(
            (names.get(s.participant_id, ""), s.text)
        )
    items = []
    for item in AgendaItem.objects.filter(room=room):
        vote = _vote_words(ballot_payloads(item.ballot_id)) if item.ballot_id else ""
        items.append(ItemFacts(item.title, tuple(by_item.get(item.pk, ())), vote))
    if by_item.get(None):
        items.append(ItemFacts("其他发言", tuple(by_item[None])))
    return items


def _roll_attendance(room: Room, people: list) -> tuple[RollAttendance, bool]:
    """An assembly's attendance in counts (never thousands of names): seats present
    in the hall or online, their heads and area against the roll's; and the names
    of those who spoke. With whether the quorum was met."""
    seats = RoomParticipant.objects.filter(room=room, eligible=True)
    came = seats.filter(Q(in_hall=True) | Q(joined_at__isnull=False))
    sums = came.aggregate(
        heads=Coalesce(Sum("heads"), 0),
        area=Coalesce(Sum("area"), 0),
        hall=Count("pk", filter=Q(in_hall=True)),
        online=Count("pk", filter=Q(in_hall=False)),
    )
    spoke = set(
        Statement.objects.filter(room=room).values_list("participant_id", flat=True)
    )
    counting = counting_for(room.basis)
    found = roll_quorum(
        room_rule(room),
        counting,
        expected=Weight(room.roll_heads, room.roll_area),
        present=Weight(sums["heads"], sums["area"]),
    )
    attendance = RollAttendance(
        counting=counting.value,
        expected=found.expected,
        present=found.present,
        in_hall=sums["hall"],
        online=sums["online"],
        expected_area=found.as_dict().get("expected_area", ""),
        present_area=found.as_dict().get("present_area", ""),
        speakers=tuple(p.name for p in people if p.pk in spoke),
    )
    return attendance, found.met


def _body_attendance(room: Room, people: list) -> dict:
    present = [p for p in people if p.eligible and (p.in_hall or p.joined_at)]
    absent = [p for p in people if p.eligible and not (p.in_hall or p.joined_at)]
    expected = sum(1 for p in people if p.eligible)
    return {
        "expected": expected,
        "present_names": tuple(p.name for p in present),
        "absent_names": tuple(p.name for p in absent),
        "quorum_met": quorum(
            room_rule(room), expected=expected, present=len(present)
        ).met,
    }


def minutes_facts(room: Room) -> MinutesFacts:
    """What the first draft of the minutes is written from."""
    people = shown_participants(room)
    others = [
        p.name
        for p in people
        if not p.eligible and (p.in_hall or p.joined_at) and p.role != "observer"
    ]
    if room.basis:
        roll, met = _roll_attendance(room, people)
        attendance = {"expected": roll.expected, "quorum_met": met, "roll": roll}
        attendance |= {"present_names": (), "absent_names": ()}
    else:
        attendance = _body_attendance(room, people)
    meeting = room.meeting
    role_of = {p.role: p.name for p in people}
    return MinutesFacts(
        title=room.title,
        body=meeting.body.name if meeting.body else "",
        held_at=f"{timezone.localtime(meeting.held_at):%Y年%m月%d日 %H:%M}",
        place=meeting.place,
        others=tuple(others),
        rule_title=room_rule(room).title_zh,
        chair=role_of.get("chair", ""),
        secretary=role_of.get("secretary", ""),
        items=tuple(_items_facts(room, {p.pk: p.name for p in people})),
        **attendance,
    )


def attending(room: Room, participant: RoomParticipant | None) -> bool:
    """The participant is a member recorded present who has not signed yet."""
    if participant is None or participant.person_id is None:
        return False
    return MeetingAttendance.objects.filter(
        meeting_id=room.pk,
        person_id=participant.person_id,
        present=True,
        confirmed_at__isnull=True,
    ).exists()


AGENDA_CHOICES_LIMIT = 50
#: a ballot goes on an agenda before or while it is open (the chair runs it there)
AGENDA_BALLOT_STATUSES = (Ballot.Status.DRAFT, Ballot.Status.OPEN)


def agenda_form_choices(room: Room, user) -> dict:
    """The agenda form's choices: the community's newest matters, and its ballots
    not yet closed nor on any agenda that this user may manage (the chair opens
    them in the room)."""
    community_id = room.meeting.community_id
    matters = Matter.objects.filter(community_id=community_id).order_by("-created_at")
    ballots = (
        Ballot.objects.filter(
            community_id=community_id,
            status__in=AGENDA_BALLOT_STATUSES,
        )
        .exclude(
            pk__in=AgendaItem.objects.filter(ballot__isnull=False).values("ballot")
        )
        .select_related("community")
        .order_by("-pk")[:AGENDA_CHOICES_LIMIT]
    )
    return {
        "matters": list(matters.values_list("pk", "title")[:AGENDA_CHOICES_LIMIT]),
        "ballots": [(b.pk, b.title) for b in manageable(user, ballots)],
    }
