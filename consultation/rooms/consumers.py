"""A live room: `/ws/rooms/<id>/` (docs/protocol.md, "Live rooms").

On connect: authenticate (4401), find the room (4404: none, or closed), check the
user's seat (4403), join the room's group through this process's hub (yishi.livehub)
first, then send the snapshot (built once per `seq` and process, shared by everyone
who connects meanwhile) and the current presence. Frames: `ping`,
`snapshot_request`, and `action` (a named service with its parameters, answered by
`ack` or `error` with the client's `request_id`); each action asks the service,
which checks permission again. A per-connection rate limit answers with `error`
(`rate_limited`) and closes persistent abuse with 4429. Signing out closes the
socket (4401).

A connection has no channel of its own (`channel_layer_alias = None`): everything
it hears — the room, its ballots' tallies, its login's sign-out — comes through the
process's hub, so a Redis restart does not end it; the hub re-joins and asks for a
resync, answered with the current snapshot.
"""

from __future__ import annotations

import asyncio
import json
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils.translation import gettext as _

from consultation.ballots.events import ballot_group
from yishi import fanout, livehub, livepresence

from . import permissions, selectors
from .domain.limits import FRAME_MAX, RateLimiter
from .events import (
    presence_schedule,
    room_group,
    user_group,
)
from .selectors import presence_topic
from .services import RecordsError, participant_joined, room_action

CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_GONE, CLOSE_ABUSE = 4401, 4403, 4404, 4429
_snapshots: dict[int, tuple[int, str]] = {}  # room id -> (seq, encoded snapshot)


def _access(user, room_id: int):
    room = selectors.room_or_none(room_id)
    if room is None or room.status != room.Status.OPEN:
        return CLOSE_GONE, None, {}
    participant = permissions.participant_of(user, room)
    if not permissions.can_enter(user, room, participant):
        return CLOSE_FORBIDDEN, None, {}
    ballots = [b["ballot"] for b in selectors.agenda_of(room.pk) if b["ballot"]]
    may = {
        "ballots": ballots,
        "chair": permissions.can_chair(user, room, participant),
        "record": permissions.can_keep_record(user, room, participant),
        "speak": permissions.can_speak(participant),
    }
    return None, participant, may


def _joined(room_id: int, participant_id: int) -> None:
    participant_joined(room_id=room_id, participant_id=participant_id)
    presence_schedule(room_id)


def _snapshot_text(room_id: int) -> str:
    """The room's snapshot, built once per `seq` in this process."""
    room = selectors.room_or_none(room_id)
    cached = _snapshots.get(room_id)
    if cached is not None and cached[0] == room.seq:
        return cached[1]
    online = livepresence.members_sync(presence_topic(room_id))
    text = json.dumps(selectors.snapshot(room, online), ensure_ascii=False)
    _snapshots[room_id] = (room.seq, text)
    return text


def _tally_view(message: dict) -> dict | None:
    if message.get("type") != "ballot.tally":
        return None
    return {"type": "tally", **selectors.visible_ballot(message)}


class RoomConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = None  # no per-connection channel: the hub delivers
    ballot_groups: tuple = ()

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        refused, participant, may = await database_sync_to_async(_access)(
            user, self.room_id
        )
        if refused:
            await self.close(code=refused)
            return
        self.participant_id = participant.pk if participant else None
        self.limiter = RateLimiter()
        await self.accept()
        self.group = room_group(self.room_id)
        await livehub.join(self.group, self, self._deliver)
        self.ballot_groups = [ballot_group(b) for b in may.pop("ballots")]
        for group in self.ballot_groups:
            await livehub.join(group, self, self._deliver_tally)
        self.user_group = user_group(user.pk)
        await livehub.join(self.user_group, self, self._deliver_session)
        fanout.ensure_delivering()
        await self._send(self._hello(user, participant, may))
        await self._send_snapshot()
        if self.participant_id is not None:
            topic = presence_topic(self.room_id)
            if await livepresence.arrive(topic, self.participant_id):
                await database_sync_to_async(_joined)(self.room_id, self.participant_id)

    async def disconnect(self, code):
        if not hasattr(self, "group"):
            return
        await livehub.leave(self.group, self)
        for group in self.ballot_groups:
            await livehub.leave(group, self)
        await livehub.leave(self.user_group, self)
        if self.participant_id is not None:
            topic = presence_topic(self.room_id)
            if await livepresence.depart(topic, self.participant_id):
                await database_sync_to_async(presence_schedule)(self.room_id)

    async def receive(self, text_data=None, bytes_data=None):
        if text_data is None:
            return await self._error("bad_frame", _("只接受文本帧。 Text frames only."))
        if len(text_data) > FRAME_MAX:
            return await self._error("too_large", _("消息过长。 Message too large."))
        try:
            content = json.loads(text_data)
        except ValueError:
            return await self._error("bad_json", _("消息不是 JSON。 Not JSON."))
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            return await self._error(
                "bad_envelope",
                _("消息须为带 type 的对象。 Expected an object with a type."),
            )
        kind = content["type"]
        if kind == "ping":
            return await self._send({"type": "pong", "id": content.get("id")})
        if kind == "snapshot_request":
            return await self._send_snapshot()
        if kind == "action":
            return await self._action(content)
        return await self._error("unknown_type", _("未知的消息类型。 Unknown type."))

    async def _action(self, content: dict) -> None:
        request_id = content.get("request_id")
        name = content.get("name")
        if not self.limiter.allow(time.monotonic(), statement=name == "statement"):
            if self.limiter.abusive():
                await self.close(code=CLOSE_ABUSE)
                return
            await self._error(
                "rate_limited",
                _("操作太频繁，请稍候。 Too fast; wait a moment."),
                request_id,
            )
            return
        params = (
            content.get("params") if isinstance(content.get("params"), dict) else {}
        )
        try:
            event = await database_sync_to_async(room_action)(
                room_id=self.room_id,
                actor=self.scope["user"],
                name=name if isinstance(name, str) else "",
                params=params,
            )
        except RecordsError as error:
            await self._error(error.code, error.message, request_id, error.status)
            return
        await self._send({"type": "ack", "request_id": request_id, "seq": event["seq"]})

    async def _deliver(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "room.events":
            for text in message["texts"]:
                await self.send(text_data=text)
        elif kind == livehub.RESYNC["type"]:  # Redis came back: events may be lost
            # One snapshot read for all of this process's connections to the room.
            if "_snapshot" not in message:
                read = database_sync_to_async(_snapshot_text)(self.room_id)
                message["_snapshot"] = asyncio.ensure_future(read)
            await self.send(text_data=await message["_snapshot"])

    async def _deliver_tally(self, message: dict) -> None:
        """A ballot's live tally (built once by the ballots' fan-out), encoded once
        per process for every room connection, hidden where the ballot says so."""
        text = livehub.encoded(message, "room_tally", _tally_view)
        if text is not None:
            await self.send(text_data=text)

    async def _deliver_session(self, message: dict) -> None:
        """The login signed out (yishi.fanout via `user_group`)."""
        if message.get("type") == "session.ended":
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def _send_snapshot(self) -> None:
        # The snapshot carries presence and quorum as they were when it was built
        # (once per seq); the `presence` broadcasts bring them up to date.
        await self.send(
            text_data=await database_sync_to_async(_snapshot_text)(self.room_id)
        )

    def _hello(self, user, participant, may: dict) -> dict:
        return {
            "type": "hello",
            "user": user.get_username(),
            "participant": participant.pk if participant else None,
            "role": participant.role if participant else "observer",
            "may": may,
        }

    async def _send(self, payload: dict) -> None:
        await self.send(text_data=json.dumps(payload, ensure_ascii=False))

    async def _error(self, code, detail, request_id=None, status=None) -> None:
        payload = {"type": "error", "code": code, "detail": str(detail)}
        if request_id is not None:
            payload["request_id"] = request_id
        if status is not None:
            payload["status"] = status
        await self._send(payload)
