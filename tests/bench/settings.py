"""Settings of the benchmark's servers: `yishi.settings.production`, plus a pool.

Served over plain HTTP on 127.0.0.1 as behind a TLS-terminating proxy: the client
sends `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER), so HTTPS redirects,
secure cookies and CSRF's strict Referer check all apply as in production.

A database pool is required (docs/benchmarks.md, "Connections"): under ASGI Django
runs every request in a thread of its own, and each thread opens its own PostgreSQL
connection. With the persistent connections the settings had when this benchmark was
written (CONN_MAX_AGE=60) 200 concurrent voters used up PostgreSQL's max_connections
(100) and 59 % of the votes failed with HTTP 500. When the production settings
configure psycopg's pool, it is used as it is; otherwise one of YISHI_BENCH_DB_POOL
connections per process is added here. The report says which.
"""

import os
import sys

from yishi.settings.production import *  # noqa: F403
from yishi.settings.production import DATABASES, YISHI_REQUEST_CONCURRENCY

POOL_FROM_PRODUCTION = "pool" in DATABASES["default"].get("OPTIONS", {})

if POOL_FROM_PRODUCTION:
    _note = "PostgreSQL pool as in production settings"
else:
    _size = int(os.environ.get("YISHI_BENCH_DB_POOL", "8"))
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # a pool requires it
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 2,
        "max_size": _size,
        "timeout": 30,
    }
    _note = f"PostgreSQL pool of {_size} per process added by tests/bench/settings.py"

_note += (
    f"; YISHI_REQUEST_CONCURRENCY={YISHI_REQUEST_CONCURRENCY} (yishi.handlers handles"
    " that many requests per process at once; Django's stock handler has no limit)"
)

# Read back by the benchmark for its report (tests/bench/conftest.py).
print(f"yishi-bench: {_note}", file=sys.stderr, flush=True)
