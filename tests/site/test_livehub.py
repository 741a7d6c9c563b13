"""The per-process hub: one channel-layer subscription per group and process, each
message handed to every local connection, text encoded once."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from yishi import livehub

pytestmark = pytest.mark.asyncio


async def test_one_subscription_many_connections(settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    }
    layer = get_channel_layer()
    received = {1: [], 2: [], 3: []}
    builds = []

    def build(message):
        builds.append(message)
        return {"type": "x", "n": message["n"]}

    def deliver_to(key):
        async def deliver(message):
            received[key].append(livehub.encoded(message, "x", build))

        return deliver

    for key in received:
        await livehub.join("hub-test", key, deliver_to(key))
    assert livehub.local_count("hub-test") == 3
    assert len(layer.groups["hub-test"]) == 1  # one channel for the process
    await layer.group_send("hub-test", {"type": "t", "n": 7})
    for _ in range(50):
        if all(received.values()):
            break
        await asyncio.sleep(0.01)
    assert all(texts == ['{"type": "x", "n": 7}'] for texts in received.values())
    assert len(builds) == 1  # encoded once for the three connections
    for key in received:
        await livehub.leave("hub-test", key)
    assert livehub.local_count("hub-test") == 0
    assert not layer.groups.get("hub-test")
