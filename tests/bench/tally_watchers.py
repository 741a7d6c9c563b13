"""Watchers of a ballot's live tally: the load generator of
tests/bench/test_tally_fanout.py, a separate process on 127.0.0.1.

    python -m tests.bench.tally_watchers CONFIG.json

CONFIG: {"urls": [...], "cookies": [...], "origin": ..., "heads": V}. Opens one
`/ws/ballots/<id>/` connection per cookie, spread over the urls in turn, prints
"ready" once every one has its snapshot, then notes when each first sees a tally
(or snapshot) of V participants — the tally after the last vote — and prints one
JSON line: the arrival times (epoch seconds, null where none came within
WAIT_SECONDS) and the number of frames received.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time

import websockets

WAIT_SECONDS = 20.0


def _heads(message: dict) -> int | None:
    found = message.get("tally") or message
    participation = found.get("participation") if isinstance(found, dict) else None
    return participation.get("heads") if participation else None


class Watcher:
    def __init__(self, url: str, cookie: str, origin: str, heads: int) -> None:
        self.url, self.cookie, self.origin, self.heads = url, cookie, origin, heads
        self.ready = asyncio.Event()
        self.done = asyncio.Event()
        self.arrived: float | None = None
        self.frames = 0

    async def run(self) -> None:
        async with websockets.connect(
            self.url,
            origin=self.origin,
            additional_headers={"Cookie": self.cookie},
            compression=None,
            open_timeout=120,
            ping_interval=None,
        ) as socket:
            async for frame in socket:
                now = time.time()
                self.frames += 1
                self.ready.set()
                if self.arrived is None and _heads(json.loads(frame)) == self.heads:
                    self.arrived = now
                    self.done.set()


async def main(config: dict) -> dict:
    watchers = [
        Watcher(
            config["urls"][i % len(config["urls"])],
            cookie,
            config["origin"],
            config["heads"],
        )
        for i, cookie in enumerate(config["cookies"])
    ]
    started = time.monotonic()
    tasks = [asyncio.create_task(w.run()) for w in watchers]
    await asyncio.wait_for(asyncio.gather(*(w.ready.wait() for w in watchers)), 180)
    print(f"ready {time.monotonic() - started:.2f}", flush=True)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(
            asyncio.gather(*(w.done.wait() for w in watchers)), WAIT_SECONDS
        )
    for task in tasks:
        task.cancel()
    return {
        "arrived": [w.arrived for w in watchers],
        "frames": sum(w.frames for w in watchers),
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(asyncio.run(main(json.load(handle)))), flush=True)
