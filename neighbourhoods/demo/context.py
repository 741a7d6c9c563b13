"""What the capabilities' demo modules share while `seed_demo` runs them in order.

Each demo module (`neighbourhoods.demo`, later `consultation.ballots.demo`, …)
exposes `seed(*, context: DemoContext) -> list[str]`: it writes its part of the demo
through its capability's services (actor None: the system), deterministically and
idempotently, adds the logins it made to `context.logins` and returns its report
lines. `seed_demo` prints every module's lines, then one table of all the logins.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Printed in the logins table: the demo's accounts all share it.
DEMO_PASSWORD = "yishi-demo-2026"
DEMO_URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoLogin:
    """One row of the printed logins table."""

    username: str
    who_zh: str
    who_en: str


def site_url(address: str = "") -> str:
    """The address `make run` serves ("HOST:PORT") as the URL to print.

    A wildcard host (0.0.0.0, ::, empty) is served on every interface: the URL names
    the loopback one, which always works on the machine itself.
    """
    if not address:
        return DEMO_URL
    host, _, port = address.rpartition(":")
    if not host:
        host, port = port, "8000"
    host = host.strip("[]")
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}/"


@dataclass
class DemoContext:
    logins: list[DemoLogin] = field(default_factory=list)
    # Where the site is served (`seed_demo --address`, `make run`'s HOST:PORT).
    url: str = DEMO_URL
    # Printed on stderr, before the report.
    warnings: list[str] = field(default_factory=list)
