"""A room socket and a hub subscription that hear nothing for longer than redis-py's
5 s default socket timeout still get the next event, over real Redis.

redis-py 8 reads with a 5 s socket timeout by default; a blocking read (once
channels_redis's BZPOPMIN, now the hub's subscriber) then timed out on the client
while Redis simply had nothing to say, and the subscription died with "Timeout
reading". The hub's subscriber reads without a timeout (yishi.livehub).
"""

import asyncio

import pytest
from asgiref.sync import sync_to_async

from consultation.rooms import services
from consultation.rooms.events import room_group
from tests.consultation.rooms.helpers import build_hall
from tests.consultation.rooms.test_room_consumer import (  # noqa: F401 (fixtures)
    _joined,
    _until,
    application,
    close_thread_connections,
)
from yishi import livehub

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]
IDLE_SECONDS = 7  # longer than redis-py's 5 s default socket timeout


async def test_idle_socket_and_subscription_still_receive(application):  # noqa: F811
    hall = await sync_to_async(build_hall)()
    room_id = hall.room.pk
    socket, _, snapshot = await _joined(application, hall.members[0], room_id)
    heard = asyncio.Queue()
    await livehub.join(room_group(room_id), "idle-listener", heard.put)
    try:
        while not socket.output_queue.empty():  # presence and the like
            await socket.receive_json_from(timeout=1)
        await asyncio.sleep(IDLE_SECONDS)
        await sync_to_async(services.room_action)(
            room_id=room_id,
            actor=hall.chair,
            name="statement",
            params={"text": "安静了一会儿之后的发言。"},
        )
        event = await _until(socket, "statement", timeout=5)
        assert event["seq"] == snapshot["seq"] + 1
        message = await asyncio.wait_for(heard.get(), timeout=5)
        assert message["type"] == "room.events"
        assert livehub._hub().url  # over Redis, not this process's loops
        # The socket's consumer is alive too.
        await socket.send_json_to({"type": "ping", "id": 9})
        assert (await _until(socket, "pong"))["id"] == 9
    finally:
        await livehub.leave(room_group(room_id), "idle-listener")
        await socket.disconnect()
