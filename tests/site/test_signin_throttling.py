"""Issue 9, item 18: sign-in throttling with django-axes, per account and per
(account, address), never per address alone; staff unlock."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import SESSION_KEY

from tests.neighbourhoods.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-Yishi-2026"
HALL = "10.0.0.7"  # one address for a whole hall of voters


@pytest.fixture(autouse=True)
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def _sign_in(client, username, password, address=HALL):
    return client.post(
        "/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


def test_eight_wrong_passwords_then_the_right_one_is_refused(client):
    UserFactory(username="owner-a")
    statuses = [_sign_in(client, "owner-a", "wrong").status_code for _ in range(8)]
    assert statuses[:4] == [200] * 4  # the form again, "wrong password"
    assert set(statuses[4:]) == {429}
    response = _sign_in(client, "owner-a", PASSWORD)
    assert response.status_code == 429
    assert not _signed_in(client)
    body = response.content.decode()
    assert "此账号已暂时锁定" in body
    assert "15 分钟" in body
    assert "Too many wrong passwords" in body
    assert body.index("此账号已暂时锁定") < body.index("Too many wrong passwords")


def test_the_lock_follows_the_account_not_the_address(client):
    """The account stays locked from elsewhere; the hall's other voters sign in."""
    UserFactory(username="owner-b")
    UserFactory(username="owner-c")
    for _ in range(5):
        _sign_in(client, "owner-b", "wrong")
    elsewhere = _sign_in(client, "owner-b", PASSWORD, address="192.0.2.9")
    assert elsewhere.status_code == 429
    response = _sign_in(client, "owner-c", PASSWORD)
    assert response.status_code == 302
    assert _signed_in(client)


def test_many_accounts_failing_from_one_address_lock_nobody_else(client):
    """A hall where many residents mistype once each: the address is never locked."""
    users = [UserFactory(username=f"voter-{i}") for i in range(12)]
    for user in users:
        _sign_in(client, user.username, "wrong")
    UserFactory(username="voter-late")
    assert _sign_in(client, "voter-late", PASSWORD).status_code == 302
    assert _sign_in(client, "voter-3", PASSWORD).status_code == 302


def test_staff_unlock_and_the_account_signs_in(client, admin_client):
    UserFactory(username="owner-d")
    for _ in range(6):
        _sign_in(client, "owner-d", "wrong")
    assert _sign_in(client, "owner-d", PASSWORD).status_code == 429
    # The axes admin screen lists the attempts; deleting them unlocks.
    listing = admin_client.get("/django-admin/axes/accessattempt/")
    assert listing.status_code == 200
    assert "owner-d" in listing.content.decode()
    attempts = AccessAttempt.objects.filter(username="owner-d")
    assert attempts.exists()
    response = admin_client.post(
        "/django-admin/axes/accessattempt/",
        {
            "action": "delete_selected",
            "_selected_action": [a.pk for a in attempts],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert _sign_in(client, "owner-d", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_unlock_by_command_as_documented(client):
    """`manage.py axes_reset_username <name>` (docs/security.md) does the same."""
    UserFactory(username="owner-e")
    for _ in range(5):
        _sign_in(client, "owner-e", "wrong")
    assert _sign_in(client, "owner-e", PASSWORD).status_code == 429
    reset(username="owner-e")
    assert _sign_in(client, "owner-e", PASSWORD).status_code == 302


def test_a_success_before_the_limit_clears_the_count(client):
    UserFactory(username="owner-f")
    for _ in range(4):
        _sign_in(client, "owner-f", "wrong")
    assert _sign_in(client, "owner-f", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, "owner-f", "wrong")
    assert _sign_in(client, "owner-f", PASSWORD).status_code == 302


def test_the_english_page_too(client):
    UserFactory(username="owner-g")
    for _ in range(5):
        client.post("/en/login/", {"username": "owner-g", "password": "wrong"})
    response = client.post("/en/login/", {"username": "owner-g", "password": PASSWORD})
    assert response.status_code == 429
