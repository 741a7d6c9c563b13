"""The room benchmark's load generator: separate processes on 127.0.0.1.

    python -m tests.bench.room_load CONFIG.json

CONFIG: {"kind": "yishi"|"channels"|"raw", "urls": [...], "cookies": [...] (yishi),
"origin": ..., "clients": N, "rate": events per second, "seconds": duration,
"processes": load processes (default 2), "server_pids": [...]}.

The N connections are shared out over `processes` worker processes (a single
Python process saturates near 20,000–30,000 frames a second with the `websockets`
client, which then measures itself, not the server). Each worker opens its
connections spread over the urls in turn with a minimal websocket client (an
asyncio protocol: the upgrade request, unmasked server frames parsed in place, pings
answered) and reports when every one has its first state (yishi: the snapshot; the
others: their first frame). Once all workers are ready, the parent names a start
time; event k (k = 0 … rate × seconds − 1) is sent at start + k / rate by worker
k mod processes, from its next connection in turn (yishi: a statement through the
room's services; the others: a `say` frame), its send time in the text. Each
connection notes the distinct events it receives and when (latency = arrival −
send time); duplicates are counted apart.

Server CPU (user + system of `server_pids`, in nanoseconds from each thread's
/proc schedstat; `server_cpu_ticks_s` is the events' window in clock ticks too,
for comparison) is read when all are connected; after a pause of SETTLE_SECONDS
(1.5 s, or YISHI_BENCH_SETTLE_SECONDS: what connecting sets off after the last
snapshot, `server_cpu_settle_s`; events sent after a burst of 2,000 arrivals meet
the arrivals' session reads); when every connection has every event
(`delivered_seconds` after the start), or the grace period is over; and at the end
of the grace period. `server_cpu_connect_s` covers connecting, `server_cpu_s` the
events from the first sent to the last delivered (the figure divided by
deliveries), `server_cpu_tail_s` the rest of the grace period (the servers idle,
their connections open; until 2026-12-06 it was counted in `server_cpu_s`). The
events' window is also split by thread (`server_cpu_loops_s`: the processes' main
threads, their event loops; `server_cpu_threads_s`: the rest, Yishi's database
threads) and counts the times the servers' threads were put on a CPU per event
(`server_wakeups_per_event`). Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import base64
import json
import multiprocessing
import os
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

SETTLE_SECONDS = float(os.environ.get("YISHI_BENCH_SETTLE_SECONDS", "1.5"))

GRACE_SECONDS = 5.0
COMPLETE_POLL_SECONDS = 0.005
TICKS = os.sysconf("SC_CLK_TCK")


def thread_times(pids) -> dict | None:
    """Each server thread's CPU time so far (user + system, s) and the times it was
    put on a CPU (a wake-up or a preemption), from `/proc/<pid>/task/<tid>/schedstat`
    (ns; a 10 s cell of the raw server spends 0.07-0.10 s, which clock ticks
    count to a tenth), keyed by (pid, tid). None where schedstat is missing."""
    found = {}
    for pid in pids:
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except FileNotFoundError:
            continue
        for tid in tasks:
            try:
                fields = Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()
            except FileNotFoundError:  # the thread ended meanwhile
                continue
            except OSError:
                return None
            found[(pid, int(tid))] = (int(fields[0]) / 1e9, int(fields[2]))
    return found


def cpu_seconds(pids, times: dict | None = None) -> float:
    """The processes' CPU time so far, summed over their threads (schedstat, or
    the `thread_times` read just now); where schedstat is missing, the ticks."""
    times = thread_times(pids) if times is None else times
    if times is None:
        return cpu_ticks(pids)
    return sum(cpu for cpu, _slices in times.values())


def window(before: dict | None, after: dict | None, events: int) -> dict:
    """Between two `thread_times`: the event loops' CPU (each process's main
    thread) apart from its other threads' (Yishi's: the database thread), and the
    times the servers' threads were put on a CPU, per event (a thread woken after a
    pause costs CPU of its own on this virtual machine: docs/benchmarks.md)."""
    if before is None or after is None or not events:
        return {}
    loops = threads = 0.0
    slices = 0
    for (pid, tid), (cpu, runs) in after.items():
        cpu0, runs0 = before.get((pid, tid), (0.0, 0))
        if pid == tid:
            loops += cpu - cpu0
        else:
            threads += cpu - cpu0
        slices += runs - runs0
    return {
        "server_cpu_loops_s": round(loops, 4),
        "server_cpu_threads_s": round(threads, 4),
        "server_wakeups_per_event": round(slices / events, 1),
    }


def cpu_ticks(pids) -> float:
    """The processes' user + system time in clock ticks (`/proc/<pid>/stat`)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _frame(text: str) -> bytes:
    """A masked client text frame (mask key zero: the payload is unchanged)."""
    payload = text.encode()
    size = len(payload)
    if size < 126:
        header = bytes((0x81, 0x80 | size))
    elif size < 65536:
        header = bytes((0x81, 0x80 | 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x81, 0x80 | 127)) + size.to_bytes(8, "big")
    return header + b"\0\0\0\0" + payload


def _control(opcode: int, payload: bytes) -> bytes:
    return bytes((0x80 | opcode, 0x80 | len(payload))) + b"\0\0\0\0" + payload


class Client(asyncio.Protocol):
    """One websocket connection, as light as a client can be."""

    def __init__(self, request: bytes, ready_marker: bytes | None) -> None:
        self.request = request
        self.ready_marker = ready_marker
        self.ready = asyncio.get_running_loop().create_future()
        self.transport = None
        self.buffer = bytearray()
        self.upgraded = False
        self.collect = False
        self.arrivals: dict[bytes, float] = {}
        self.duplicates = 0
        self.connecting = None  # the task opening it (kept referenced)

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def connection_lost(self, exc) -> None:
        if not self.ready.done():
            self.ready.set_exception(ConnectionError(f"closed before ready: {exc}"))

    def send(self, text: str) -> None:
        self.transport.write(_frame(text))

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[:end].split(b"\r\n", 1)[0])
            if b" 101 " not in status:
                self.ready.set_exception(ConnectionError(status.decode()))
                self.transport.close()
                return
            self.upgraded = True
            del buffer[: end + 4]
        now = time.time()
        offset, size = 0, len(buffer)
        while size - offset >= 2:
            length = buffer[offset + 1] & 0x7F
            start = offset + 2
            if length == 126:
                if size - offset < 4:
                    break
                length = int.from_bytes(buffer[start : start + 2], "big")
                start += 2
            elif length == 127:
                if size - offset < 10:
                    break
                length = int.from_bytes(buffer[start : start + 8], "big")
                start += 8
            if size - start < length:
                break
            opcode = buffer[offset] & 0x0F
            payload = bytes(buffer[start : start + length])
            offset = start + length
            if opcode == 0x9:  # ping
                self.transport.write(_control(0xA, payload))
            elif opcode == 0x8:  # close
                self.transport.close()
            elif opcode == 0x1:
                self._text(payload, now)
        del buffer[:offset]

    def _text(self, payload: bytes, now: float) -> None:
        if not self.ready.done():
            if self.ready_marker is None or self.ready_marker in payload:
                self.ready.set_result(None)
            return
        if not self.collect:
            return
        at = payload.find(b"t=")
        if at < 0:
            return
        sent = payload[at + 2 : payload.find(b'"', at)]
        if sent in self.arrivals:
            self.duplicates += 1
        else:
            self.arrivals[sent] = now


def _request(url: str, cookie: str, origin: str) -> tuple[str, int, bytes]:
    parts = urlsplit(url)
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {parts.path}{'?' + parts.query if parts.query else ''} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        f"Origin: {origin}",
    ]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return parts.hostname, parts.port, ("\r\n".join(lines) + "\r\n\r\n").encode()


def _event(kind: str, sent: float) -> str:
    text = f"t={sent:.6f}"
    if kind.startswith("yishi"):
        return json.dumps(
            {"type": "action", "name": "statement", "params": {"text": text}}
        )
    return json.dumps({"type": "say", "text": text})


async def _open(config: dict, index: int) -> list[Client]:
    """This worker's share of the connections, opened at once."""
    loop = asyncio.get_running_loop()
    urls, cookies = config["urls"], config.get("cookies") or []
    tickets = config.get("tickets") or []
    origin = config.get("origin") or "http://127.0.0.1"
    marker = b'"snapshot"' if config["kind"].startswith("yishi") else None
    clients = []

    async def connect(client: Client, host: str, port: int) -> None:
        try:
            await loop.create_connection(lambda: client, host, port)
        except OSError as error:
            if not client.ready.done():
                client.ready.set_exception(error)

    for i in range(index, config["clients"], config["processes"]):
        url = urls[i % len(urls)]
        if tickets:  # the room page's ticket for its socket (yishi.websocket_auth)
            url += "?ticket=" + tickets[i]
        host, port, request = _request(url, cookies[i] if cookies else "", origin)
        client = Client(request, marker)
        clients.append(client)
        client.connecting = loop.create_task(connect(client, host, port))
    return clients


def _tally(clients: list[Client]) -> dict:
    buckets: Counter = Counter()  # latency in 0.1 ms steps
    delivered = duplicates = 0
    for client in clients:
        duplicates += client.duplicates
        for sent, arrived in client.arrivals.items():
            buckets[int((arrived - float(sent)) * 10000)] += 1
            delivered += 1
    return {
        "delivered": delivered,
        "duplicates": duplicates,
        "buckets": list(buckets.items()),
        "cpu_s": time.process_time(),
    }


async def _worker(config: dict, index: int, pipe) -> None:
    clients = await _open(config, index)
    try:
        await asyncio.wait_for(
            asyncio.gather(*(c.ready for c in clients)), config.get("timeout", 120)
        )
    except Exception as error:  # refused, closed, timed out: report, do not hang
        ready = sum(1 for c in clients if c.ready.done() and not c.ready.exception())
        pipe.send({"error": f"{type(error).__name__}: {error}", "ready": ready})
        return
    for client in clients:
        client.collect = True
    pipe.send({"ready": len(clients)})
    begin = pipe.recv()  # the common start time (time.time())
    events = _events(config)
    interval = 1 / config["rate"]
    for turn, k in enumerate(range(index, events, config["processes"])):
        delay = begin + k * interval - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        clients[turn % len(clients)].send(_event(config["kind"], time.time()))
    await asyncio.sleep(max(0.0, begin + events * interval - time.time()))
    # Delivered: every connection has every event (or the grace period is over).
    deadline = time.monotonic() + GRACE_SECONDS
    while time.monotonic() < deadline and any(
        len(c.arrivals) < events for c in clients
    ):
        await asyncio.sleep(COMPLETE_POLL_SECONDS)
    pipe.send({"complete": time.time()})
    await asyncio.sleep(max(0.0, deadline - time.monotonic()))  # late ones count
    pipe.send(_tally(clients))
    for client in clients:
        if client.transport is not None:
            client.transport.close()


def _run_worker(config: dict, index: int, pipe) -> None:
    asyncio.run(_worker(config, index, pipe))


def _percentile(buckets: Counter, total: int, q: float) -> float:
    if not total:
        return float("nan")
    rank, seen = min(total - 1, int(q * total)), 0
    for value in sorted(buckets):
        seen += buckets[value]
        if seen > rank:
            return value / 10  # ms
    return float("nan")


def main(config: dict) -> dict:
    config.setdefault("processes", 2)
    pids = config.get("server_pids") or []
    context = multiprocessing.get_context("fork")
    pipes, workers = [], []
    cpu_start = cpu_seconds(pids)
    started = time.monotonic()
    for index in range(config["processes"]):
        parent, child = context.Pipe()
        worker = context.Process(target=_run_worker, args=(config, index, child))
        worker.start()
        pipes.append(parent)
        workers.append(worker)
    reports = [pipe.recv() for pipe in pipes]
    connect_seconds = time.monotonic() - started
    failed = [r for r in reports if "error" in r]
    if failed:
        for worker in workers:
            worker.kill()
        ready = sum(r.get("ready", 0) for r in reports)
        return {"error": failed[0]["error"], "ready": ready, "of": config["clients"]}
    cpu_ready = cpu_seconds(pids)
    # What connecting sets off after the last snapshot (the Yishi room: attendance
    # written, the presence broadcast half a second later) is connecting's cost,
    # not the events': every server gets the same pause before the count starts.
    time.sleep(SETTLE_SECONDS)
    threads_connected, ticks_connected = thread_times(pids), cpu_ticks(pids)
    cpu_connected = cpu_seconds(pids, threads_connected)
    begin = time.time() + 0.2
    for pipe in pipes:
        pipe.send(begin)
    complete = [pipe.recv()["complete"] for pipe in pipes]
    threads_delivered, ticks_delivered = thread_times(pids), cpu_ticks(pids)
    cpu_delivered = cpu_seconds(pids, threads_delivered)
    results = [pipe.recv() for pipe in pipes]
    cpu_end = cpu_seconds(pids)
    for worker in workers:
        worker.join(timeout=30)
    return {
        "connect_seconds": round(connect_seconds, 2),
        **_deliveries(config, results),
        "server_cpu_connect_s": round(cpu_ready - cpu_start, 2),
        "server_cpu_settle_s": round(cpu_connected - cpu_ready, 2),
        "delivered_seconds": round(max(complete) - begin, 2),
        "server_cpu_s": round(cpu_delivered - cpu_connected, 4),
        "server_cpu_ticks_s": round(ticks_delivered - ticks_connected, 2),
        **window(threads_connected, threads_delivered, _events(config)),
        "server_cpu_tail_s": round(cpu_end - cpu_delivered, 4),
        "load_cpu_s": round(sum(r["cpu_s"] for r in results), 2),
    }


def _events(config: dict) -> int:
    return int(config["rate"] * config["seconds"])


def _deliveries(config: dict, results: list[dict]) -> dict:
    """What the workers' connections received, as counts and latency percentiles."""
    events = _events(config)
    expected = events * config["clients"]
    buckets: Counter = Counter()
    for result in results:
        buckets.update(dict(result["buckets"]))
    delivered = sum(r["delivered"] for r in results)
    return {
        "events": events,
        "expected": expected,
        "delivered": delivered,
        "undelivered": expected - delivered,
        "duplicates": sum(r["duplicates"] for r in results),
        "p50_ms": _percentile(buckets, delivered, 0.50),
        "p95_ms": _percentile(buckets, delivered, 0.95),
        "p99_ms": _percentile(buckets, delivered, 0.99),
        "send_seconds": round(events / config["rate"], 2),
    }


if __name__ == "__main__":
    with open(sys.argv[1]) as handle:
        print(json.dumps(main(json.load(handle))), flush=True)
