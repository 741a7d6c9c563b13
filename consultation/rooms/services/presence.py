"""The secretary marks members present in the hall (counted for the quorum with
those connected)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import RoomParticipant
from .core import audit, bump, forbidden, invalid, locked_room, of_room, seat_of


@transaction.atomic
def presence_mark(*, room_id: int, actor, participant_id, in_hall) -> dict:
    room = locked_room(room_id)
    if not permissions.can_keep_record(actor, room, seat_of(room, actor)):
        raise forbidden(_("只有记录人可以登记出席。 Only the secretary may."))
    target = of_room(RoomParticipant, room, participant_id)
    if target is None or not isinstance(in_hall, bool):
        raise invalid(_("没有这位参会人。 No such participant."))
    target.in_hall = in_hall
    target.save(update_fields=["in_hall"])
    audit(actor, "room_presence_mark", room, participant=target.pk, in_hall=in_hall)
    return bump(room, "hall", participant=target.pk, in_hall=in_hall)
