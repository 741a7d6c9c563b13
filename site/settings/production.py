"""Production: everything from the environment; refuses to start without the secrets.

Run several ASGI workers (daphne or uvicorn) behind one Redis: REDIS_URL is required so
that websocket groups span the workers.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list


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

# Under ASGI every request's synchronous code runs in its own thread, and Django's
# connections belong to threads: without a pool, 200 requests in flight open 200
# PostgreSQL connections and exhaust max_connections (docs/benchmarks.md). psycopg's
# pool bounds them per process; keep workers × max_size below max_connections.
_POOL_SIZE = int(os.environ.get("YISHI_DB_POOL_SIZE", "8"))
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": 2,
        "max_size": _POOL_SIZE,
        "timeout": 30,
    }
# As many requests run Django code at once as there are connections (more would only
# wait for one, in threads that compete for the GIL: docs/benchmarks.md).
YISHI_REQUEST_CONCURRENCY = int(
    os.environ.get("YISHI_REQUEST_CONCURRENCY", str(_POOL_SIZE))
)

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
# uvicorn's access log, masked: off unless YISHI_ACCESS_LOG is set (README: nginx
# logs the requests, without the query string).
YISHI_ACCESS_LOG = env_bool("YISHI_ACCESS_LOG", False)
# Every record leaves through the one masked handler. Django's own defaults attach an
# unmasked console handler and the admin e-mail handler (which mails request data) to
# the "django" logger: name it here so that dictConfig replaces them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_personal": {"()": "yishi.logging.MaskPersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_personal"]}
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # uvicorn's own handlers print unmasked. Its access log (with query strings)
        # is decided here, not by its --access-log flag: applying this configuration
        # replaces the handlers that flag set.
        "uvicorn": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn.access": {
            "handlers": ["console"] if YISHI_ACCESS_LOG else [],
            "level": "INFO",
            "propagate": False,
        },
    },
}
