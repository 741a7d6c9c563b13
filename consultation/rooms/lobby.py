"""What a connecting room socket needs, read once per process and room.

A meeting's members connect in a burst when it starts — a thousand in a few
seconds for an assembly — and each used to cost four trips through the process's
single database thread (the seat and the rights, the room's row for the snapshot,
the snapshot, the attendance write). Here each websocket process keeps, per room it
serves, one `_Entry`:

- the room's row as last read, with the two community settings that decide entry
  and voice (`room_observers_admitted`, `room_invited_may_speak`) and the agenda's
  ballots — read again when this process hears a newer `seq` or after
  `ROW_SECONDS`;
- its seats by login and by resident record (id, role): seats are written when the
  room is created and never added later, so they are read once per entry;
- the snapshot text of the newest `seq` this process has heard, built once and
  shared by everyone who connects meanwhile (and by every connection resyncing
  after a Redis restart). A ballot of the agenda changes without a room `seq`
  (votes, or closed from the ballot's page): the entry follows each one's tally
  and drops the kept snapshot when one is heard.

A participant with a seat (not an observer's) whose login holds no staff assignment
(known from the login as our backend loads it) is admitted from memory; anyone else
— observers, staff, residents entering an assembly without a seat — is checked
against the database as before (`permissions`). Every action is checked again by
its service, in its transaction: the entry only ever admits to listening.

The entry hears the room's messages through this process's hub (`yishi.livehub`)
before any connection does — it joins the room's group before its first read — so
the `seq` it knows is never behind what a connection has been sent, and a snapshot
is never older than an event a connection received. It is dropped when the last
connection it admitted leaves.
"""

from __future__ import annotations

import asyncio
import json
import time
import weakref
from dataclasses import dataclass, field

from channels.db import database_sync_to_async

from consultation.ballots.events import ballot_group
from neighbourhoods.permissions import known_staff
from yishi import livehub, livepresence
from yishi.websocket_auth import known_person_id, resolved

from . import permissions, selectors
from .events import room_group
from .models import RoomParticipant

ROW_SECONDS = 5.0
R = RoomParticipant.Role
REFUSED_SIGNED_OUT, REFUSED_GONE, REFUSED_FORBIDDEN = 4401, 4404, 4403


@dataclass(frozen=True)
class Seat:
    """A seat as the rights need it (`permissions` reads `role` and `room_id`)."""

    pk: int
    role: str
    room_id: int


@dataclass(eq=False)  # a hub member: hashed by identity
class _Entry:
    room_id: int
    holders: int = 0
    room: object = None  # the Room as last read (None: no such room)
    settings: dict = field(default_factory=dict)
    ballots: list = field(default_factory=list)
    by_user: dict = field(default_factory=dict)
    by_person: dict = field(default_factory=dict)
    read_at: float = -1.0
    heard_seq: int = 0
    snapshot: tuple[int, str, float] | None = None  # seq, text, read at
    followed: set = field(default_factory=set)  # ballot ids whose tally it hears
    reading: asyncio.Future | None = None
    building: asyncio.Future | None = None
    joining: asyncio.Future | None = None

    async def heard(self, message: dict) -> None:
        """A hub message for the room (before any connection gets it)."""
        if message.get("type") == livehub.RESYNC["type"]:
            self.snapshot = None  # events may have been lost with Redis
            self.read_at = -1.0
            return
        seq = message.get("seq") or 0
        if seq > self.heard_seq:
            self.heard_seq = seq

    async def tally_heard(self, message: dict) -> None:
        """A ballot of the agenda changed (or Redis came back): the kept snapshot
        shows its old status and counts."""
        self.snapshot = None


_entries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _by_room() -> dict[int, _Entry]:
    loop = asyncio.get_running_loop()
    found = _entries.get(loop)
    if found is None:
        found = _entries[loop] = {}
    return found


# --- database reads (in the database thread) ----------------------------------


def _read_row(room_id: int, with_seats: bool):
    room = selectors.room_or_none(room_id)
    if room is None:
        return None, {}, [], None
    settings = {
        name: permissions.room_setting(room_id, name)
        for name in ("room_observers_admitted", "room_invited_may_speak")
    }
    ballots = [b["ballot"] for b in selectors.agenda_of(room_id) if b["ballot"]]
    seats = None
    if with_seats:  # plain rows: a model instance each cost 0.1 ms for thousands
        seats = list(
            RoomParticipant.objects.filter(room_id=room_id).values_list(
                "pk", "role", "user_id", "person_id"
            )
        )
    return room, settings, ballots, seats


def _access_checked(user, room_id: int):
    """The full check against the database (anyone the entry cannot admit); a
    ticket's login is first read in full from its session."""
    user = resolved(user)
    if not user.is_authenticated:
        return REFUSED_SIGNED_OUT, None, {}
    room = selectors.room_or_none(room_id)
    if room is None or room.status != room.Status.OPEN:
        return REFUSED_GONE, None, {}
    participant = permissions.participant_of(user, room)
    if not permissions.can_enter(user, room, participant):
        return REFUSED_FORBIDDEN, None, {}
    ballots = [b["ballot"] for b in selectors.agenda_of(room.pk) if b["ballot"]]
    may = {"ballots": ballots, **permissions.rights(user, room, participant)}
    return None, participant, may


def _build_snapshot(room_id: int):
    room = selectors.room_or_none(room_id)
    if room is None:
        return None, None
    online = livepresence.members_sync(selectors.presence_topic(room_id))
    text = json.dumps(selectors.snapshot(room, online), ensure_ascii=False)
    return room, text


# --- the entry ---------------------------------------------------------------


def _stale(entry: _Entry) -> bool:
    return (
        entry.read_at < 0
        or time.monotonic() - entry.read_at > ROW_SECONDS
        or (entry.room is not None and entry.heard_seq > entry.room.seq)
    )


async def _fresh(entry: _Entry) -> None:
    """Read the row again if a newer `seq` was heard or it is older than
    ROW_SECONDS (one read, whoever else waits for it; again if the one joined
    began before a newer `seq` was heard)."""
    for _attempt in range(3):  # a read after a heard seq sees it (committed first)
        if not _stale(entry):
            return
        if entry.reading is None:
            entry.reading = asyncio.ensure_future(_read(entry))
        reading = entry.reading
        try:
            await asyncio.shield(reading)
        finally:
            if entry.reading is reading and reading.done():
                entry.reading = None
        if entry.room is None:
            return


async def _read(entry: _Entry) -> None:
    started = time.monotonic()
    room, settings, ballots, seats = await database_sync_to_async(_read_row)(
        entry.room_id, not entry.by_user and not entry.by_person
    )
    entry.room, entry.settings, entry.ballots = room, settings, ballots
    await _follow_ballots(entry, ballots)
    if seats is not None:
        by_user, by_person = {}, {}
        for pk, role, user_id, person_id in seats:
            seat = Seat(pk, role, entry.room_id)
            if user_id:
                by_user[user_id] = seat
            if person_id:
                by_person[person_id] = seat
        entry.by_user, entry.by_person = by_user, by_person
    entry.read_at = started


async def _follow_ballots(entry: _Entry, ballots) -> None:
    """Hear the tally of each ballot of the agenda; a ballot newly followed may
    have changed unheard, so the kept snapshot goes."""
    new = [b for b in ballots if b not in entry.followed]
    for ballot_id in new:
        entry.followed.add(ballot_id)
        await livehub.join(ballot_group(ballot_id), entry, entry.tally_heard)
    if new:
        entry.snapshot = None
    if _by_room().get(entry.room_id) is not entry:  # released meanwhile
        await _unfollow(entry)


async def _unfollow(entry: _Entry) -> None:
    followed, entry.followed = entry.followed, set()
    for ballot_id in followed:
        await livehub.leave(ballot_group(ballot_id), entry)


async def _hold(room_id: int) -> _Entry:
    rooms = _by_room()
    entry = rooms.get(room_id)
    if entry is None:
        entry = rooms[room_id] = _Entry(room_id)
        # Before the first read: every later event reaches the entry first. Every
        # connection waits for the subscription, not only the first.
        entry.joining = asyncio.ensure_future(
            livehub.join(room_group(room_id), entry, entry.heard)
        )
    entry.holders += 1
    try:
        await asyncio.shield(entry.joining)
    except BaseException:
        await release(room_id)
        raise
    return entry


async def release(room_id: int) -> None:
    """A connection the entry admitted (or was admitting) has left."""
    rooms = _by_room()
    entry = rooms.get(room_id)
    if entry is None:
        return
    entry.holders -= 1
    if entry.holders <= 0:
        del rooms[room_id]
        try:
            await livehub.leave(room_group(room_id), entry)
        finally:
            await _unfollow(entry)


def _from_memory(entry: _Entry, user):
    """(refusal, seat, may) when the entry can decide, else None."""
    room = entry.room
    if room is None or room.status != room.Status.OPEN:
        return REFUSED_GONE, None, {}
    seat = entry.by_user.get(user.pk)
    if seat is None:
        person_id = known_person_id(user)
        if person_id is ...:
            return None
        seat = entry.by_person.get(person_id) if person_id else None
    staff = known_staff(user)
    if seat is None or seat.role == R.OBSERVER or staff is None:
        return None  # the database decides
    may = {
        "ballots": list(entry.ballots),
        **permissions.rights(
            user,
            room,
            seat,
            staff=staff,
            invited_may_speak=entry.settings["room_invited_may_speak"],
        ),
    }
    return None, seat, may


async def enter(user, room_id: int):
    """(refusal code or None, the user's seat, what they may do). When admitted
    the caller holds the room's entry until `release`."""
    entry = await _hold(room_id)
    try:
        await _fresh(entry)
        decided = _from_memory(entry, user)
        if decided is None:
            decided = await database_sync_to_async(_access_checked)(user, room_id)
    except BaseException:
        await release(room_id)
        raise
    if decided[0] is not None:
        await release(room_id)
    return decided


async def snapshot_text(room_id: int, *, fresh: bool = False) -> str | None:
    """The room's snapshot as of the newest `seq` this process has heard, built
    once and shared (None if the room is gone). `fresh`: read after this call (a
    client that asked for one: it may know of a change this process missed). The
    caller holds the entry."""
    entry = _by_room().get(room_id)
    if entry is None:  # not held (tests calling directly): build it alone
        return (await database_sync_to_async(_build_snapshot)(room_id))[1]
    asked = time.monotonic()
    while True:
        kept = entry.snapshot
        if kept is not None and (
            kept[2] >= asked or (not fresh and kept[0] >= entry.heard_seq)
        ):
            return kept[1]
        if entry.building is None:
            entry.building = asyncio.ensure_future(_build(entry))
        building = entry.building
        try:
            text = await asyncio.shield(building)
        finally:
            if entry.building is building and building.done():
                entry.building = None
        if text is None:
            return None


async def _build(entry: _Entry) -> str | None:
    started = time.monotonic()
    room, text = await database_sync_to_async(_build_snapshot)(entry.room_id)
    if room is None:
        entry.room, entry.snapshot = None, None
        return None
    entry.heard_seq = max(entry.heard_seq, room.seq)
    entry.snapshot = (room.seq, text, started)
    return text
