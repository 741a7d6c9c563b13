"""A live room: `/ws/rooms/<id>/` (docs/protocol.md, "Live rooms").

On connect: authenticate (4401), find the room (4404: none, or closed), check the
user's seat (4403) — from what this process keeps of the room (`lobby`: a seat
holder is admitted without a database trip) — join the room's group through this
process's hub (yishi.livehub), then send the snapshot (built once per `seq` and
process, shared by everyone who connects meanwhile). Presence is counted at once
and written, with attendance, once per batch of arrivals (yishi.livepresence, the
listener below). Frames: `ping`,
`snapshot_request`, and `action` (a named service with its parameters, answered by
`ack` or `error` with the client's `request_id`); each action asks the service,
which checks permission again. A per-connection rate limit answers with `error`
(`rate_limited`) and closes persistent abuse with 4429. Signing out closes the
socket (4401); so does a ticket's session found ended when it is read, just after
the snapshot (yishi.websocket_auth).

A connection has no channel of its own (`channel_layer_alias = None`): everything
it hears — the room, its ballots' tallies, its login's sign-out — comes through the
process's hub, so a Redis restart does not end it; the hub re-joins and asks for a
resync, answered with the current snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from concurrent.futures import ThreadPoolExecutor

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.db import connection
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from consultation.ballots.events import ballot_group
from yishi import fanout, livehub, livepresence
from yishi.websocket_auth import TicketUser, known, note_signed_out, resolved

from . import lobby, selectors
from .domain.limits import FRAME_MAX, RateLimiter, unstorable
from .events import (
    SESSIONS_GROUP,
    presence_schedule,
    room_group,
)
from .selectors import presence_topic
from .services import (
    RecordsError,
    participants_joined,
    room_action,
    statement_post_on_loop,
)

logger = logging.getLogger(__name__)
CLOSE_UNAUTHENTICATED, CLOSE_FORBIDDEN, CLOSE_GONE, CLOSE_ABUSE = 4401, 4403, 4404, 4429


# A ticket's session is read, after connect, in a thread of its own and not in the
# database thread that runs the room's actions: a burst of arrivals (2,000 sockets
# in a second and a half) queues a thousand reads per process, and every action
# behind them waited up to a second (docs/benchmarks.md).
_session_reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="yishi-session")


def _read_session(user):
    """A ticket's login read in full (`resolved`), then the thread's connection
    handed back (to the pool, in production): the session reader works in bursts
    of arrivals and holds nothing between them."""
    try:
        return resolved(user)
    finally:
        connection.close()


def _note_presence(room_id: int, arrived: set[int]) -> None:
    if arrived:
        participants_joined(room_id=room_id, participant_ids=sorted(arrived))
    presence_schedule(room_id)


async def _presence_flushed(topic: str, arrived: set[int], departed: set[int]):
    """After livepresence wrote a batch of a room's arrivals and departures: note
    attendance and schedule the presence broadcast, in one database trip."""
    room_id = int(topic.rpartition(".")[2])
    await database_sync_to_async(_note_presence)(room_id, arrived)


livepresence.listen(presence_topic(0).rpartition(".")[0] + ".", _presence_flushed)


class _SignedOut(Exception):
    pass


def _act(user, room_id: int, name: str, params: dict) -> dict:
    """An action by the socket's login (a ticket's read in full first)."""
    actor = resolved(user)
    if not actor.is_authenticated:
        raise _SignedOut
    return room_action(room_id=room_id, actor=actor, name=name, params=params)


def _echo(value):
    """A client's `id` / `request_id` as it may be sent back: a whole number or a
    short text that encodes (never NaN, a lone surrogate, or a document)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) < 2**53:
        return value
    if isinstance(value, str) and len(value) <= 100 and not unstorable(value):
        return value
    return None


def _tally_view(message: dict) -> dict | None:
    if message.get("type") != "ballot.tally":
        return None
    return {"type": "tally", **selectors.visible_ballot(message)}


class RoomConsumer(AsyncWebsocketConsumer):
    channel_layer_alias = None  # no per-connection channel: the hub delivers
    ballot_groups: tuple = ()
    held: list | None = None
    arrived = False  # counted present (livepresence)
    unwound = False
    checking: asyncio.Task | None = None  # a ticket's session, read after connect
    signed_out = False  # closed with 4401 (once: a second close is refused)

    async def dispatch(self, message):
        """As Channels' own, without the `aclose_old_connections()` it awaits before
        every message: a trip to a database thread for each frame a client sends
        (5 % of the CPU of a room's statement, docs/benchmarks.md) that has nothing
        to close here — this consumer reaches the database only through
        `database_sync_to_async`, which closes old connections around each call,
        and Channels still closes them when the socket disconnects."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.room_id = self.scope["url_route"]["kwargs"]["room_id"]
        refused, participant, may = await lobby.enter(user, self.room_id)
        if refused:
            await self.close(code=refused)
            return
        self.participant_id = participant.pk if participant else None
        self.limiter = RateLimiter()
        self.user_id = user.pk
        self.group = room_group(self.room_id)
        # The room's messages wait until the snapshot is sent: the protocol's order
        # (hello, snapshot, then events), whatever arrives while it is read.
        self.held = []
        try:
            await self.accept()
            await livehub.join(self.group, self, self._deliver)
            self.ballot_groups = [ballot_group(b) for b in may.pop("ballots")]
            for group in self.ballot_groups:
                await livehub.join(group, self, self._deliver_tally)
            await livehub.join(SESSIONS_GROUP, self, self._deliver_session)
            fanout.ensure_delivering()
            await self._send(self._hello(user, participant, may))
            await self._send_snapshot()
            while self.held:  # in order: a newer event waits behind the held ones
                await self._deliver_now(self.held.pop(0))
            self.held = None
        except BaseException:
            # The client left (or Redis failed) while connecting: Channels will not
            # call disconnect(), so leave everything joined here.
            await self._unwind()
            raise
        if self.participant_id is not None:
            await livepresence.arrive(presence_topic(self.room_id), self.participant_id)
            self.arrived = True
        if isinstance(user, TicketUser) and user.real is None:
            self.checking = asyncio.ensure_future(self._check_session(user))

    async def _check_session(self, user) -> None:
        """A ticket let this socket connect without reading its session: read it
        now, once the socket has what it came for — a session ended elsewhere is
        closed at once rather than left listening until it acts, and its first
        action finds the login read (each socket reads its session once, when it
        connects, not when its owner first speaks: docs/benchmarks.md). In its own
        thread (`_session_reader`): an action sent meanwhile is not held behind it
        and reads the session itself."""
        try:
            real = await database_sync_to_async(
                _read_session, thread_sensitive=False, executor=_session_reader
            )(user)
        except Exception:  # the database or Redis failing a moment: the first
            # action reads the session again (and is refused if it cannot)
            logger.warning("room %s: session not read after connect", self.room_id)
            return
        if not real.is_authenticated:
            await self._signed_out()

    async def _signed_out(self) -> None:
        if not self.signed_out:
            self.signed_out = True
            await self.close(code=CLOSE_UNAUTHENTICATED)

    async def disconnect(self, code):
        if self.checking is not None:
            self.checking.cancel()
        if not hasattr(self, "group"):
            return
        await self._unwind()
        if self.arrived:
            self.arrived = False
            await livepresence.depart(presence_topic(self.room_id), self.participant_id)

    async def _unwind(self) -> None:
        """Leave the hub's groups and release the room's entry (once); a Redis
        failure while leaving does not keep the rest from being undone."""
        if self.unwound:
            return
        self.unwound = True
        try:
            await livehub.leave(self.group, self)
            for group in self.ballot_groups:
                await livehub.leave(group, self)
            await livehub.leave(SESSIONS_GROUP, self)
        finally:
            await lobby.release(self.room_id)

    async def receive(self, text_data=None, bytes_data=None):
        """A client's frame. Whatever it holds, the socket answers and stays up: an
        unexpected failure (a defect, the database gone a moment) is logged and
        answered with `server_error` — a consumer that raised would be left
        counted present, in its groups, until the process restarts."""
        try:
            await self._frame(text_data)
        except Exception:
            logger.exception("room %s: frame not handled", self.room_id)
            with contextlib.suppress(Exception):  # the socket may be gone too
                await self._server_error()

    async def _frame(self, text_data) -> None:
        if text_data is None:
            return await self._error("bad_frame", _("只接受文本帧。 Text frames only."))
        if len(text_data) > FRAME_MAX:
            return await self._error("too_large", _("消息过长。 Message too large."))
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):  # not JSON, or nested past the parser
            return await self._error("bad_json", _("消息不是 JSON。 Not JSON."))
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            return await self._error(
                "bad_envelope",
                _("消息须为带 type 的对象。 Expected an object with a type."),
            )
        kind = content["type"]
        if kind == "ping":
            return await self._send({"type": "pong", "id": _echo(content.get("id"))})
        if kind == "snapshot_request":
            # A fresh snapshot is a read in the database thread that runs the
            # room's actions: counted as an action (at most 10/s).
            if await self._allowed(statement=False, request_id=None):
                await self._send_snapshot(fresh=True)
            return None
        if kind == "action":
            return await self._action(content)
        return await self._error("unknown_type", _("未知的消息类型。 Unknown type."))

    async def _allowed(self, *, statement: bool, request_id) -> bool:
        """The connection's rate limit: refused with `rate_limited`, and a socket
        that keeps at it closed with 4429."""
        if self.limiter.allow(time.monotonic(), statement=statement):
            return True
        if self.limiter.abusive():
            await self.close(code=CLOSE_ABUSE)
            return False
        slow_down = _("操作太频繁，请稍候。 Too fast; wait a moment.")
        await self._error("rate_limited", slow_down, request_id)
        return False

    async def _action(self, content: dict) -> None:
        request_id = _echo(content.get("request_id"))
        name = content.get("name")
        statement = name == "statement"
        if not await self._allowed(statement=statement, request_id=request_id):
            return
        params = (
            content.get("params") if isinstance(content.get("params"), dict) else {}
        )
        try:
            event = await self._perform(name if isinstance(name, str) else "", params)
        except _SignedOut:  # the ticket's session ended: as on signing out
            await self._signed_out()
            return
        except RecordsError as error:
            await self._error(error.code, error.message, request_id, error.status)
            return
        except Exception:  # a defect, the database gone a moment: logged, and
            # answered with the action's request_id (receive() would lose it)
            logger.exception("room %s: action %r failed", self.room_id, name)
            await self._server_error(request_id)
            return
        await self._send({"type": "ack", "request_id": request_id, "seq": event["seq"]})

    async def _perform(self, name: str, params: dict) -> dict:
        """The action through its service: a statement of a login already read is
        written by this event loop when it can (`statement_post_on_loop`: no trip
        to the database thread, the dearest part of a meeting's most frequent
        action); everything else, and what that leaves, in Django's thread."""
        if name == "statement" and "text" in params:
            actor = known(self.scope["user"])
            if actor is not None and actor.is_authenticated:
                event = await statement_post_on_loop(
                    room_id=self.room_id, actor=actor, text=params["text"]
                )
                if event is not None:
                    return event
        return await database_sync_to_async(_act)(
            self.scope["user"], self.room_id, name, params
        )

    async def _deliver(self, message: dict) -> None:
        if self.held is not None:  # connecting: after the snapshot
            self.held.append(message)
            return
        await self._deliver_now(message)

    async def _deliver_now(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "room.events":
            for text in message["texts"]:
                await self.send(text_data=text)
            for ballot_id in message.get("ballots", ()):
                await self._follow_ballot(ballot_id)
        elif kind == livehub.RESYNC["type"]:  # Redis came back: events may be lost
            # One snapshot read for all of this process's connections to the room
            # (the lobby heard the resync first and dropped its kept snapshot).
            await self._send_snapshot()

    async def _follow_ballot(self, ballot_id: int) -> None:
        """Hear the tally of a ballot put on the agenda after this connected."""
        group = ballot_group(ballot_id)
        if group in self.ballot_groups:
            return
        self.ballot_groups = [*self.ballot_groups, group]  # left on disconnect
        try:
            await livehub.join(group, self, self._deliver_tally)
        except (ConnectionError, RedisError, OSError):
            # Redis failing: the tally shows from the next snapshot (the hub
            # resyncs every connection once Redis is back).
            logger.warning(
                "room %s: following ballot %s failed", self.room_id, ballot_id
            )

    async def _deliver_tally(self, message: dict) -> None:
        """A ballot's live tally (built once by the ballots' fan-out), encoded once
        per process for every room connection, hidden where the ballot says so."""
        text = livehub.encoded(message, "room_tally", _tally_view)
        if text is not None:
            await self.send(text_data=text)

    async def _deliver_session(self, message: dict) -> None:
        """A login signed out (yishi.fanout via `SESSIONS_GROUP`): this one? Its
        page's ticket is no longer taken by this process either."""
        if message.get("type") != "session.ended":
            return
        note_signed_out(message.get("user"))
        if message.get("user") == self.user_id:
            await self._signed_out()

    async def _send_snapshot(self, *, fresh: bool = False) -> None:
        # The snapshot carries presence and quorum as they were when it was built
        # (once per seq); the `presence` broadcasts bring them up to date.
        text = await lobby.snapshot_text(self.room_id, fresh=fresh)
        if text is not None:
            await self.send(text_data=text)

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

    async def _server_error(self, request_id=None) -> None:
        detail = _("服务器出错，请稍后再试。 Server error; try again later.")
        await self._error("server_error", detail, request_id, 500)

    async def _error(self, code, detail, request_id=None, status=None) -> None:
        payload = {"type": "error", "code": code, "detail": str(detail)}
        if request_id is not None:
            payload["request_id"] = request_id
        if status is not None:
            payload["status"] = status
        await self._send(payload)
