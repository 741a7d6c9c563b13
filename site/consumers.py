"""A presence ping: the smallest authenticated websocket that proves the whole stack.

Protocol (docs/protocol.md): after connect the server sends
`{"type": "hello", "user": <username>}`; the client sends
`{"type": "ping", "id": N}` and gets `{"type": "pong", "id": N, "online": <count>}`;
every join or leave is broadcast to the group as
`{"type": "presence", "online": <count>}`. Anonymous users are refused (4401). A frame
the server cannot use gets `{"type": "error", "code": ..., "detail": ...}` and the
socket stays open.
"""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.cache import cache
from django.utils.translation import gettext as _

GROUP = "presence"
COUNT_KEY = "yishi:presence:online"
# Characters, not bytes: a client frame is a few dozen; anything this long is abuse.
MAX_FRAME = 4096
CLOSE_UNAUTHENTICATED = 4401


class PresenceConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Closing before accept rejects the handshake (HTTP 403 on the wire);
            # test communicators and ASGI servers that support it see code 4401.
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        await self.accept()
        self.joined = True
        await self.channel_layer.group_add(GROUP, self.channel_name)
        online = await self._change_count(+1)
        # The username goes only to its owner; the group hears nothing but a count.
        await self.send_json({"type": "hello", "user": user.get_username()})
        await self.channel_layer.group_send(
            GROUP, {"type": "presence.changed", "online": online}
        )

    async def disconnect(self, code):
        if getattr(self, "joined", False):
            self.joined = False
            await self.channel_layer.group_discard(GROUP, self.channel_name)
            online = await self._change_count(-1)
            await self.channel_layer.group_send(
                GROUP, {"type": "presence.changed", "online": online}
            )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Refuse what is not a small JSON object instead of raising: an exception
        # would drop the socket, and one bad frame must not cost the client its seat.
        if text_data is None:
            await self._error("bad_frame", _("只接受文本帧。 Text frames only."))
            return
        if len(text_data) > MAX_FRAME:
            await self._error("too_large", _("消息过长。 Message too large."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self._error("bad_json", _("消息不是 JSON。 Not JSON."))
            return
        if not isinstance(content, dict) or not isinstance(content.get("type"), str):
            await self._error(
                "bad_envelope",
                _("消息须为带 type 的对象。 Expected an object with a type."),
            )
            return
        if content["type"] != "ping":
            await self._error("unknown_type", _("未知的消息类型。 Unknown type."))
            return
        online = await cache.aget(COUNT_KEY, 0)
        await self.send_json(
            {"type": "pong", "id": content.get("id"), "online": max(online, 0)}
        )

    async def presence_changed(self, event):
        await self.send_json({"type": "presence", "online": event["online"]})

    async def _error(self, code: str, detail: str) -> None:
        await self.send_json({"type": "error", "code": code, "detail": str(detail)})

    async def _change_count(self, delta: int) -> int:
        # No timeout: the default (300 s) would drop the count while people are still
        # online and the next leave would drive it negative.
        try:
            online = await cache.aincr(COUNT_KEY, delta)
        except ValueError:
            await cache.aadd(COUNT_KEY, 0, timeout=None)
            online = await cache.aincr(COUNT_KEY, delta)
        # A count cleared under us (cache flush, eviction) can go below zero: never
        # report that.
        return max(online, 0)


CLOSE_NO_ROUTE = 4404


class NoRouteConsumer(AsyncJsonWebsocketConsumer):
    """The last websocket route: any path no other route takes (`/ws/ballots/abc/`,
    an id beyond a database id, a path outside /ws/) is refused at the handshake,
    instead of Channels' router raising (a 500 on the wire)."""

    async def connect(self):
        await self.close(code=CLOSE_NO_ROUTE)
