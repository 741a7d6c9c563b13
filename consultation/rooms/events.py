"""Live room messages: the group, the announcement of `seq`'d changes, presence.

A service's change is kept as a `RoomEvent` under the room's `seq`, in the same
transaction as the change, and claimed there for its announcement
(`Room.announced_seq`, under the room's row lock: `core.bump`). After commit
`room_announce` sends it at once from the committing thread — one `PUBLISH`
(yishi.livehub), the text made from the payload in hand; no coalescing window:
each event matters. A message names its events' range (`first` … `seq`), and each
process's hub hands a room's messages out in that order, whichever process
committed them. A send that fails gives its claim back, and the fan-out's task
(yishi.fanout) sends what is unclaimed once Redis answers — scheduled at once, or,
should that fail too, found by the fan-out's sweep (`unannounced_rooms`). None is
lost: the database holds every event, a dropped message shows as a `seq` gap
(clients ask for a snapshot), and a hub that lost Redis resyncs its connections.

Presence and quorum change without a `seq` (joining is not a database write): a
`presence` message carries the full current value, at most twice a second.
"""

from __future__ import annotations

import json
import logging

import django.db
import redis
from channels.db import database_sync_to_async
from django.db import transaction
from django.db.models import F

from yishi import fanout, livehub, livepresence

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


def room_announce(room_id: int, first: int, payload: dict) -> None:
    """After commit: hand over the events `first` … `payload["seq"]` that the
    committed transaction claimed (`core.bump`), now, from this thread: one
    `PUBLISH`, with the last event's text made from the payload in hand. Should it
    fail, the claim is given back and the fan-out's task sends what is unclaimed
    once Redis answers; should scheduling fail too (logged by the caller), the
    fan-out's sweep finds the room (`unannounced_rooms`), and a process's hub that
    lost Redis resyncs its connections when Redis is back."""
    if fanout.mode() == "off":
        return
    last = payload["seq"]
    try:
        # Earlier events whose send failed ride along (read back).
        rows = [(last, payload)] if first == last else _rows(room_id, first - 1, last)
        livehub.send_sync(room_group(room_id), _events_message(rows))
    except (redis.RedisError, OSError, django.db.Error):
        _give_back(room_id, first)


async def room_announce_async(room_id: int, first: int, payload: dict) -> None:
    """`room_announce` from the event loop, after a transaction of its own
    connection (yishi.asyncdb) committed: the `PUBLISH` awaited there; reading
    back earlier events, or giving the claim back, in Django's database thread."""
    if fanout.mode() == "off":
        return
    last = payload["seq"]
    if first != last:  # earlier events whose send failed ride along (read back)
        await _after_commit(room_announce, room_id, first, payload)
        return
    try:
        await livehub.send(room_group(room_id), _events_message([(last, payload)]))
    except (redis.RedisError, OSError):
        await give_back_async(room_id, first)
    except Exception:  # a defect: logged; the statement is kept and acknowledged
        # all the same (an error would have its sender post it again), and the
        # fan-out sends the event
        logger.exception("room %s: events not sent", room_id)
        await give_back_async(room_id, first)


async def give_back_async(room_id: int, first: int) -> None:
    """The claim of events committed on the event loop and not sent (Redis
    failed, or the task was cancelled before it sent them) given back to the
    fan-out, which sends them. Harmless if they were not committed after all."""
    await _after_commit(_give_back, room_id, first)


async def _after_commit(call, *args) -> None:
    """`call` in Django's database thread, as a robust `on_commit` runs it: its
    failure is logged, never raised. What can fail is the database or Redis
    while the claim is given back; the statement is kept all the same and its
    sender gets the ack, and the others catch up by `seq` and snapshot at the
    room's next event or when they reconnect."""
    try:
        await database_sync_to_async(call)(*args)
    except Exception:
        logger.exception("room %s: events not handed over", args[0])


def _give_back(room_id: int, first: int) -> None:
    """Events claimed and not sent: left to the fan-out's task."""
    logger.warning("room %s: events not sent, left to the fan-out", room_id)
    # Given back: sent again (clients drop a `seq` they have) rather than lost.
    # Should this fail too, the fan-out's sweep finds the room.
    Room.objects.filter(pk=room_id, announced_seq__gte=first).update(
        announced_seq=first - 1
    )
    fanout.schedule(TOPIC, room_id, delay=0)


def unannounced_rooms() -> list[int]:
    """Rooms with kept events not handed over (`Room.announced_seq` behind `seq`):
    a send that failed, whose retry could not be scheduled either (the fan-out's
    sweep, every few seconds; a claim given back is the only way a room gets here)."""
    behind = Room.objects.filter(announced_seq__lt=F("seq")).order_by("pk")
    return list(behind.values_list("pk", flat=True)[: fanout.TAKE_BATCH])


def _rows(room_id: int, after: int, last: int | None = None) -> list:
    """Kept events after `after`: up to `last` (claimed already, so all of them),
    else the next MAX_EVENTS_PER_MESSAGE."""
    events = RoomEvent.objects.filter(room_id=room_id, seq__gt=after).order_by("seq")
    if last is not None:
        return list(events.filter(seq__lte=last).values_list("seq", "payload"))
    return list(events.values_list("seq", "payload")[:MAX_EVENTS_PER_MESSAGE])


def presence_schedule(room_id: int) -> None:
    """Someone joined or left: send presence and quorum within half a second.
    With Redis down it is skipped (logged): presence is a value, sent again with
    the next change, and joining must not fail for it."""
    try:
        fanout.schedule(PRESENCE_TOPIC, room_id, delay=PRESENCE_SECONDS)
    except (redis.RedisError, OSError):
        logger.warning("room %s: presence not scheduled (Redis unreachable)", room_id)


def _send_unannounced(room_id: int) -> None:
    """Send the room's kept events not yet handed over (`Room.announced_seq`) and
    mark them handed over, under the room's row lock (the fan-out's retry of a
    failed `room_announce`)."""
    while True:
        with transaction.atomic():
            announced = list(
                Room.objects.select_for_update()
                .filter(pk=room_id)
                .values_list("announced_seq", flat=True)
            )
            rows = _rows(room_id, announced[0]) if announced else []
            if not rows:
                return
            livehub.send_sync(room_group(room_id), _events_message(rows))
            Room.objects.filter(pk=room_id).update(announced_seq=rows[-1][0])
        if len(rows) < MAX_EVENTS_PER_MESSAGE:
            return


def _events_message(rows: list) -> dict:
    texts = [json.dumps(payload, ensure_ascii=False) for _seq, payload in rows]
    # `first` … `seq`: the hubs hand messages out in that order (yishi.livehub).
    message = {
        "type": "room.events",
        "texts": texts,
        "first": rows[0][0],
        "seq": rows[-1][0],
    }
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
    return message


def room_broadcast(key: str) -> None:
    """The fan-out's retry of `room_announce`: it sends under the room's lock
    itself (so nothing to hand back)."""
    _send_unannounced(int(key))


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
fanout.register_sweep(TOPIC, unannounced_rooms)
fanout.register(LOGOUT_TOPIC, logout_broadcast)
fanout.register(PRESENCE_TOPIC, presence_broadcast)
