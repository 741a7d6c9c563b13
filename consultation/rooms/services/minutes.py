"""Minutes (会议纪要): drafted from the room's record, edited by the secretary,
confirmed when the meeting is over. Confirming fills the meeting record (its text,
who was expected and present) and lists the members present, who then sign on
their own accounts (records' `attendance_confirm`). Attendance online is noted
when a participant first connects (`participants_joined`, for everyone who connected
to a process within a moment: not a change of the room, so no `seq`; the row is its
own record)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.records.services import MinutesInput, meeting_minutes_record

from .. import permissions
from ..domain.limits import unstorable
from ..domain.minutes import draft
from ..models import Room, RoomParticipant
from ..selectors import minutes_facts
from .core import RecordsConflict, audit, forbidden, invalid, locked_room, seat_of

MINUTES_MAX = 50_000


def participants_joined(*, room_id: int, participant_ids) -> int:
    """First connections of participants (noted by the room sockets in batches):
    each seat keeps the time it first joined. Returns the seats noted."""
    ids = [i for i in participant_ids if isinstance(i, int) and not isinstance(i, bool)]
    if not ids:
        return 0
    return RoomParticipant.objects.filter(
        pk__in=ids, room_id=room_id, joined_at__isnull=True
    ).update(joined_at=timezone.now())


def participant_joined(*, room_id: int, participant_id: int) -> None:
    """First connection of one participant."""
    participants_joined(room_id=room_id, participant_ids=[participant_id])


def _record_keeper(room_id: int, actor) -> Room:
    room = locked_room(room_id, open_only=False)
    if not permissions.can_keep_record(actor, room, seat_of(room, actor)):
        raise forbidden(_("只有记录人可以整理会议纪要。 Only the secretary may."))
    if room.minutes_status == Room.MinutesStatus.CONFIRMED:
        raise RecordsConflict(
            _("会议纪要已确认，不能再修改。 The minutes are confirmed."),
            code="minutes_confirmed",
        )
    return room


@transaction.atomic
def minutes_draft(*, room_id: int, actor) -> Room:
    """A fresh draft from the record (replaces an earlier draft)."""
    room = _record_keeper(room_id, actor)
    room.minutes_text = draft(minutes_facts(room))
    room.minutes_status = Room.MinutesStatus.DRAFT
    room.save(update_fields=["minutes_text", "minutes_status"])
    audit(actor, "minutes_draft", room)
    return room


@transaction.atomic
def minutes_edit(*, room_id: int, actor, text) -> Room:
    room = _record_keeper(room_id, actor)
    if room.minutes_status != Room.MinutesStatus.DRAFT:
        raise RecordsConflict(_("请先起草会议纪要。 Draft the minutes first."))
    if not isinstance(text, str) or not text.strip() or len(text) > MINUTES_MAX:
        raise invalid(_("会议纪要不能为空，最多 5 万字。 1 to 50,000 characters."))
    if unstorable(text):
        raise invalid(_("纪要含有无法保存的字符。 Characters that cannot be kept."))
    room.minutes_text = text.strip()
    room.save(update_fields=["minutes_text"])
    audit(actor, "minutes_edit", room)
    return room


def _count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise invalid(_("人数须为非负整数。 Counts must be whole numbers ≥ 0."))
    return value


def _roll_heads(room: Room) -> tuple[int, int] | None:
    """An assembly's record counts the roll's heads (households, owners), not the
    people seated: the roll's total expected, the heads of the seats present."""
    if not room.basis:
        return None
    came = RoomParticipant.objects.filter(room=room, eligible=True).filter(
        Q(in_hall=True) | Q(joined_at__isnull=False)
    )
    present = came.aggregate(heads=Coalesce(Sum("heads"), 0))["heads"]
    return room.roll_heads, min(present, room.roll_heads)


@transaction.atomic
def minutes_confirm(*, room_id: int, actor, yes=0, no=0, abstain=0) -> Room:
    """The meeting is over and the minutes final: the meeting record is filled in
    (and, when the meeting holds its matter's awaited step, the show of hands
    `yes`/`no`/`abstain` is judged and the minutes become that step's record)."""
    room = _record_keeper(room_id, actor)
    if room.status != Room.Status.CLOSED:
        raise RecordsConflict(_("会议结束后才能确认纪要。 Close the meeting first."))
    if room.minutes_status != Room.MinutesStatus.DRAFT:
        raise RecordsConflict(_("请先起草会议纪要。 Draft the minutes first."))
    members = list(RoomParticipant.objects.filter(room=room, eligible=True))
    data = MinutesInput(
        text=room.minutes_text,
        expected_ids=tuple(p.person_id for p in members if p.person_id),
        present_ids=tuple(
            p.person_id for p in members if p.person_id and (p.in_hall or p.joined_at)
        ),
        yes=_count(yes),
        no=_count(no),
        abstain=_count(abstain),
        heads=_roll_heads(room),
    )
    meeting_minutes_record(meeting_id=room.pk, actor=actor, data=data)
    room.minutes_status = Room.MinutesStatus.CONFIRMED
    room.minutes_confirmed_at = timezone.now()
    room.save(update_fields=["minutes_status", "minutes_confirmed_at"])
    audit(actor, "minutes_confirm", room, present=len(data.present_ids))
    return room
