"""Who may enter a room and do what in it.

- A room is entered by its participants (members of the body — or, for a residents'
  meeting or owners' assembly, the voters of its roll — invited residents and
  observers named at its setup, each on their own login) and by the staff who manage
  the community's matters (as observers). Named observers enter only while the
  community's setting admits observers (`room_observers_admitted`).
- Participants with a voice (chair, secretary, members, invited residents) raise
  their hand, post statements and react; a muted one cannot post or raise a hand.
  Invited residents speak only while the community's setting lets them
  (`room_invited_may_speak`); otherwise they, like observers, watch.
- The chair, and staff, run the meeting: open an item, give the floor, set the
  timer, mute, open and close a ballot, close the meeting.
- The secretary, the chair and staff mark members present in the hall and draft the
  minutes; members present confirm them.
- `None` as the user is the system (the demo, a command): always allowed.
"""

from __future__ import annotations

from consultation.ballots.models import CommunityVotingSettings
from consultation.records.permissions import can_manage_matters, person_of
from neighbourhoods.models import Person
from yishi import rows

from .models import Room, RoomParticipant

R = RoomParticipant.Role
VOICED = {R.CHAIR, R.SECRETARY, R.MEMBER, R.INVITED}
OUTRIGHT = VOICED - {R.INVITED}  # voiced whatever the community's settings


def participant_of(user, room: Room) -> RoomParticipant | None:
    """The user's seat: by their login, else by their resident record (a seat
    taken before the person had a login). Two look-ups by the (room, user) and
    (room, person) unique indexes, where one OR across the join to the person
    would read every seat of a room of thousands."""
    if user is None or not user.is_authenticated:
        return None
    # Each pair is unique; the statement is made once (yishi.rows): it runs on
    # every action of every participant, and compiling it was most of its cost.
    seat = rows.select_row(RoomParticipant, room_id=room.pk, user_id=user.pk)
    if seat is not None:
        return seat
    person = person_of(user)  # loaded with the user by our backend
    if person is None:
        return None
    return rows.select_row(RoomParticipant, room_id=room.pk, person_id=person.pk)


def is_staff_of(user, room: Room) -> bool:
    return user is not None and can_manage_matters(user, room.meeting.community)


def room_setting(room_id: int, name: str) -> bool:
    """A rooms setting of the room's community (its default if none is saved)."""
    found = (
        CommunityVotingSettings.objects.filter(community__meetings__pk=room_id)
        .values_list(name, flat=True)
        .first()
    )
    return getattr(CommunityVotingSettings(), name) if found is None else found


def resident_of(user, room: Room) -> bool:
    """The login is a registered person of the room's community."""
    return Person.objects.filter(
        user=user, home_community_id=room.meeting.community_id
    ).exists()


def can_enter(user, room: Room, participant: RoomParticipant | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if participant is not None and participant.role != R.OBSERVER:
        return True
    if is_staff_of(user, room):
        return True
    if participant is None and not (room.basis and resident_of(user, room)):
        return False
    return room_setting(room.pk, "room_observers_admitted")


def speaks_outright(role: str, muted: bool) -> bool:
    """A seat's role and mute that may enter and speak without anything more to
    read: the chair, the secretary or a member, not muted (the common case a
    room's statement is written for on the event loop; `can_enter` and
    `can_speak` decide the rest)."""
    return role in OUTRIGHT and not muted


# `staff` and `invited_may_speak`, when given, are the answers already known (read
# once for a room's connections, `lobby`); left out, they are read here.


def can_speak(
    participant: RoomParticipant | None, *, invited_may_speak: bool | None = None
) -> bool:
    if participant is None or participant.role not in VOICED:
        return False
    if participant.role == R.INVITED:
        if invited_may_speak is None:
            return room_setting(participant.room_id, "room_invited_may_speak")
        return invited_may_speak
    return True


def can_chair(
    user, room: Room, participant: RoomParticipant | None, *, staff: bool | None = None
) -> bool:
    if user is None:
        return True
    if participant is not None and participant.role == R.CHAIR:
        return True
    return is_staff_of(user, room) if staff is None else staff


def can_keep_record(
    user, room: Room, participant: RoomParticipant | None, *, staff: bool | None = None
) -> bool:
    if user is None:
        return True
    if participant is not None and participant.role in {R.CHAIR, R.SECRETARY}:
        return True
    return is_staff_of(user, room) if staff is None else staff


def rights(
    user,
    room: Room,
    participant: RoomParticipant | None,
    *,
    staff: bool | None = None,
    invited_may_speak: bool | None = None,
) -> dict[str, bool]:
    """What a connecting page may offer the user (its `hello`); every action is
    checked again by its service."""
    return {
        "chair": can_chair(user, room, participant, staff=staff),
        "record": can_keep_record(user, room, participant, staff=staff),
        "speak": can_speak(participant, invited_may_speak=invited_may_speak),
    }
