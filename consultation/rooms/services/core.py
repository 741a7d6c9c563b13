"""What every room service shares: the locked room, the actor's seat, and `bump`,
which increments the room's `seq`, stores the change's payload under it and asks
for its announcement after commit — all in the caller's transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from consultation.records.services.errors import (
    RecordsConflict,
    RecordsError,
    forbidden,
    not_found,
)
from yishi import rows
from yishi.audit import audit_record

from .. import events, permissions
from ..domain.limits import object_id
from ..models import Room, RoomEvent, RoomParticipant

__all__ = [
    "RecordsConflict",
    "RecordsError",
    "abump",
    "audit",
    "bump",
    "forbidden",
    "invalid",
    "locked_room",
    "not_found",
    "of_room",
    "seat_of",
]


def invalid(message: str, code: str = "invalid") -> RecordsError:
    return RecordsError(message, code=code, status=422)


def locked_room(room_id, *, open_only: bool = True) -> Room:
    """The room row, locked for the rest of the transaction (404 if none)."""
    if not isinstance(room_id, int) or isinstance(room_id, bool):
        raise not_found()
    # Only the room's row, without its meeting and community: a participant's
    # action never reads them (the chair's and staff's load them when asked), and
    # the join cost a millisecond of CPU on every statement (Community is a page).
    # The statement made once (yishi.rows): compiling it was most of its cost.
    room = rows.select_row(Room, lock=True, pk=room_id)
    if room is None:
        raise not_found()
    if open_only and room.status != Room.Status.OPEN:
        raise RecordsConflict(_("会议已结束。 The meeting is closed."), code="closed")
    return room


def of_room(model, room: Room, value, **conditions):
    """The room's row of `model` whose id a client sent as `value`, or None — also
    when `value` is not an id at all (text, a float, a list): it never reaches the
    query."""
    pk = object_id(value)
    if pk is None:
        return None
    return model.objects.filter(pk=pk, room=room, **conditions).first()


def seat_of(room: Room, actor) -> RoomParticipant | None:
    """The actor's seat in the room; refused (403) if they may not enter."""
    participant = permissions.participant_of(actor, room)
    if actor is not None and not permissions.can_enter(actor, room, participant):
        raise forbidden()
    return participant


def _claim(seq: int, announced_seq: int, kind: str, fields: dict) -> tuple[int, dict]:
    """The event under the next `seq` after `seq`, and the first event the
    transaction claims for its announcement (any earlier one not yet handed over
    rides along)."""
    return announced_seq + 1, {"type": kind, "seq": seq + 1, **fields}


def bump(room: Room, kind: str, **fields) -> dict:
    """Increment `seq`, keep the event, and claim it (with any earlier event not
    yet handed over) for the announcement after commit. Returns it."""
    first, payload = _claim(room.seq, room.announced_seq, kind, fields)
    room.seq = room.announced_seq = payload["seq"]
    # Both statements made once (yishi.rows): they run on every event.
    rows.update_row(Room, room.pk, seq=room.seq, announced_seq=room.seq)
    rows.insert_row(RoomEvent(room_id=room.pk, seq=room.seq, payload=payload))
    room_id = room.pk
    # robust: with Redis down the event is kept all the same (the database is the
    # truth) and clients catch up by `seq` and snapshot; the action must not fail.
    transaction.on_commit(
        lambda: events.room_announce(room_id, first, payload), robust=True
    )
    return payload


async def abump(
    cursor, room_id: int, seq: int, announced_seq: int, kind: str, now, **fields
) -> tuple[int, dict]:
    """`bump` by `cursor`, in a transaction of the event loop's connection
    (yishi.asyncdb), on the room's locked `seq` and `announced_seq`, the event
    kept at `now`: (first, payload). The caller announces after commit
    (`events.room_announce_async`)."""
    first, payload = _claim(seq, announced_seq, kind, fields)
    seq = payload["seq"]
    await rows.aupdate_row(cursor, Room, room_id, seq=seq, announced_seq=seq)
    await rows.ainsert_values(
        cursor,
        RoomEvent,
        room_id=room_id,
        seq=seq,
        payload=payload,
        created_at=now,
    )
    return first, payload


def audit(actor, action: str, room: Room, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=room,
        community_id=room.meeting.community_id,
        detail=detail,
    )
