"""Settings of the benchmark's servers: `yishi.settings.production`, plus a pool.

Served over plain HTTP on 127.0.0.1 as behind a TLS-terminating proxy: the client
sends `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER), so HTTPS redirects,
secure cookies and CSRF's strict Referer check all apply as in production.

One change, until production makes it (docs/benchmarks.md, "Connections"): under ASGI
Django runs every request in a thread of its own, and each thread opens its own
PostgreSQL connection. With the persistent connections of the base settings
(CONN_MAX_AGE=60) 200 concurrent voters used up PostgreSQL's max_connections (100)
and 59 % of the votes failed with HTTP 500. psycopg's pool (Django ≥ 5.1, package
`psycopg[pool]`) bounds them to YISHI_BENCH_DB_POOL per process. When production
configures a pool itself, it is used as it is.
"""

import os
import sys

from yishi.settings.production import *  # noqa: F403
from yishi.settings.production import CACHES, DATABASES, MIDDLEWARE

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

# The proposed settings changes (tests/bench/proposed.py), for the comparison run.
if os.environ.get("YISHI_BENCH_PROPOSED") == "1":
    MIDDLEWARE = [*MIDDLEWARE, "tests.bench.proposed.SyncOnlyMiddleware"]
    CACHES["default"].setdefault("OPTIONS", {})["pool_class"] = (
        "tests.bench.proposed.SharedConnectionPool"
    )
    _note += "; MIDDLEWARE + SyncOnlyMiddleware; one Redis pool per process"

# Read back by the benchmark for its report (tests/bench/conftest.py).
print(f"yishi-bench: {_note}", file=sys.stderr, flush=True)
