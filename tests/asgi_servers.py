"""Server processes for tests that need a real server: the benchmarks, and the check
that the production servers (gunicorn for HTTP, uvicorn for websockets) serve the
project (tests/site).

Each process serves a socket it is given as fd 0, one port per process, as behind
nginx (see `start_asgi_server`).
"""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT = 60.0


def database_url_of(connection) -> str:
    """The URL of the database pytest-django created (test_<name>), for the server."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{s['NAME']}"


@dataclass
class AsgiServer:
    application: str
    ports: list[int]  # one per process
    processes: list[subprocess.Popen]
    logs: list[Path]

    def settings_note(self) -> str:
        """What tests/bench/settings.py reported at start (the pool's origin)."""
        for line in self.logs[0].read_text().splitlines():
            if line.startswith("yishi-bench: "):
                return line.removeprefix("yishi-bench: ")
        return "settings note missing"

    def stop(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in self.processes:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


SERVERS = {
    # The command of each server, serving the socket it is given as fd 0, as README's
    # production set-up runs it: no access log (the proxy logs requests).
    # gunicorn: WSGI, production's HTTP server (README), threads as many as the
    # database pool has connections; later arguments (extra_args) override these.
    "gunicorn": [
        "--bind",
        "fd://0",
        "--worker-class",
        "gthread",
        "--workers",
        "1",
        "--threads",
        "8",
        "--keep-alive",
        "75",
        "--graceful-timeout",
        "5",
    ],
    "daphne": ["--fd", "0", "--proxy-headers"],
    "uvicorn": [
        "--fd",
        "0",
        "--proxy-headers",
        "--no-access-log",
        "--ws-max-size",
        "1048576",
    ],
}
READY = {
    "daphne": "Listening on",
    "uvicorn": "Uvicorn running on",
    "gunicorn": "Booting worker",
}
APPLICATIONS = {"gunicorn": "yishi.wsgi:application"}


def start_asgi_server(
    log_dir: Path,
    *,
    workers: int = 2,
    application: str | None = None,
    env: dict[str, str] | None = None,
    server: str = "uvicorn",
    code_dir: Path | None = None,
    extra_args: tuple[str, ...] = (),
) -> AsgiServer:
    """`workers` server processes on 127.0.0.1, one port each, as behind nginx.

    README's production set-up runs one process per port behind nginx (Channels'
    deployment guide does the same with supervisor, which binds each socket and
    hands it to its process as fd 0). Here each process gets a socket of its own
    that way, and a client spreads its connections over the ports in turn, as an
    nginx upstream does: with one shared socket the kernel gives a burst of 200
    connections to whichever process accepts first (we saw 1 : 2), which measures
    the burst, not the server. `env` is the processes' whole environment.
    `application` defaults to the server's kind: yishi.wsgi for gunicorn,
    yishi.asgi for the others.
    """
    application = application or APPLICATIONS.get(server, "yishi.asgi:application")
    program = str(Path(sys.executable).with_name(server))
    command = [program, *SERVERS[server], *extra_args, application]
    env, cwd = _checkout_env(log_dir, dict(env or {}), code_dir)
    ports, processes, logs = [], [], []
    for i in range(workers):
        port, process, log = _spawn_on_own_port(
            command, log_dir / f"{server}-{i}.log", env, cwd
        )
        ports.append(port)
        processes.append(process)
        logs.append(log)
    found = AsgiServer(application, ports, processes, logs)
    _wait_listening(found, READY[server])
    return found


def _checkout_env(log_dir: Path, env: dict, code_dir: Path | None):
    """The environment and working directory to serve `code_dir` (or this one)."""
    if code_dir is None or Path(code_dir).resolve() == BASE_DIR:
        return env, BASE_DIR
    # Another checkout of the project (a comparison, tests/bench/test_compare.py):
    # its packages first on the path, `yishi` being its site/ directory.
    cwd = Path(code_dir).resolve()
    shim = log_dir / "path"
    shim.mkdir(exist_ok=True)
    (shim / "yishi").symlink_to(cwd / "site")
    env["PYTHONPATH"] = f"{shim}:{cwd}"
    return env, cwd


def _spawn_on_own_port(command, log: Path, env, cwd):
    """One server process serving a fresh socket on 127.0.0.1 as its fd 0."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(socket.SOMAXCONN)  # as many as the kernel allows
        with log.open("wb") as out:
            process = subprocess.Popen(
                command,
                stdin=listener.fileno(),
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=cwd,
            )
        return listener.getsockname()[1], process, log
    finally:
        listener.close()  # the child holds its own copy


def _wait_listening(server: AsgiServer, ready: str) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        for proc, log in zip(server.processes, server.logs, strict=True):
            if proc.poll() is not None:
                server.stop()
                raise RuntimeError(
                    f"{server.application} exited:\n{log.read_text()[-3000:]}"
                )
        if all(ready in log.read_text() for log in server.logs):
            return
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(
        f"{server.application} did not start in {SERVER_START_TIMEOUT} s"
    )
