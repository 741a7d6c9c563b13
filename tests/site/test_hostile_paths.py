"""Issue 9, item 19: no input answers 500. Every URL pattern of the project, resolved
from the root URLconf, is requested with hostile values in each of its path
parameters, by GET and POST, anonymously and as staff; and hostile websocket paths
are refused at the handshake."""

from __future__ import annotations

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from yishi.converters import MAX_DATABASE_ID, ascii_digits
from yishi.routing import websocket_urlpatterns

HOSTILE = [
    str(MAX_DATABASE_ID + 1),  # 9223372036854775808: one past a bigint
    "9" * 40,
    "-1",
    "社区",
    "../",
    "..%2F..%2Fetc%2Fpasswd",
    "a" * 10_000,
    "%00",
]


def _patterns(patterns=None, prefix: str = ""):
    """Every pattern's full text (route and regex parts as Django holds them)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        text = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns, text)
        else:
            yield text


def _group_end(text: str, start: int) -> int:
    depth, i = 0, start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            return i
        i += 1
    return len(text) - 1


def fill(text: str, value: str) -> str:
    """The pattern as a path, with `value` in each parameter (`<…>` or a group)."""
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "<":
            out.append(value)
            i = text.index(">", i) + 1
        elif char == "(":
            out.append(value)
            i = _group_end(text, i) + 1
        elif char == "\\":
            out.append(text[i + 1 : i + 2])
            i += 2
        else:
            if char not in "^$?*+":
                out.append(char)
            i += 1
    return "/" + "".join(out)


def _has_parameters(text: str) -> bool:
    return "<" in text or "(" in text


def _urls() -> list[str]:
    urls = set()
    for text in _patterns():
        if _has_parameters(text):
            urls.update(fill(text, value) for value in HOSTILE)
        else:
            urls.add(fill(text, ""))
    return sorted(urls)


def test_the_walk_sees_every_kind_of_route():
    texts = list(_patterns())
    assert len(texts) > 300  # the Wagtail and Django admins included
    urls = _urls()
    assert f"/api/ballots/{MAX_DATABASE_ID + 1}/tally.json" in urls
    assert "/ballots/-1/" in urls
    assert fill("documents/^(\\d+)/(.*)$", "x") == "/documents/x/x"


@pytest.mark.django_db
def test_the_reported_overflow_is_404(client):
    assert client.get(f"/api/ballots/{MAX_DATABASE_ID + 1}/tally.json").status_code == (
        404
    )
    assert client.get(f"/ballots/{MAX_DATABASE_ID}/").status_code == 404
    with pytest.raises(Exception):  # noqa: B017, PT011
        reverse("ballots:ballot", args=[MAX_DATABASE_ID + 1])


def _walk(client: Client) -> list[str]:
    failures = []
    for url in _urls():
        for method in (client.get, client.post):
            try:
                status = method(url).status_code
            except Exception as error:  # what the test looks for
                failures.append(f"{method.__name__.upper()} {url[:120]}: {error!r}")
                continue
            if status >= 500:
                failures.append(f"{method.__name__.upper()} {url[:120]}: {status}")
    return failures


@pytest.mark.django_db
def test_no_hostile_path_answers_500_anonymously():
    failures = _walk(Client())
    assert not failures, "\n".join(failures)


@pytest.mark.django_db
def test_no_hostile_path_answers_500_to_staff(admin_user):
    client = Client()
    client.force_login(admin_user)
    failures = _walk(client)
    assert not failures, "\n".join(failures)


# ---- websockets ----


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
@pytest.mark.parametrize(
    "path",
    [
        "/ws/ballots/abc/",
        f"/ws/ballots/{MAX_DATABASE_ID + 1}/",
        "/ws/ballots/-1/",
        "/ws/ballots/社区/",
        "/ws/../etc/passwd",
        "/ws/" + "a" * 10_000,
        "/ws/ballots/1/\x00",
        "/",
        "/ws/nothing-here/",
    ],
)
async def test_hostile_websocket_paths_are_refused(path):
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    connected, code = await communicator.connect()
    assert not connected
    assert code in (4403, 4404)
    await communicator.disconnect()


@pytest.mark.django_db
def test_the_guarded_wagtail_views_still_work(admin_client):
    link = "/admin/choose-external-link/"
    assert admin_client.post(link).status_code == 400
    posted = admin_client.post(
        link,
        {
            "external-link-chooser-url": "https://example.org/",
            "external-link-chooser-link_text": "例",
        },
    )
    assert posted.status_code == 200
    assert admin_client.get(link).status_code == 200
    assert admin_client.get("/admin/failwhale/").status_code == 404
    assert admin_client.get("/admin/images/chooser/chosen/abc/").status_code == 404
    assert admin_client.get("/admin/images/chooser/chosen/999999/").status_code == 404


@pytest.mark.django_db
def test_the_admin_sign_in_follows_only_an_address(admin_client, client, admin_user):
    """A signed-in administrator's `?next=` that is not an address ("社区", "1")
    leads to the admin's home (Wagtail's own view raised NoReverseMatch: 500); a
    path is still followed, another site's address never, and signing in works."""
    for text in ("社区", "1", "NaN", "admin:index"):
        answer = admin_client.get("/admin/login/", {"next": text})
        assert (answer.status_code, answer["Location"]) == (302, "/admin/")
    answer = admin_client.get("/admin/login/", {"next": "/admin/pages/"})
    assert answer["Location"] == "/admin/pages/"
    answer = admin_client.get("/admin/login/", {"next": "https://evil.example/"})
    assert answer["Location"] == "/admin/"
    assert client.get("/admin/login/", {"next": "社区"}).status_code == 200
    admin_user.set_password("a long test password")
    admin_user.save()
    signed_in = client.post(
        "/admin/login/?next=社区",
        {"username": admin_user.username, "password": "a long test password"},
    )
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/admin/")


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("0", True),
        ("12", True),
        ("²", False),  # isdigit() is true, int() refuses it: a 500 once
        ("１２", False),  # full-width: int() reads it, forms do not take it
        ("١٢", False),
        ("", False),
        ("-1", False),
        (" 1", False),
    ],
)
def test_ascii_digits(text, digits):
    assert ascii_digits(text) is digits
