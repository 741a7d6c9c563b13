"""A small HTTP/1.1 keep-alive load client on asyncio streams (standard library only).

Why not httpx or aiohttp: neither is a project dependency, and on a 2-core machine the
client shares the CPU with the server, PostgreSQL and Redis, so the client must cost as
little as possible per request. It speaks just enough HTTP/1.1 for our own server
(Content-Length or chunked bodies, keep-alive, reconnect on close) and only ever
connects to 127.0.0.1.

Two ways to drive the load:

* closed loop (`paced_rate=None`): each client sends its next vote as soon as the
  previous answer arrives. This measures capacity; by Little's law its latency is
  about clients ÷ throughput, whatever the server does.
* open loop (`paced_rate=r`): vote k is due at start + k / r and goes to client
  k mod clients. Latency is measured from the moment the vote was due, so a client
  held up by a slow answer shows that delay instead of hiding it (no coordinated
  omission).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

HOST = "127.0.0.1"
REQUEST_TIMEOUT = 30.0
RETRIES = 3  # network-level failures only, with the same idempotency key


@dataclass(frozen=True)
class Vote:
    session_key: str
    option_id: int
    idempotency_key: str


@dataclass
class Sample:
    due: float  # when the vote was due (open loop) or sent (closed loop)
    sent: float
    done: float
    status: int | str
    port: int  # which server process answered


@dataclass
class RunResult:
    samples: list[Sample] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    timed_out: bool = False  # stopped at the deadline: samples holds what finished
    limit: float = 0.0  # the deadline (s after the start)

    @property
    def statuses(self) -> Counter:
        return Counter(sample.status for sample in self.samples)

    def answered_by(self, ports: list[int]) -> list[int]:
        """Votes answered by each server process (one port each), in `ports` order."""
        counts = Counter(sample.port for sample in self.samples)
        return [counts[port] for port in ports]


class Connection:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(HOST, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            await self._open()
        assert self.reader is not None
        assert self.writer is not None
        self.writer.write(raw)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionResetError("server closed the connection")
        status = int(status_line.split()[1])
        length, chunked, close = 0, False, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            value = value.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and value == b"chunked":
                chunked = True
            elif name == b"connection" and value == b"close":
                close = True
        if chunked:
            body = b""
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, body


def vote_request(ballot_id: int, vote: Vote, csrf_token: str) -> bytes:
    """A browser-like JSON vote, as it reaches the server behind a TLS proxy."""
    body = json.dumps(
        {
            "selection": {"options": [vote.option_id]},
            "idempotency_key": vote.idempotency_key,
        }
    ).encode()
    head = (
        f"POST /ballots/{ballot_id}/vote/ HTTP/1.1\r\n"
        f"Host: {HOST}\r\n"
        "Content-Type: application/json\r\n"
        "Accept: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Cookie: sessionid={vote.session_key}; csrftoken={csrf_token}\r\n"
        f"X-CSRFToken: {csrf_token}\r\n"
        f"Origin: https://{HOST}\r\n"
        f"Referer: https://{HOST}/ballots/{ballot_id}/\r\n"
        # What the TLS-terminating proxy in front of the server adds.
        "X-Forwarded-Proto: https\r\n"
        f"X-Forwarded-For: {HOST}\r\n"
        "\r\n"
    )
    return head.encode() + body


async def _send(conn: Connection, raw: bytes) -> int | str:
    for attempt in range(RETRIES):
        try:
            status, _ = await asyncio.wait_for(conn.request(raw), REQUEST_TIMEOUT)
            return status
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            await conn.close()
            if attempt == RETRIES - 1:
                return f"error:{type(error).__name__}"
        except TimeoutError:
            await conn.close()
            return "error:timeout"
    raise AssertionError("unreachable")


async def run_votes(
    *,
    ports: list[int],
    ballot_id: int,
    votes: list[Vote],
    clients: int,
    csrf_token: str,
    paced_rate: float | None = None,
    timeout: float = 150.0,
) -> RunResult:
    """Cast every vote once through `clients` concurrent keep-alive connections.

    Stops at `timeout` seconds whatever is left (`timed_out`), keeping the samples of
    the votes answered by then.
    """
    result = RunResult(limit=timeout)
    queues: list[list[tuple[int, Vote]]] = [[] for _ in range(clients)]
    for k, vote in enumerate(votes):
        queues[k % clients].append((k, vote))
    # Client i talks to ports[i % len(ports)]: round robin, as an nginx upstream.
    connections = [Connection(ports[i % len(ports)]) for i in range(clients)]
    ready = asyncio.Event()

    async def client(index: int) -> None:
        conn = connections[index]
        await ready.wait()
        for k, vote in queues[index]:
            if paced_rate is None:
                due = time.perf_counter()
            else:
                due = result.started + k / paced_rate
                delay = due - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
            sent = time.perf_counter()
            status = await _send(conn, vote_request(ballot_id, vote, csrf_token))
            result.samples.append(
                Sample(due, sent, time.perf_counter(), status, conn.port)
            )
        await conn.close()

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    result.started = time.perf_counter()
    ready.set()
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), timeout)
    except TimeoutError:
        result.timed_out = True
    finally:
        for task in tasks:
            task.cancel()
        for conn in connections:
            await conn.close()
    result.finished = time.perf_counter()
    return result


async def get_many(
    ports: list[int], path: str, count: int, concurrency: int
) -> Counter:
    """Plain GETs on separate connections, spread over the ports (warm-up)."""
    statuses: Counter = Counter()
    raw = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nX-Forwarded-Proto: https\r\n\r\n"

    async def one(port: int) -> None:
        conn = Connection(port)
        statuses[await _send(conn, raw.encode())] += 1
        await conn.close()

    for start in range(0, count, concurrency):
        batch = range(start, min(start + concurrency, count))
        await asyncio.gather(*(one(ports[i % len(ports)]) for i in batch))
    return statuses


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(q / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Figures:
    votes: int
    total_s: float
    overall_rate: float
    steady_rate: float
    steady_window_s: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    steady_p95_ms: float
    statuses: dict


def figures(result: RunResult, *, trim: float = 0.1) -> Figures:
    """Totals, the steady rate between the first and last `trim` of completions.

    Latency runs from when a vote was due to its answer; the steady p95 only counts
    votes due inside the steady window (warm-up and drain left out).
    """
    samples = result.samples
    done = sorted(sample.done for sample in samples)
    n = len(done)
    lo, hi = int(n * trim), int(n * (1 - trim)) - 1
    window = done[hi] - done[lo]
    latencies = [(s.done - s.due) * 1000 for s in samples]
    steady = [
        (s.done - s.due) * 1000 for s in samples if done[lo] <= s.due <= done[hi]
    ] or latencies
    total = result.finished - result.started
    return Figures(
        votes=n,
        total_s=total,
        overall_rate=n / total,
        steady_rate=(hi - lo) / window if window > 0 else float("nan"),
        steady_window_s=window,
        p50_ms=statistics.median(latencies),
        p95_ms=percentile(latencies, 95),
        p99_ms=percentile(latencies, 99),
        max_ms=max(latencies),
        steady_p95_ms=percentile(steady, 95),
        statuses={str(k): v for k, v in sorted(result.statuses.items(), key=str)},
    )
