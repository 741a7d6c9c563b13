"""Live room messages: the group, the announcement of `seq`'d changes, presence.

A service's change is kept as a `RoomEvent` under the room's `seq`; after commit
`room_announce` asks the fan-out (yishi.fanout) to send it at once (no coalescing
window: each event matters). The builder `room_broadcast` reads every kept event not
yet handed over (`Room.announced_seq`), encodes each once and sends them in one
group message; the per-process hub (yishi.livehub) writes the texts to every local
connection. Two processes taking entries of one room at once may send an event
at once: they claim the events by compare-and-set on `Room.announced_seq`, so each
event is handed over once (clients drop a `seq` they have applied all the same).
None is lost: every commit schedules a broadcast that reads the database after it.

Presence and quorum change without a `seq` (joining is not a database write): a
`presence` message carries the full current value, at most twice a second.
"""

from __future__ import annotations

import json
import logging

import redis

from yishi import fanout, livepresence

from .models import Room, RoomEvent
from .selectors import online_named, presence_topic, quorum_of, room_or_none

logger = logging.getLogger(__name__)
TOPIC = "room"
PRESENCE_TOPIC = "room_presence"
PRESENCE_SECONDS = 0.5
MAX_EVENTS_PER_MESSAGE = 500


def room_group(room_id: int) -> str:
    return f"room.{room_id}"


def socket_path(room_id: int) -> str:
    """The room's websocket (yishi.routing): where its pages connect."""
    return f"/ws/rooms/{room_id}/"


def room_announce(room_id: int) -> None:
    """After commit: send the room's new events now."""
    fanout.schedule(TOPIC, room_id, delay=0)


def presence_schedule(room_id: int) -> None:
    """Someone joined or left: send presence and quorum within half a second.
    With Redis down it is skipped (logged): presence is a value, sent again with
    the next change, and joining must not fail for it."""
    try:
        fanout.schedule(PRESENCE_TOPIC, room_id, delay=PRESENCE_SECONDS)
    except (redis.RedisError, OSError):
        logger.warning("room %s: presence not scheduled (Redis unreachable)", room_id)


def _claim(room_id: int) -> list | None:
    """The kept events not yet announced, claimed by compare-and-set on
    `announced_seq` so that each is handed over by exactly one process."""
    for _attempt in range(5):
        announced = Room.objects.filter(pk=room_id).values_list(
            "announced_seq", flat=True
        )
        if not announced:
            return None
        rows = list(
            RoomEvent.objects.filter(room_id=room_id, seq__gt=announced[0])
            .order_by("seq")
            .values_list("seq", "payload")[:MAX_EVENTS_PER_MESSAGE]
        )
        if not rows:
            return None
        claimed = Room.objects.filter(pk=room_id, announced_seq=announced[0]).update(
            announced_seq=rows[-1][0]
        )
        if claimed:
            return rows
    return None  # contended: the other process's broadcast carries them


def room_broadcast(key: str) -> tuple[str, dict] | None:
    room_id = int(key)
    rows = _claim(room_id)
    if not rows:
        return None
    texts = [json.dumps(payload, ensure_ascii=False) for _seq, payload in rows]
    message = {"type": "room.events", "texts": texts, "seq": rows[-1][0]}
    # An item put on the agenda with its ballot: each connection starts following
    # that ballot's tally (they joined the others' when they connected).
    ballots = sorted(
        {
            item["ballot"]
            for _seq, payload in rows
            if payload.get("type") == "agenda"
            for item in payload.get("agenda", ())
            if item.get("ballot")
        }
    )
    if ballots:
        message["ballots"] = ballots
    return room_group(room_id), message


def presence_payload(room_id: int) -> dict | None:
    room = room_or_none(room_id)
    if room is None:
        return None
    online = livepresence.members_sync(presence_topic(room_id))
    return {
        "type": "presence",
        "seq": room.seq,
        "online": online_named(room, online),
        "online_count": len(online),
        "quorum": quorum_of(room, online).as_dict(),
    }


def presence_broadcast(key: str) -> tuple[str, dict] | None:
    payload = presence_payload(int(key))
    if payload is None:
        return None
    text = json.dumps(payload, ensure_ascii=False)
    return room_group(int(key)), {"type": "room.events", "texts": [text], "seq": 0}


LOGOUT_TOPIC = "logout"


# Sign-outs, for every room connection (one subscription per process, not one
# per login; each connection closes itself if the login is its own).
SESSIONS_GROUP = "rooms.sessions"


def on_logged_out(sender, request, user, **kwargs) -> None:
    """Receiver of Django's `user_logged_out`: close that login's room sockets."""
    if user is not None and user.pk is not None:
        fanout.schedule(LOGOUT_TOPIC, user.pk, delay=0)


def logout_broadcast(key: str) -> tuple[str, dict]:
    return SESSIONS_GROUP, {"type": "session.ended", "user": int(key)}


fanout.register(TOPIC, room_broadcast)
fanout.register(LOGOUT_TOPIC, logout_broadcast)
fanout.register(PRESENCE_TOPIC, presence_broadcast)
