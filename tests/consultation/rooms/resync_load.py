"""Room clients that keep the room's state as room.js does, for the reliability test
(and its 500-client benchmark): a separate process on 127.0.0.1.

    python -m tests.consultation.rooms.resync_load CONFIG.json

CONFIG: {"urls": [...], "cookies": [...], "origin": ..., "redis_port": P,
"redis_dir": D, "posters": K}. Opens one connection per cookie, spread over the
urls in turn; each keeps the last applied `seq` and the statements it knows, applies
events in order, asks for a snapshot on a `seq` gap, and reconnects with room.js's
backoff when its socket closes. Then:

1. K clients post a statement each (before);
2. Redis is restarted (`redis-cli shutdown nosave`, a new `redis-server` on the same
   port, empty: every group membership and message in flight is lost);
3. K clients post a statement each once Redis is back (after);
4. on "drop" (a line on stdin, written once the test has kept an event without
   announcing it), K more statements: the clients see the gap and recover.

Prints one JSON line: per client the seconds from Redis's return to its first
snapshot, its last `seq`, the statement ids it holds, gaps seen, reconnects.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import time

import websockets

SETTLE_SECONDS = 3.0


class RoomClient:
    def __init__(self, url: str, cookie: str, origin: str) -> None:
        self.url, self.cookie, self.origin = url, cookie, origin
        self.last = -1
        self.statements: dict[int, str] = {}
        self.waiting = False
        self.snapshots: list[float] = []
        self.gaps = 0
        self.reconnects = 0
        self.socket = None
        self.ready = asyncio.Event()

    async def run(self) -> None:
        attempts = 0
        while True:
            try:
                async with websockets.connect(
                    self.url,
                    origin=self.origin,
                    additional_headers={"Cookie": self.cookie},
                    compression=None,
                    open_timeout=30,
                    ping_interval=None,
                ) as socket:
                    self.socket, attempts = socket, 0
                    async for frame in socket:
                        await self.on_message(json.loads(frame))
            except (OSError, websockets.WebSocketException, TimeoutError):
                pass
            self.socket = None
            self.reconnects += 1
            delay = min(60.0, 2.0**attempts) * (0.5 + random.random() / 2)
            attempts += 1
            await asyncio.sleep(delay)

    async def on_message(self, m: dict) -> None:
        if m["type"] == "snapshot":
            self.statements = {s["id"]: s["text"] for s in m["statements"]}
            self.last, self.waiting = m["seq"], False
            self.snapshots.append(time.monotonic())
            self.ready.set()
            return
        if not isinstance(m.get("seq"), int) or m["type"] in ("presence", "ack"):
            return
        if self.waiting or m["seq"] <= self.last:
            return
        if m["seq"] > self.last + 1:  # an event was lost: ask for the state
            self.gaps += 1
            self.waiting = True
            await self.socket.send(
                json.dumps({"type": "snapshot_request", "seq": self.last})
            )
            return
        if m["type"] == "statement":
            self.statements[m["statement"]["id"]] = m["statement"]["text"]
        self.last = m["seq"]

    async def post(self, text: str) -> None:
        frame = {"type": "action", "name": "statement", "params": {"text": text}}
        for _ in range(100):  # the socket may be reconnecting
            if self.socket is not None:
                try:
                    await self.socket.send(json.dumps(frame))
                    return
                except websockets.WebSocketException:
                    pass
            await asyncio.sleep(0.1)


def redis_server_command(port: int, directory: str) -> list[str]:
    """A private, empty, unsaved Redis in the background (daemonized)."""
    return [
        *("redis-server", "--port", str(port), "--save", "", "--appendonly", "no"),
        *("--daemonize", "yes", "--dir", directory),
    ]


def _restart_redis(port: int, directory: str) -> None:
    subprocess.run(
        ["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True
    )
    subprocess.run(redis_server_command(port, directory), check=True)
    wait_for_redis(port)


def wait_for_redis(port: int) -> None:
    """Until the daemonized Redis answers (it may not listen yet when started)."""
    for _ in range(100):
        pong = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
        )
        if pong.stdout.strip() == "PONG":
            return
        time.sleep(0.05)
    raise RuntimeError("redis did not come back")


async def _post_round(clients, offset: int, k: int, label: str) -> None:
    for i in range(k):
        await clients[(offset + i) % len(clients)].post(f"{label} {i}")
    await asyncio.sleep(SETTLE_SECONDS)


async def main(config: dict) -> dict:
    clients = [
        RoomClient(config["urls"][i % len(config["urls"])], cookie, config["origin"])
        for i, cookie in enumerate(config["cookies"])
    ]
    tasks = [asyncio.create_task(c.run()) for c in clients]
    await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in clients)), 120)
    k = config["posters"]
    await _post_round(clients, 0, k, "before")
    await asyncio.to_thread(_restart_redis, config["redis_port"], config["redis_dir"])
    back = time.monotonic()
    await asyncio.sleep(SETTLE_SECONDS + 3)
    await _post_round(clients, k, k, "after")
    print("ready-for-drop", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    await _post_round(clients, 2 * k, k, "after-drop")
    for task in tasks:
        task.cancel()
    return {
        "resync_seconds": [
            round(min((t - back for t in c.snapshots if t >= back), default=-1), 2)
            for c in clients
        ],
        "last": [c.last for c in clients],
        "statements": [sorted(c.statements) for c in clients],
        "gaps": [c.gaps for c in clients],
        "reconnects": sum(c.reconnects for c in clients),
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(asyncio.run(main(json.load(handle)))), flush=True)
