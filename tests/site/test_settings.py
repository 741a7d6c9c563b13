"""Production settings, the Content-Security-Policy and "no request to any other host".

The production settings are loaded in a child process (they read the environment at
import time and must not leak into this test process's settings).
"""

import importlib
import json
import os
import re
import secrets
import string
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from tests.neighbourhoods.factories import (
    CommunityFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from yishi.middleware import SITE_POLICY

ROOT = Path(__file__).resolve().parents[2]
ID_NUMBER = "11010519491231002X"
PROD = "yishi.settings.production"


def production_env(**overrides) -> dict[str, str]:
    """The environment production needs, built fresh (nothing from this process's)."""
    alphabet = string.ascii_letters + string.digits + "!@#$%^&*(-_=+)"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": PROD,
        "DJANGO_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "YISHI_ID_HASH_KEY": secrets.token_urlsafe(32),
        "DJANGO_ALLOWED_HOSTS": "yishi.example.cn,www.yishi.example.cn",
        "DATABASE_URL": "postgres://yishi:secret@127.0.0.1:5432/yishi",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "YISHI_VAR_DIR": os.environ.get("YISHI_VAR_DIR", str(ROOT / "var")),
    }
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def run(args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# --- production settings ---------------------------------------------------------


def test_check_deploy_passes_with_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_would_catch_a_weak_secret_key():
    """The check above can fail: a short key is a warning, and warnings fail it."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(DJANGO_SECRET_KEY="short"),
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


PRINT_SETTINGS = """
import json, django
from django.conf import settings as s
django.setup()
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ALLOWED_HOSTS": s.ALLOWED_HOSTS,
    "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "SESSION_COOKIE_HTTPONLY": s.SESSION_COOKIE_HTTPONLY,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE,
    "LANGUAGE_COOKIE_SECURE": s.LANGUAGE_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": s.SECURE_HSTS_INCLUDE_SUBDOMAINS,
    "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_REDIRECT_EXEMPT": s.SECURE_REDIRECT_EXEMPT,
    "SECURE_HSTS_PRELOAD": s.SECURE_HSTS_PRELOAD,
    "SECURE_PROXY_SSL_HEADER": s.SECURE_PROXY_SSL_HEADER,
    "X_FRAME_OPTIONS": s.X_FRAME_OPTIONS,
    "ENGINE": s.DATABASES["default"]["ENGINE"],
    "CHANNEL_LAYER": s.CHANNEL_LAYERS["default"]["BACKEND"],
    "CACHE": s.CACHES["default"]["BACKEND"],
    "GRAVATAR": s.WAGTAIL_GRAVATAR_PROVIDER_URL,
    "UPDATE_CHECK": s.WAGTAIL_ENABLE_UPDATE_CHECK,
    "ADMIN_BASE": s.WAGTAILADMIN_BASE_URL,
    "MIDDLEWARE": s.MIDDLEWARE,
    "POOL": s.DATABASES["default"]["OPTIONS"]["pool"]["max_size"],
    "SESSION_ENGINE": s.SESSION_ENGINE,
    "SESSION_CACHE": s.CACHES[s.SESSION_CACHE_ALIAS]["BACKEND"],
    "LOGGERS": {n: lg["handlers"] for n, lg in s.LOGGING["loggers"].items()},
}))
"""


@pytest.fixture(scope="module")
def production_settings():
    result = run(["-c", PRINT_SETTINGS], production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_settings_are_secure(production_settings):
    s = production_settings
    assert s["DEBUG"] is False
    assert s["ALLOWED_HOSTS"] == ["yishi.example.cn", "www.yishi.example.cn"]
    assert s["SESSION_COOKIE_SECURE"]
    assert s["SESSION_COOKIE_HTTPONLY"]
    assert s["CSRF_COOKIE_SECURE"]
    assert s["LANGUAGE_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert "yishi.middleware.ContentSecurityPolicyMiddleware" in s["MIDDLEWARE"]


SECURITY_KEYS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
]


@pytest.mark.django_db
def test_production_security_headers_in_action(
    client, settings, home_page, production_settings
):
    for key in SECURITY_KEYS:
        setattr(settings, key, production_settings[key])
    plain = client.get("/")
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    # The load balancer's probe is answered over plain HTTP.
    assert client.get("/healthz").status_code == 200
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert secure["X-Content-Type-Options"] == "nosniff"
    assert secure["X-Frame-Options"] == "DENY"
    assert secure["Referrer-Policy"] == "same-origin"


def test_production_uses_postgres_and_redis(production_settings):
    assert production_settings["ENGINE"] == "django.db.backends.postgresql"
    assert (
        production_settings["CHANNEL_LAYER"] == "channels_redis.core.RedisChannelLayer"
    )
    assert production_settings["CACHE"].endswith("RedisCache")


def test_production_pool_size_and_stock_cache_and_sessions(production_settings):
    assert production_settings["POOL"] == 8
    result = run(["-c", PRINT_SETTINGS], production_env(YISHI_DB_POOL_SIZE="5"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["POOL"] == 5
    assert production_settings["CACHE"] == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert production_settings["SESSION_ENGINE"] == "yishi.sessions"
    assert production_settings["SESSION_CACHE"] == "yishi.sessions.SessionCache"


def test_the_servers_logs_go_through_the_masked_handler(production_settings):
    for name in ("django", "uvicorn", "gunicorn.error"):
        assert production_settings["LOGGERS"][name] == ["console"]
    # Access logs are off unless asked for (whatever the servers' own flags say).
    for name in ("uvicorn.access", "gunicorn.access"):
        assert production_settings["LOGGERS"][name] == []
    result = run(["-c", PRINT_SETTINGS], production_env(YISHI_ACCESS_LOG="1"))
    assert result.returncode == 0, result.stderr
    loggers = json.loads(result.stdout)["LOGGERS"]
    assert loggers["uvicorn.access"] == loggers["gunicorn.access"] == ["console"]


def test_production_calls_no_outside_service(production_settings):
    assert production_settings["GRAVATAR"] is None
    assert production_settings["UPDATE_CHECK"] is False
    assert production_settings["ADMIN_BASE"] == "https://yishi.example.cn"


def _import_production(monkeypatch, env):
    for key in ("PATH", "HOME", "DJANGO_SETTINGS_MODULE"):
        env.pop(key, None)
    for key, value in env.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    monkeypatch.delitem(sys.modules, PROD, raising=False)
    try:
        return importlib.import_module(PROD)
    finally:
        sys.modules.pop(PROD, None)


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "YISHI_ID_HASH_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DATABASE_URL",
        "REDIS_URL",
    ],
)
def test_production_refuses_to_start_without(monkeypatch, missing):
    env = production_env()
    env[missing] = None
    with pytest.raises(ImproperlyConfigured, match=missing):
        _import_production(monkeypatch, env)


def test_production_refuses_an_empty_secret_key(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        _import_production(monkeypatch, production_env(DJANGO_SECRET_KEY=""))


def test_production_refuses_a_wildcard_host(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ALLOWED_HOSTS"):
        _import_production(monkeypatch, production_env(DJANGO_ALLOWED_HOSTS="*"))


def test_manage_py_without_secret_key_fails_naming_it():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


LOG_IN_PRODUCTION = f"""
import logging, django
django.setup()
logging.getLogger("neighbourhoods.import").warning("row 3: %s", "{ID_NUMBER}")
try:
    raise ValueError("bad id {ID_NUMBER} phone 13912345678")
except ValueError:
    logging.getLogger("django.request").exception("Internal Server Error: /x/")
"""


def test_production_logging_masks_every_record():
    result = run(["-c", LOG_IN_PRODUCTION], production_env())
    assert result.returncode == 0, result.stderr
    assert "row 3: **************002X" in result.stderr
    assert "Internal Server Error: /x/" in result.stderr
    assert "ValueError: bad id **************002X phone 139****5678" in result.stderr
    assert ID_NUMBER not in result.stderr
    assert "13912345678" not in result.stderr
    # Each record once: Django's own "django" handlers were replaced, not added to.
    assert result.stderr.count("Internal Server Error") == 1


# --- Content-Security-Policy -----------------------------------------------------


def _policy(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def _assert_no_other_host(policy: dict[str, list[str]]):
    allowed = {"'self'", "'none'", "'unsafe-inline'", "data:"}
    for name, sources in policy.items():
        for source in sources:
            assert source in allowed, (name, source)


@pytest.fixture
def staff_client(client, db):
    community = CommunityFactory(slug="heping", name="和平社区")
    PersonFactory(home_community=community, phone="13912345678")
    user = StaffAssignmentFactory(community=community).user
    client.force_login(user)
    return client


PUBLIC_PAGES = [
    "/",
    "/login/",
    "/search/?q=电梯",
    "/no-such-page/",
    "/en/no-such-page/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_carry_the_strict_policy(client, home_page, path):
    header = client.get(path)["Content-Security-Policy"]
    assert header == SITE_POLICY
    policy = _policy(header)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    _assert_no_other_host(policy)


@pytest.mark.django_db
def test_register_pages_carry_the_strict_policy(staff_client):
    response = staff_client.get("/register/heping/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == SITE_POLICY


@pytest.mark.django_db
def test_admin_policy_still_names_no_other_host(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    policy = _policy(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    for name, sources in policy.items():
        for source in sources:
            assert source.startswith("'") or source in {"data:", "blob:"}, (
                name,
                source,
            )


# --- no URL to any other host ----------------------------------------------------

# Attributes whose URL the browser follows: fetched at once (LOADS) or on a click.
LOADS = {"src", "srcset", "poster", "data", "background"}
FOLLOWED = LOADS | {"href", "action", "formaction", "xlink:href", "cite", "ping"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")


class _UrlCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self._in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if name == "style":
                self.urls += [(tag, "style", url) for url in CSS_URL.findall(value)]
            elif name == "srcset":
                self.urls += [
                    (tag, name, part.split()[0])
                    for part in value.split(",")
                    if part.strip()
                ]
            elif name in FOLLOWED:
                self.urls.append((tag, name, value.strip()))
            elif tag == "meta" and name == "content" and "url=" in value.lower():
                self.urls.append((tag, "refresh", value.lower().split("url=")[1]))

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += [("style", "css", url) for url in CSS_URL.findall(data)]


def foreign_urls(html: str, *, loads_only: bool = False, own_host="testserver"):
    """Absolute or protocol-relative URLs to any host but the site's own.

    loads_only: only what the browser fetches by itself (images, scripts, style
    sheets, fonts), not links a person may choose to follow.
    """
    collector = _UrlCollector()
    collector.feed(html)
    found = []
    for tag, attribute, url in collector.urls:
        fetched = (
            attribute in LOADS
            or attribute in {"style", "css", "refresh"}
            or (tag == "link" and attribute == "href")
        )
        if loads_only and not fetched:
            continue
        absolute = url.lower().startswith(("http://", "https://", "//"))
        if absolute and urlsplit(url).hostname != own_host:
            found.append(url)
    return found


def test_foreign_url_scanner_finds_what_it_should():
    html = (
        '<link rel="stylesheet" href="https://cdn.example.com/x.css">'
        "<img src='//www.gravatar.com/avatar/1'>"
        '<img srcset="/a.png 1x, http://img.example.com/b.png 2x">'
        '<div style="background:url(https://fonts.example.com/f.woff)"></div>'
        "<style>@font-face{src:url('https://fonts.example.org/g.woff2')}</style>"
        '<a href="http://testserver/ok/">ok</a><a href="/local/">x</a>'
        '<svg xmlns="http://www.w3.org/2000/svg"></svg>'
        '<a href="https://elsewhere.example.net/">away</a>'
    )
    loaded = [
        "https://cdn.example.com/x.css",
        "//www.gravatar.com/avatar/1",
        "http://img.example.com/b.png",
        "https://fonts.example.com/f.woff",
        "https://fonts.example.org/g.woff2",
    ]
    assert foreign_urls(html, loads_only=True) == loaded
    assert foreign_urls(html) == [*loaded, "https://elsewhere.example.net/"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/login/", "/search/?q=社区", "/no-such-page/", "/en/no-such-page/"]
)
def test_public_pages_link_no_other_host(client, home_page, path):
    html = client.get(path).content.decode()
    assert "<html" in html
    assert foreign_urls(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/register/", "/register/heping/", "/register/me/"])
def test_register_pages_link_no_other_host(staff_client, home_page, path):
    response = staff_client.get(path)
    assert response.status_code == 200
    assert foreign_urls(response.content.decode()) == []


@pytest.mark.django_db
def test_home_page_for_a_wagtail_editor_links_no_other_host(admin_client, home_page):
    """The Wagtail userbar is shown to editors on public pages."""
    html = admin_client.get("/").content.decode()
    assert "wagtail-userbar" in html
    assert foreign_urls(html, loads_only=True) == []


def test_gravatar_is_switched_off():
    assert django_settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


@pytest.mark.django_db
def test_avatar_urls_stay_on_the_site():
    from wagtail.admin.templatetags.wagtailadmin_tags import avatar_url

    user = UserFactory(email="laozhang@example.cn")
    url = avatar_url(user)
    assert url.startswith("/static/")
    assert "gravatar" not in url


@pytest.mark.django_db
def test_wagtail_admin_login_has_no_gravatar(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "gravatar" not in html.lower()
    assert foreign_urls(html, loads_only=True) == []


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/admin/", "/admin/account/"])
def test_wagtail_admin_pages_have_no_gravatar(client, path):
    user = UserFactory(
        username="admin-user",
        email="admin@example.cn",
        is_superuser=True,
        is_staff=True,
    )
    client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    assert "gravatar" not in response.content.decode().lower()
