"""A presence ping: the smallest authenticated websocket that proves the whole stack.

Protocol (docs/protocol.md): after connect the server sends
`{"type": "hello", "user": <display name>}`; the client sends `{"type": "ping", "id": N}`
and gets `{"type": "pong", "id": N, "online": <count>}`; every join or leave is broadcast to
the group as `{"type": "presence", "online": <count>}`. Anonymous users are refused (4401).
"""

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.cache import cache

GROUP = "presence"
COUNT_KEY = "yishi:presence:online"
MAX_FRAME = 4096


class PresenceConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        await self.accept()
        self.joined = True
        await self.channel_layer.group_add(GROUP, self.channel_name)
        online = await self._change_count(+1)
        await self.send_json({"type": "hello", "user": user.get_username()})
        await self.channel_layer.group_send(
            GROUP, {"type": "presence.changed", "online": online}
        )

    async def disconnect(self, code):
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(GROUP, self.channel_name)
            online = await self._change_count(-1)
            await self.channel_layer.group_send(
                GROUP, {"type": "presence.changed", "online": online}
            )

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        # Refuse what is not a small JSON object instead of raising (a raise drops the socket).
        if text_data is None or len(text_data) > MAX_FRAME:
            await self.send_json({"type": "error", "code": "bad_frame"})
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_json({"type": "error", "code": "bad_json"})
            return
        if not isinstance(content, dict) or content.get("type") != "ping":
            await self.send_json({"type": "error", "code": "unknown_type"})
            return
        online = await cache.aget(COUNT_KEY, 0)
        await self.send_json(
            {"type": "pong", "id": content.get("id"), "online": online}
        )

    async def presence_changed(self, event):
        await self.send_json({"type": "presence", "online": event["online"]})

    async def _change_count(self, delta: int) -> int:
        try:
            return await cache.aincr(COUNT_KEY, delta)
        except ValueError:
            await cache.aadd(COUNT_KEY, 0)
            return await cache.aincr(COUNT_KEY, delta)
