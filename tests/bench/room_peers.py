"""The two servers the room benchmark compares the Yishi room with (not tests).

* `raw`: a plain `websockets` broadcast server (python -m tests.bench.room_peers raw
  PORT): each `say` frame is encoded once and written to every connection
  (`websockets.broadcast`). The floor of what Python can do.
* `application`: a plain Channels consumer broadcasting with stock `group_send`
  (served by uvicorn, `tests.bench.room_peers:application`): each connection joins
  the group, each `say` is sent to the group and written by every consumer.
"""

from __future__ import annotations

import asyncio
import json
import sys


def _hello() -> str:
    return json.dumps({"type": "hello"})


async def _raw(port: int) -> None:
    import websockets

    clients: set = set()
    seq = 0

    async def handler(socket):
        nonlocal seq
        clients.add(socket)
        try:
            await socket.send(_hello())
            async for frame in socket:
                message = json.loads(frame)
                if message.get("type") == "say":
                    seq += 1
                    text = json.dumps(
                        {"type": "say", "seq": seq, "text": message["text"]},
                        ensure_ascii=False,
                    )
                    websockets.broadcast(clients, text)
        finally:
            clients.discard(socket)

    async with websockets.serve(
        handler, "127.0.0.1", port, compression=None, max_queue=None, backlog=4096
    ):
        print("raw broadcast listening", flush=True)
        await asyncio.Future()


def _channels_application():
    import django

    django.setup()
    from channels.generic.websocket import AsyncWebsocketConsumer
    from channels.routing import ProtocolTypeRouter, URLRouter
    from django.urls import path

    class SayConsumer(AsyncWebsocketConsumer):
        async def connect(self):
            await self.channel_layer.group_add("bench", self.channel_name)
            await self.accept()
            await self.send(text_data=_hello())

        async def disconnect(self, code):
            await self.channel_layer.group_discard("bench", self.channel_name)

        async def receive(self, text_data=None, bytes_data=None):
            message = json.loads(text_data)
            if message.get("type") == "say":
                await self.channel_layer.group_send(
                    "bench", {"type": "bench.say", "text": message["text"]}
                )

        async def bench_say(self, event):
            await self.send(
                text_data=json.dumps(
                    {"type": "say", "text": event["text"]}, ensure_ascii=False
                )
            )

    return ProtocolTypeRouter(
        {"websocket": URLRouter([path("ws/say/", SayConsumer.as_asgi())])}
    )


def __getattr__(name: str):
    if name == "application":
        return _channels_application()
    raise AttributeError(name)


if __name__ == "__main__":
    if sys.argv[1] == "raw":
        asyncio.run(_raw(int(sys.argv[2])))
