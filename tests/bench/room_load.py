"""The room benchmark's load generator: a separate process on 127.0.0.1.

    python -m tests.bench.room_load CONFIG.json

CONFIG: {"kind": "yishi"|"channels"|"raw", "urls": [...], "cookies": [...] (yishi),
"origin": ..., "clients": N, "rate": events per second, "seconds": duration}.
Opens N connections spread over the urls in turn, waits until each has its first
message (yishi: the snapshot), then sends `rate` events a second for `seconds`, each
from the next connection in turn (a statement through the room's services for
yishi, a `say` frame for the others), the send time in the text. Every connection
notes when each event arrives. Prints one JSON line: connect time, latencies
(p50/p95/p99), deliveries, undelivered.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

import websockets

GRACE_SECONDS = 5.0


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class Client:
    def __init__(self, url: str, headers: dict, origin: str) -> None:
        self.url, self.headers, self.origin = url, headers, origin
        self.latencies: list[float] = []
        self.ready = asyncio.Event()
        self.socket = None

    async def run(self) -> None:
        async with websockets.connect(
            self.url,
            origin=self.origin,
            additional_headers=self.headers,
            compression=None,
            max_size=2**22,
            open_timeout=60,
            ping_interval=None,
        ) as socket:
            self.socket = socket
            async for frame in socket:
                now = time.time()
                self.ready.set()
                at = frame.find("t=")
                if at >= 0:
                    end = frame.find('"', at)
                    self.latencies.append(now - float(frame[at + 2 : end]))


def _event(kind: str, sent: float) -> str:
    text = f"t={sent:.6f}"
    if kind == "yishi":
        return json.dumps(
            {"type": "action", "name": "statement", "params": {"text": text}}
        )
    return json.dumps({"type": "say", "text": text})


async def main(config: dict) -> dict:
    n, urls = config["clients"], config["urls"]
    cookies = config.get("cookies") or []
    clients = [
        Client(
            urls[i % len(urls)],
            {"Cookie": cookies[i]} if cookies else {},
            config.get("origin", "http://127.0.0.1"),
        )
        for i in range(n)
    ]
    started = time.monotonic()
    tasks = [asyncio.create_task(c.run()) for c in clients]
    await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), 120)
    connect_seconds = time.monotonic() - started
    for c in clients:
        c.latencies.clear()  # the snapshot / hello is not an event
    events = int(config["rate"] * config["seconds"])
    interval = 1 / config["rate"]
    begin = time.monotonic()
    for k in range(events):
        delay = begin + k * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        await clients[k % n].socket.send(_event(config["kind"], time.time()))
    await asyncio.sleep(GRACE_SECONDS)
    for task in tasks:
        task.cancel()
    latencies = [x for c in clients for x in c.latencies]
    return {
        "connect_seconds": round(connect_seconds, 2),
        "events": events,
        "expected": events * n,
        "delivered": len(latencies),
        "undelivered": events * n - len(latencies),
        "p50_ms": round(_percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 0.99) * 1000, 1),
        "send_seconds": round(events * interval, 2),
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(asyncio.run(main(json.load(handle)))), flush=True)
