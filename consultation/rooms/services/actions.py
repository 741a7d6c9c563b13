"""The room's actions, each a service: the participant's (raise a hand, withdraw,
post a statement, react) and the chair's (open an item, give the floor, set the
speaking time, mute, open or close a ballot, close the meeting).

Each locks the room, checks the actor's seat, changes the database, increments `seq`
and keeps the event (`core.bump`) in one transaction; the event is announced after
commit. A statement, a reaction and a raised hand are their own records (their rows
say who and when); the chair's actions write an audit line each.
"""

from __future__ import annotations

import asyncio
import logging

import psycopg
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.ballots import services as ballot_services
from consultation.ballots.services import BallotError
from yishi import asyncdb, rows

from .. import events, permissions
from ..domain.limits import object_id, statement_problem
from ..models import (
    AgendaItem,
    Reaction,
    Room,
    RoomParticipant,
    SpeakerRequest,
    Statement,
)
from ..selectors import (
    agenda_of,
    floor_of,
    queue_of,
    reactions_of,
    statement_dict,
    statement_fields,
)
from .core import (
    RecordsConflict,
    RecordsError,
    abump,
    audit,
    bump,
    forbidden,
    invalid,
    locked_room,
    of_room,
    seat_of,
)

logger = logging.getLogger(__name__)
WAITING, SPEAKING = SpeakerRequest.Status.WAITING, SpeakerRequest.Status.SPEAKING
TIMER_MAX = 3600


def _voiced(room: Room, actor, on_behalf_of=None) -> RoomParticipant:
    """The actor's seat with a voice. The system (`actor=None`: the demo, a command)
    names the participant it writes for."""
    if actor is None:
        participant = of_room(RoomParticipant, room, on_behalf_of)
    else:
        participant = seat_of(room, actor)
    if not permissions.can_speak(participant):
        raise forbidden(_("旁听者不能发言。 Observers cannot speak."))
    if participant.muted:
        raise forbidden(_("您已被主持人禁言。 The chair has muted you."))
    return participant


def _chair(room: Room, actor) -> RoomParticipant | None:
    participant = seat_of(room, actor)
    if not permissions.can_chair(actor, room, participant):
        raise forbidden(_("只有主持人可以这样做。 Only the chair may do this."))
    return participant


@transaction.atomic
def hand_raise(*, room_id: int, actor, on_behalf_of=None) -> dict:
    room = locked_room(room_id)
    participant = _voiced(room, actor, on_behalf_of)
    if SpeakerRequest.objects.filter(
        room=room, participant=participant, status__in=[WAITING, SPEAKING]
    ).exists():
        raise RecordsConflict(
            _("您已在发言队列中。 Already in the queue."), code="queued"
        )
    SpeakerRequest.objects.create(
        room=room, participant=participant, item_id=room.current_item_id
    )
    return bump(room, "queue", queue=queue_of(room.pk))


@transaction.atomic
def hand_withdraw(*, room_id: int, actor) -> dict:
    room = locked_room(room_id)
    participant = seat_of(room, actor)
    changed = SpeakerRequest.objects.filter(
        room=room, participant=participant, status=WAITING
    ).update(status=SpeakerRequest.Status.WITHDRAWN)
    if not changed:
        raise RecordsConflict(
            _("您不在发言队列中。 Not in the queue."), code="not_queued"
        )
    return bump(room, "queue", queue=queue_of(room.pk))


@transaction.atomic
def statement_post(*, room_id: int, actor, text, on_behalf_of=None) -> dict:
    problem = statement_problem(text)
    if problem:
        raise invalid(problem, "bad_statement")
    room = locked_room(room_id)
    participant = _voiced(room, actor, on_behalf_of)
    statement = Statement(
        room_id=room.pk,
        item_id=room.current_item_id,
        participant_id=participant.pk,
        text=text.strip(),
        seq=room.seq + 1,
    )
    rows.insert_row(statement)  # made once (yishi.rows): the most frequent write
    return bump(room, "statement", statement=statement_dict(statement))


#: what a statement written on the event loop reads of the room and of the seat
LOOP_ROOM = ("seq", "announced_seq", "status", "current_item_id")
LOOP_SEAT = ("pk", "role", "muted")


async def statement_post_on_loop(*, room_id: int, actor, text) -> dict | None:
    """`statement_post` written by the event loop's own connection (yishi.asyncdb),
    for a meeting's common case: an open room, and the actor's login holding a seat
    that speaks outright (chair, secretary, member; not muted). In any other case,
    or with the loop's connection busy or unreachable before anything is written,
    it writes nothing and returns None: the caller runs `statement_post`, which
    decides the rest as it always has (a seat by resident record, an invited
    resident's setting, every refusal and its message).

    The same rows as `statement_post`, the same event, announced after commit; the
    values are read and written without model instances (yishi.rows), which on
    an event loop cost more than the queries. A failure after the commit was asked
    for is raised, never retried by the other path: the statement may have been
    kept, and must not be kept twice."""
    problem = statement_problem(text)
    if problem:
        raise invalid(problem, "bad_statement")
    if object_id(room_id) is None:
        return None
    written = None
    try:
        async with asyncdb.lane() as conn:
            if conn is None:
                return None
            async with conn.transaction(), conn.cursor() as cursor:
                written = await _statement_written(cursor, room_id, actor, text)
                if written is None:
                    return None
    except asyncio.CancelledError:
        if written is not None:  # committed perhaps, and not announced
            await asyncio.shield(events.give_back_async(room_id, written[0]))
        raise
    except (psycopg.Error, OSError):
        task = asyncio.current_task()
        if written is not None or (task is not None and task.cancelling()):
            raise  # kept perhaps, or the socket is going: not written again
        logger.warning("room %s: statement left to the database thread", room_id)
        return None
    first, payload = written
    # Announced to the end even if this task is cancelled meanwhile (a worker
    # stopping): as the thread's on_commit, which nothing interrupts.
    await asyncio.shield(events.room_announce_async(room_id, first, payload))
    return payload


async def _statement_written(cursor, room_id: int, actor, text: str):
    """By `cursor`, in the loop connection's transaction: (first, payload), or
    None if the room or the seat is not the common case (nothing written)."""
    room = await rows.aselect_values(cursor, Room, LOOP_ROOM, lock=True, pk=room_id)
    if room is None:
        return None
    seq, announced_seq, status, item_id = room
    if status != Room.Status.OPEN:
        return None
    seat = await rows.aselect_values(
        cursor, RoomParticipant, LOOP_SEAT, room_id=room_id, user_id=actor.pk
    )
    if seat is None or not permissions.speaks_outright(*seat[1:]):
        return None
    now = timezone.now()  # the statement's and its event's
    values = {
        "item_id": item_id,
        "participant_id": seat[0],
        "text": text.strip(),
        "seq": seq + 1,
        "created_at": now,
    }
    pk = await rows.ainsert_values(cursor, Statement, room_id=room_id, **values)
    statement = statement_fields(pk, **values)
    return await abump(
        cursor, room_id, seq, announced_seq, "statement", now, statement=statement
    )


@transaction.atomic
def reaction_set(*, room_id: int, actor, statement_id, kind, on_behalf_of=None) -> dict:
    room = locked_room(room_id)
    participant = _voiced(room, actor, on_behalf_of)
    if kind not in Reaction.Kind.values:
        raise invalid(_("未知的表态。 Unknown reaction."))
    statement = of_room(Statement, room, statement_id)
    if statement is None:
        raise invalid(_("没有这条发言。 No such statement."))
    Reaction.objects.update_or_create(
        statement=statement, participant=participant, defaults={"kind": kind}
    )
    counts = reactions_of([statement.pk])[statement.pk]
    return bump(room, "reactions", statement=statement.pk, reactions=counts)


@transaction.atomic
def item_open(*, room_id: int, actor, item_id) -> dict:
    room = locked_room(room_id)
    _chair(room, actor)
    item = of_room(AgendaItem, room, item_id)
    if item is None:
        raise invalid(_("没有这项议程。 No such item."))
    AgendaItem.objects.filter(room=room, status=AgendaItem.Status.CURRENT).update(
        status=AgendaItem.Status.DONE
    )
    AgendaItem.objects.filter(pk=item.pk).update(status=AgendaItem.Status.CURRENT)
    room.current_item = item
    room.save(update_fields=["current_item"])
    audit(actor, "room_item_open", room, item=item.pk)
    return bump(room, "agenda", current_item=item.pk, agenda=agenda_of(room.pk))


@transaction.atomic
def floor_give(*, room_id: int, actor) -> dict:
    """The current speaker is done; the first in the queue (if any) has the floor."""
    room = locked_room(room_id)
    _chair(room, actor)
    now = timezone.now()
    SpeakerRequest.objects.filter(room=room, status=SPEAKING).update(
        status=SpeakerRequest.Status.DONE
    )
    following = SpeakerRequest.objects.filter(room=room, status=WAITING).first()
    if following is not None:
        following.status, following.started_at = SPEAKING, now
        following.save(update_fields=["status", "started_at"])
    room.speaker_id = following.participant_id if following else None
    room.timer_started_at = now if following else None
    room.save(update_fields=["speaker", "timer_started_at"])
    audit(actor, "room_floor_give", room, speaker=room.speaker_id)
    return bump(room, "floor", floor=floor_of(room), queue=queue_of(room.pk))


@transaction.atomic
def timer_set(*, room_id: int, actor, seconds) -> dict:
    room = locked_room(room_id)
    _chair(room, actor)
    if not isinstance(seconds, int) or isinstance(seconds, bool):
        raise invalid(_("发言时间须为整数秒。 Seconds must be a whole number."))
    if not 10 <= seconds <= TIMER_MAX:
        raise invalid(_("发言时间须在 10 秒至 1 小时之间。 10 s to 1 hour."))
    room.timer_seconds = seconds
    room.timer_started_at = timezone.now() if room.speaker_id else None
    room.save(update_fields=["timer_seconds", "timer_started_at"])
    audit(actor, "room_timer_set", room, seconds=seconds)
    return bump(room, "floor", floor=floor_of(room), queue=queue_of(room.pk))


@transaction.atomic
def participant_mute(*, room_id: int, actor, participant_id, muted) -> dict:
    room = locked_room(room_id)
    _chair(room, actor)
    target = of_room(RoomParticipant, room, participant_id)
    if target is None or not isinstance(muted, bool):
        raise invalid(_("没有这位参会人。 No such participant."))
    target.muted = muted
    target.save(update_fields=["muted"])
    if muted:
        SpeakerRequest.objects.filter(
            room=room, participant=target, status=WAITING
        ).update(status=SpeakerRequest.Status.WITHDRAWN)
    audit(actor, "room_participant_mute", room, participant=target.pk, muted=muted)
    return bump(
        room, "muted", participant=target.pk, muted=muted, queue=queue_of(room.pk)
    )


def _item_ballot(room: Room, item_id) -> AgendaItem:
    item = of_room(AgendaItem, room, item_id, ballot__isnull=False)
    if item is None:
        raise invalid(_("这项议程没有投票。 This item has no ballot."))
    return item


def _ballot_call(function, item: AgendaItem, actor, chairs: bool):
    # The ballot of the room's agenda (put there by someone who may manage it,
    # setup.agenda_item_add) is its chair's to open and close: the ballots' own
    # rules — notice period, state — still apply, and its audit names the chair.
    # Anyone else (staff running the room) answers to the ballot's own check.
    try:
        return function(ballot_id=item.ballot_id, actor=actor, actor_checked=chairs)
    except BallotError as error:
        raise RecordsError(
            str(error), code=getattr(error, "code", "ballot"), status=error.status
        ) from None


def _ballot_step(room_id, actor, item_id, function, action: str) -> dict:
    room = locked_room(room_id)
    seat = _chair(room, actor)
    item = _item_ballot(room, item_id)
    chairs = seat is not None and seat.role == RoomParticipant.Role.CHAIR
    ballot = _ballot_call(function, item, actor, chairs)
    audit(actor, action, room, ballot=ballot.pk)
    return bump(room, "ballot", item=item.pk, ballot=ballot.pk, status=ballot.status)


@transaction.atomic
def ballot_open(*, room_id: int, actor, item_id) -> dict:
    """The chair opens the item's ballot (the ballots' own checks apply)."""
    return _ballot_step(
        room_id, actor, item_id, ballot_services.ballot_open, "room_ballot_open"
    )


@transaction.atomic
def ballot_close(*, room_id: int, actor, item_id) -> dict:
    return _ballot_step(
        room_id, actor, item_id, ballot_services.ballot_close, "room_ballot_close"
    )


@transaction.atomic
def room_close(*, room_id: int, actor) -> dict:
    room = locked_room(room_id)
    _chair(room, actor)
    room.status, room.closed_at = Room.Status.CLOSED, timezone.now()
    room.speaker, room.timer_started_at = None, None
    room.save(update_fields=["status", "closed_at", "speaker", "timer_started_at"])
    SpeakerRequest.objects.filter(room=room, status__in=[WAITING, SPEAKING]).update(
        status=SpeakerRequest.Status.DONE
    )
    audit(actor, "room_close", room)
    return bump(room, "closed", status=room.status)
