"""Settings shared by every environment, configured from the environment.

The embedded default needs nothing installed: a SQLite file under var/, the in-memory
channel layer and console e-mail. `DATABASE_URL` switches to PostgreSQL and `REDIS_URL`
to channels_redis (several ASGI workers behind one Redis).
"""

import os
import socket
from datetime import timedelta
from pathlib import Path

import dj_database_url

SITE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SITE_DIR.parent
VAR_DIR = Path(os.environ.get("YISHI_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


SECRET_KEY = os.environ.get(
    "DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production-yishi-0000"
)
# Keyed hash for ID-card numbers: duplicates are found without the number being
# readable.
# Kept apart from SECRET_KEY so rotating one does not orphan the other.
ID_NUMBER_HASH_KEY = os.environ.get("YISHI_ID_HASH_KEY", "dev-only-id-hash-key")

DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "daphne",  # first: its runserver serves HTTP and websockets
    "yishi",
    "neighbourhoods",
    "consultation",
    "residents_pact",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "axes",  # sign-in throttling; its admin screens unlock accounts
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "yishi.middleware.ContentSecurityPolicyMiddleware",
    "yishi.middleware.RequestBodyLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Answers visitors who are not signed in from whole cached public pages (its
    # process_view runs after URL resolution; yishi/visitor_cache.py).
    "yishi.visitor_cache.VisitorPageCacheMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into its refusal page.
    "axes.middleware.AxesMiddleware",
]
# The counter that makes every page cached for visitors stale: the register's, which
# every change to what those pages show increments.
YISHI_VISITOR_CACHE_VERSION = "neighbourhoods.register_cache.version"

ROOT_URLCONF = "yishi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "yishi.context_processors.accessibility",
            ],
        },
    },
]

WSGI_APPLICATION = "yishi.wsgi.application"
ASGI_APPLICATION = "yishi.asgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections: under WSGI (production's HTTP) a worker thread keeps
    # its connection from request to request; health checks drop broken ones.
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=600, conn_health_checks=True
        )
    }
    # Channels' live server otherwise looks for test_test_<name> (django/channels#2176).
    DATABASES["default"]["TEST"] = {
        "NAME": "test_" + str(DATABASES["default"]["NAME"] or "yishi")
    }
else:
    # The embedded default keeps its files under var/ (not in git): make sure it exists.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "yishi.sqlite3",
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": VAR_DIR / "test-yishi.sqlite3"},
        }
    }

REDIS_URL = os.environ.get("REDIS_URL", "")
# How live changes are broadcast (yishi.fanout): "coalesce" (the fan-out task of
# each websocket process), "inline" (at once, in the committing thread: tests) or
# "off". Set here, not left to a default, because every socket asks for it.
YISHI_BROADCAST = "coalesce"
# The channel layer's sockets have no read timeout (below): keepalive probes after
# 10 s of silence and a 20 s limit on unacknowledged writes (Linux) give up on a
# Redis that vanished without closing its connections.
REDIS_TCP_OPTIONS = {
    getattr(socket, name): value
    for name, value in (
        ("TCP_KEEPIDLE", 10),
        ("TCP_KEEPINTVL", 5),
        ("TCP_KEEPCNT", 3),
        ("TCP_USER_TIMEOUT", 20_000),
    )
    if hasattr(socket, name)
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("YISHI_CACHE_PREFIX", "yishi"),
            "OPTIONS": {
                # A Redis that hangs must not hold request threads: fail fast.
                "socket_connect_timeout": 2,
                "socket_timeout": 2,
                # One pool per process, not one per cache object (which Django
                # makes per task under ASGI): yishi/cache_pools.py.
                "pool_class": "yishi.cache_pools.SharedConnectionPool",
            },
        }
    }
    # Sessions are read from Redis and kept in PostgreSQL too: a request reads its
    # session without a database query, and a Redis restart logs nobody out; while
    # Redis is down they are read from PostgreSQL (yishi/sessions.py).
    CACHES["sessions"] = {
        **CACHES["default"],
        "BACKEND": "yishi.sessions.SessionCache",
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-sessions",
    }
    SESSION_CACHE_ALIAS = "sessions"
    SESSION_ENGINE = "yishi.sessions"
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py's default pool of 100 turns a burst of
                        # handshakes into 500s.
                        "max_connections": 1000,
                        # No read timeout: redis-py 8's default (5 s) equals
                        # channels_redis's blocking read (BZPOPMIN, 5 s), so an idle
                        # receive failed with "Timeout reading" and killed its
                        # consumer. A longer one (15 s) is no better on Python 3.11:
                        # redis-py then writes through asyncio.wait_for, which can
                        # swallow a cancellation, and the cancelled receive loops on
                        # BZPOPMIN for ever (a disconnected socket's consumer never
                        # ends). A Redis that goes silent is found by TCP instead.
                        "socket_timeout": None,
                        "socket_connect_timeout": 5,
                        "socket_keepalive_options": REDIS_TCP_OPTIONS,
                    }
                ],
                "capacity": 1000,
                "expiry": 30,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# ModelBackend that loads the user's resident record in the same query. Django's own
# stays listed second: a session remembers the backend that signed it in, and one
# signed in before the change (or on a process not yet restarted) stays valid.
AUTHENTICATION_BACKENDS = [
    # First: refuses every sign-in of a locked-out account (it never signs anyone in).
    "axes.backends.AxesStandaloneBackend",
    "neighbourhoods.backends.PersonModelBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- Sign-in throttling (django-axes; docs/security.md says how staff unlock) ----
# Failures are counted per account and per (account, address), never per address
# alone: a hall of voters may sign in from one address. After the limit, even the
# right password is refused (HTTP 429) until the cool-off ends or staff unlock.
AXES_ENABLED = os.environ.get("YISHI_SIGNIN_THROTTLE", "on") != "off"
AXES_FAILURE_LIMIT = int(os.environ.get("YISHI_SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(
    minutes=int(os.environ.get("YISHI_SIGNIN_COOLOFF_MINUTES", "15"))
)
AXES_LOCKOUT_PARAMETERS = ["username", ["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "yishi.views.signin_locked_out"
# Successful sign-ins are not logged by axes (the audit log and sessions suffice).
AXES_DISABLE_ACCESS_LOG = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Simplified Chinese first, English second. Set before the first migrate: Wagtail
# creates its default Locale from it.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [SITE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "议事 Yishi"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# No request to any outside host: no gravatar, no update check, no embeds finder.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_FINDERS = []
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Wagtail checks a document by its file name only: take only what the site publishes
# (PDF notices), and serve every document through Wagtail's view, which applies the
# collection's privacy (a private collection is not served to the public; README).
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_SERVE_METHOD = "serve_view"

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Text messages (sign-in codes): a dotted path, as EMAIL_BACKEND (yishi/sms.py). The
# console backend logs each message with the number masked; nothing is sent.
YISHI_SMS_BACKEND = os.environ.get("YISHI_SMS_BACKEND", "yishi.sms.ConsoleBackend")

# Files: a roll import may be a few MB of XLSX, never more.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not bound multipart file bodies: a request
# whose Content-Length is larger than this is refused (413) before its body is read
# (yishi.middleware.RequestBodyLimitMiddleware; nginx's client_max_body_size, README).
YISHI_REQUEST_MAX_BYTES = 12 * 1024 * 1024
# Uploaded files (yishi.uploads): PDF, JPEG or PNG by content, at most this size,
# stored outside the public media root and served only by views that check permission.
YISHI_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
YISHI_PRIVATE_ROOT = Path(os.environ.get("YISHI_PRIVATE_ROOT", VAR_DIR / "private"))
# Optional: an nginx `internal` location aliasing YISHI_PRIVATE_ROOT (README); the
# views then answer with X-Accel-Redirect and nginx sends the file.
YISHI_PRIVATE_ACCEL_PREFIX = os.environ.get("YISHI_PRIVATE_ACCEL_PREFIX", "")

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

# The servers' access logs (gunicorn's, uvicorn's), masked: off unless
# YISHI_ACCESS_LOG is set (README: nginx logs the requests, without the query string).
YISHI_ACCESS_LOG = env_bool("YISHI_ACCESS_LOG", False)


def logging_config(*, root_level: str, access_log: bool) -> dict:
    """Every record leaves through one masked handler (yishi.logging).

    Django's defaults attach an unmasked console handler and the admin e-mail handler
    (which mails request data) to the "django" logger, and the servers attach their
    own unmasked handlers: naming those loggers here makes dictConfig replace them.
    The servers' access logs (with query strings) are decided here, not by their
    command-line flags.
    """
    masked = {"handlers": ["console"], "level": "INFO", "propagate": False}
    access = {**masked, "handlers": ["console"] if access_log else []}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_personal": {"()": "yishi.logging.MaskPersonalDataFilter"},
            "websocket_access": {"()": "yishi.logging.WebsocketAccessFilter"},
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["mask_personal"]}
        },
        "root": {"handlers": ["console"], "level": root_level},
        "loggers": {
            "django": masked,
            "django.server": masked,
            # The console SMS backend's messages (development reads the codes there).
            "yishi.sms": masked,
            "uvicorn": masked,
            # Its websocket handshake lines are access-log lines (yishi.logging).
            "uvicorn.error": {
                **masked,
                "filters": [] if access_log else ["websocket_access"],
            },
            "uvicorn.access": access,
            "gunicorn.error": masked,
            "gunicorn.access": access,
        },
    }


LOGGING = logging_config(root_level="WARNING", access_log=YISHI_ACCESS_LOG)

# Representatives' liaison (consultation/liaison): the community's own reply period
# for requests it handles itself (RULES.md §5.4 community_local [LOCAL], days), and how
# many days ahead a reception day must be announced (RULES.md §5.2 [LOCAL]).
YISHI_LIAISON_COMMUNITY_DAYS = int(os.environ.get("YISHI_LIAISON_COMMUNITY_DAYS", "15"))
YISHI_LIAISON_RECEPTION_NOTICE_DAYS = int(
    os.environ.get("YISHI_LIAISON_RECEPTION_NOTICE_DAYS", "3")
)
