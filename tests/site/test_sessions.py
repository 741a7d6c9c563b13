"""yishi.sessions: sessions from Redis, read from PostgreSQL while Redis is down."""

import pytest
from django.contrib.sessions.models import Session
from django.test import override_settings

from tests.neighbourhoods.factories import PersonFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

PASSWORD = "pass-Yishi-2026"


def _caches(settings, session_url: str) -> dict:
    caches = dict(settings.CACHES)
    caches["sessions"] = {
        "BACKEND": "yishi.sessions.SessionCache",
        "LOCATION": session_url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    return caches


def test_signed_in_pages_and_votes_work_while_redis_is_down(client, settings):
    PersonFactory(user=UserFactory(username="resident-d"))
    # Port 9 (discard) on this machine: nothing listens, connections are refused.
    with override_settings(
        CACHES=_caches(settings, "redis://127.0.0.1:9/0"),
        SESSION_CACHE_ALIAS="sessions",
    ):
        assert client.login(username="resident-d", password=PASSWORD)
        assert Session.objects.count() == 1  # kept in PostgreSQL all the same
        page = client.get("/register/me/")
        assert page.status_code == 200
        assert page.wsgi_request.user.username == "resident-d"
        # Signing out stops before anything is deleted: the session is unchanged.
        with pytest.raises(Exception, match=r"(?i)connect"):
            client.post("/logout/")
        assert Session.objects.count() == 1
        assert client.get("/register/me/").status_code == 200
    # Redis is back: signing out removes both copies, and the cookie is dead.
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/logout/")
    assert not Session.objects.filter(session_key=cookie).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert client.get("/register/me/").status_code == 302  # to the login page


def test_a_session_read_from_the_database_is_cached_for_the_next_request(
    client, settings
):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import caches

    PersonFactory(user=UserFactory(username="resident-e"))
    assert client.login(username="resident-e", password=PASSWORD)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    cache = caches[settings.SESSION_CACHE_ALIAS]
    cache.delete(KEY_PREFIX + key)  # as after a Redis restart
    assert client.get("/register/me/").status_code == 200
    assert cache.get(KEY_PREFIX + key) is not None
