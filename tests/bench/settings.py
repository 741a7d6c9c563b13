"""Settings of the benchmark's servers: `yishi.settings.production`, plus a pool.

Served over plain HTTP on 127.0.0.1 as behind a TLS-terminating proxy: the client
sends `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER), so HTTPS redirects,
secure cookies and CSRF's strict Referer check all apply as in production.

A database pool bounds each process's PostgreSQL connections (docs/benchmarks.md,
"Connections"): without one, Django's stock ASGI handler runs every request in a
thread of its own and each opens a connection; 200 concurrent voters once used up
PostgreSQL's max_connections. When the production settings configure psycopg's pool,
it is used as it is; otherwise one of YISHI_BENCH_DB_POOL connections per process is
added here. The report says which.
"""

import os
import sys

from yishi.settings.production import *  # noqa: F403
from yishi.settings.production import DATABASES

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

# Read back by the benchmark for its report (tests/bench/conftest.py).
print(f"yishi-bench: {_note}", file=sys.stderr, flush=True)

# Production's ManifestStaticFilesStorage needs `collectstatic` first; the benchmark's
# servers render pages from the checkout, so they resolve static files as development
# does (a dictionary look-up either way: no effect on the figures).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
