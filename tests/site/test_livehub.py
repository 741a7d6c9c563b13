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


class _FailingOnceLayer:
    """A layer whose one blocking read fails once (Redis restarted), as
    channels_redis's: only the subscription whose turn it was sees the error."""

    def __init__(self) -> None:
        self.added: list[tuple[str, str]] = []
        self.failed = False
        self.count = 0

    async def new_channel(self) -> str:
        self.count += 1
        return f"specific.x!{self.count}"

    async def group_add(self, group, channel) -> None:
        self.added.append((group, channel))

    async def group_discard(self, group, channel) -> None:
        pass

    async def receive(self, channel):
        if channel.endswith("!1") and not self.failed:
            await asyncio.sleep(0.05)
            self.failed = True
            raise ConnectionError("Connection closed by server.")
        await asyncio.Event().wait()  # nothing else ever comes


async def test_a_failed_read_rejoins_every_group_and_resyncs_all(monkeypatch):
    layer = _FailingOnceLayer()
    monkeypatch.setattr(livehub, "get_channel_layer", lambda: layer)
    heard = {"room.1": [], "user.7": [], "ballot.3": []}
    for group, messages in heard.items():
        await livehub.join(group, "conn", _async(messages.append))
    layer.added.clear()
    for _ in range(100):
        if all(heard.values()):
            break
        await asyncio.sleep(0.01)
    # Only room.1's read failed; every group is joined again and told to resync.
    assert sorted(group for group, _channel in layer.added) == sorted(heard)
    assert all(messages == [livehub.RESYNC] for messages in heard.values())
    for group in heard:
        await livehub.leave(group, "conn")


def _async(function):
    async def call(message):
        function(message)

    return call


class _DefectiveLayer(_FailingOnceLayer):
    """A read that fails with a defect of ours, not a Redis outage."""

    async def receive(self, channel):
        self.count += 1
        raise ValueError("a bug")


async def test_a_defect_ends_the_read_loudly_instead_of_recovering_for_ever(
    monkeypatch, caplog
):
    layer = _DefectiveLayer()
    monkeypatch.setattr(livehub, "get_channel_layer", lambda: layer)
    heard = []
    await livehub.join("room.9", "conn", _async(heard.append))
    for _ in range(50):
        if "hub task hub-room.9 failed" in caplog.text:
            break
        await asyncio.sleep(0.01)
    assert "hub task hub-room.9 failed" in caplog.text
    assert layer.count == 2  # one new channel, one read: no retry loop
    assert heard == []  # no resync either: nothing was recovered
    await livehub.leave("room.9", "conn")
