"""Who may enter a room and do what in it.

- A room is entered by its participants (members of the body, invited residents and
  observers named at its setup, each on their own login) and by the staff who manage
  the community's matters (as observers).
- Participants with a voice (chair, secretary, members, invited residents) raise
  their hand, post statements and react; a muted one cannot post or raise a hand.
  Observers watch.
- The chair, and staff, run the meeting: open an item, give the floor, set the
  timer, mute, open and close a ballot, close the meeting.
- The secretary, the chair and staff mark members present in the hall and draft the
  minutes; members present confirm them.
- `None` as the user is the system (the demo, a command): always allowed.
"""

from __future__ import annotations

from django.db.models import Q

from consultation.records.permissions import can_manage_matters

from .models import Room, RoomParticipant

R = RoomParticipant.Role
VOICED = {R.CHAIR, R.SECRETARY, R.MEMBER, R.INVITED}


def participant_of(user, room: Room) -> RoomParticipant | None:
    if user is None or not user.is_authenticated:
        return None
    return (
        RoomParticipant.objects.filter(room=room)
        .filter(Q(user=user) | Q(person__user=user))
        .first()
    )


def is_staff_of(user, room: Room) -> bool:
    return user is not None and can_manage_matters(user, room.meeting.community)


def can_enter(user, room: Room, participant: RoomParticipant | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return participant is not None or is_staff_of(user, room)


def can_speak(participant: RoomParticipant | None) -> bool:
    return participant is not None and participant.role in VOICED


def can_chair(user, room: Room, participant: RoomParticipant | None) -> bool:
    if user is None:
        return True
    if participant is not None and participant.role == R.CHAIR:
        return True
    return is_staff_of(user, room)


def can_keep_record(user, room: Room, participant: RoomParticipant | None) -> bool:
    if user is None:
        return True
    if participant is not None and participant.role in {R.CHAIR, R.SECRETARY}:
        return True
    return is_staff_of(user, room)
