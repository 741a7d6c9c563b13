"""The hub's transport, side by side in one process: CPU per message delivered to two
subscribers (two worker processes' hubs) through channels_redis's queue layer
(`group_send`, then each subscriber's `receive`) and through Redis publish/subscribe
(one `PUBLISH`, each subscriber's read) — why yishi.livehub moved to the second."""

from __future__ import annotations

import asyncio
import json
import os
import time

import pytest
import redis.asyncio

pytestmark = pytest.mark.redis

MESSAGES = int(os.environ.get("YISHI_BENCH_HUB_MESSAGES", "2000"))
MESSAGE = {
    "type": "room.events",
    "texts": [json.dumps({"type": "statement", "seq": 5, "text": "议" * 200})],
    "first": 5,
    "seq": 5,
}


async def _queue_layer(url: str) -> float:
    from channels_redis.core import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[{"address": url}], capacity=MESSAGES * 2)
    channels = [await layer.new_channel(), await layer.new_channel()]
    for channel in channels:
        await layer.group_add("bench-hub", channel)

    async def one():
        await layer.group_send("bench-hub", MESSAGE)
        for channel in channels:
            await layer.receive(channel)

    try:
        return await _cpu_per(one)
    finally:
        await layer.flush()


async def _publish_subscribe(url: str) -> float:
    publisher = redis.asyncio.Redis.from_url(url)
    clients = [redis.asyncio.Redis.from_url(url) for _ in range(2)]
    subscribers = [client.pubsub() for client in clients]
    for subscriber in subscribers:
        await subscriber.subscribe("bench-hub")
        await subscriber.get_message(timeout=1)  # the confirmation

    async def one():
        await publisher.publish("bench-hub", json.dumps(MESSAGE))
        for subscriber in subscribers:
            while await subscriber.get_message(timeout=1) is None:
                pass

    try:
        return await _cpu_per(one)
    finally:
        for subscriber, client in zip(subscribers, clients, strict=True):
            await subscriber.aclose()
            await client.aclose()
        await publisher.aclose()


async def _cpu_per(one) -> float:
    for _ in range(50):
        await one()
    started = time.process_time()
    for _ in range(MESSAGES):
        await one()
    return (time.process_time() - started) / MESSAGES * 1e6


def test_hub_transport(bench_report, settings):
    url = settings.REDIS_URL
    rows = []
    for _round in range(2):  # interleaved: the machine is shared
        rows.append(("channels_redis queue layer", asyncio.run(_queue_layer(url))))
        rows.append(("Redis publish/subscribe", asyncio.run(_publish_subscribe(url))))
    bench_report.add(
        "Hub transport: CPU per message to two subscribers",
        [(name, f"{value:.0f} µs") for name, value in rows],
        f"{MESSAGES} messages each, one process, both subscribers in it "
        "(tests/bench/test_hub_transport.py).",
    )
    queue = min(v for n, v in rows if n.startswith("channels"))
    pubsub = min(v for n, v in rows if n.startswith("Redis"))
    assert pubsub < queue
