"""Fast test settings (PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ID_NUMBER_HASH_KEY = "test-id-hash-key"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
YISHI_SMS_BACKEND = "yishi.sms.LocmemBackend"
MEDIA_ROOT = VAR_DIR / "test-media"
YISHI_PRIVATE_ROOT = VAR_DIR / "test-private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Live broadcasts (yishi.fanout) are off unless a test listens: it opts in (or a
# server started by a test is told so through the environment).
YISHI_BROADCAST = os.environ.get("YISHI_BROADCAST", "off")
# Sign-in throttling is off, as django-axes advises for test settings: the tests of
# it (tests/site/test_signin_throttling.py) turn it on.
AXES_ENABLED = False

# One SQLite test database per test process, so parallel runs never share a file.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": VAR_DIR / f"test-yishi-{os.getpid()}.sqlite3"
    }
