"""Production: everything from the environment; refuses to start without the secrets.

HTTP is served by gunicorn (yishi.wsgi) and websockets by uvicorn (yishi.asgi), several
processes of each behind nginx and one Redis: REDIS_URL is required so that websocket
groups and the cache span the processes (README, "Production").
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list, logging_config


def _required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


DEBUG = False
SECRET_KEY = _required("DJANGO_SECRET_KEY")
ID_NUMBER_HASH_KEY = _required("YISHI_ID_HASH_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or _required("DJANGO_ALLOWED_HOSTS")
if "*" in ALLOWED_HOSTS:
    # A wildcard lets any Host header through: password-reset links and absolute URLs
    # could then point at a host of the sender's choosing.
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must name the site's hosts, not '*'."
    )
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
_required("DATABASE_URL")
_required("REDIS_URL")

# psycopg's pool bounds a process's connections whatever serves it: gunicorn's worker
# threads (HTTP) and the websocket processes' database_sync_to_async threads, which
# come and go (without a pool, each new thread opened a connection of its own:
# docs/benchmarks.md). Give gunicorn as many threads as the pool has connections;
# keep processes × YISHI_DB_POOL_SIZE (+ 1 per websocket process: yishi.asyncdb)
# below PostgreSQL's max_connections.
_POOL_SIZE = int(os.environ.get("YISHI_DB_POOL_SIZE", "8"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": 2,
        "max_size": _POOL_SIZE,
        "timeout": 30,
    }

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
# Load balancers probe over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Links in notification e-mails: the site itself over HTTPS unless told otherwise.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    },
}
LOGGING = logging_config(root_level="INFO", access_log=YISHI_ACCESS_LOG)  # noqa: F405
