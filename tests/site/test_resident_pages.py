"""A signed-in resident is shown the visitors' kept copy of a page that may be
shared, with base.html's personal parts rendered for them (yishi/visitor_cache.py);
editors, residents with a message waiting and pages that did not opt in are rendered
as before."""

from __future__ import annotations

import re
import types

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from neighbourhoods.pages import CommunityPage
from neighbourhoods.services import register_pages_sync
from tests.consultation.disclosures.factories import board_setup
from tests.neighbourhoods.factories import CommunityFactory, UserFactory
from yishi import visitor_cache

pytestmark = pytest.mark.django_db

HIT = "X-Yishi-Cache"
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def page(home_page):
    community = CommunityFactory(name="晨光社区")
    register_pages_sync(actor=None)
    return CommunityPage.objects.get(community=community)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="neighbourhoods.backends.PersonModelBackend")
    return client


def _without_token(content: bytes) -> bytes:
    return TOKEN.sub(b'name="csrfmiddlewaretoken" value=""', content)


def test_a_resident_gets_the_kept_page_as_if_it_were_rendered_for_her(
    page, django_assert_max_num_queries
):
    resident = _signed_in(UserFactory(username="lihua"))
    rendered = resident.get(page.url)  # nothing kept yet: rendered for her
    assert HIT not in rendered
    assert Client().get(page.url).status_code == 200  # a visitor's copy is kept
    with django_assert_max_num_queries(2):  # her session and her user, no more
        shared = resident.get(page.url)
    assert shared[HIT] == "shared"
    assert _without_token(shared.content) == _without_token(rendered.content)
    html = shared.content.decode()
    assert 'logout/"' in html
    assert "presence.js" in html
    assert "/login/?next=" not in html
    assert "private" in shared["Cache-Control"]
    visitor = Client().get(page.url)  # the visitors' copy is untouched
    assert visitor[HIT] == "hit"
    assert 'logout/"' not in visitor.content.decode()
    assert "presence.js" not in visitor.content.decode()


@pytest.mark.parametrize("editor", ["superuser", "staff", "group"])
def test_an_editor_is_rendered_for_with_the_editors_tools(page, editor):
    user = UserFactory(
        username=f"editor-{editor}",
        is_superuser=editor == "superuser",
        is_staff=editor == "staff",
    )
    if editor == "group":
        user.groups.add(Group.objects.create(name="编辑"))
    Client().get(page.url)
    response = _signed_in(user).get(page.url)
    assert HIT not in response
    if editor == "superuser":
        assert "wagtail-userbar" in response.content.decode()


def test_a_waiting_message_is_shown_on_a_page_rendered_for_her(page):
    resident = _signed_in(UserFactory(username="wangfang"))
    Client().get(page.url)
    storage = CookieStorage(types.SimpleNamespace(COOKIES={}))
    storage.add(messages.SUCCESS, "您的意见已收到")
    carrier = HttpResponse()
    storage.update(carrier)  # as a view that added a message would answer
    resident.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    shown = resident.get(page.url)
    assert HIT not in shown
    assert "您的意见已收到" in shown.content.decode()
    assert resident.get(page.url)[HIT] == "shared"  # shown once; then shared again


def test_a_page_that_did_not_opt_in_is_rendered_for_her(home_page):
    """The disclosure board shows staff their drafting tools: kept for visitors only."""
    board = board_setup()
    url = f"/disclosures/{board.community.slug}/"
    Client().get(url)
    assert Client().get(url)[HIT] == "hit"
    assert HIT not in _signed_in(UserFactory(username="zhaolei")).get(url)


def test_other_cookies_and_missing_marks_mean_a_page_rendered_for_her(
    page, monkeypatch
):
    resident = _signed_in(UserFactory(username="sunli"))
    Client().get(page.url)
    resident.cookies["tracking"] = "1"
    assert HIT not in resident.get(page.url)
    del resident.cookies["tracking"]
    monkeypatch.setattr(visitor_cache, "PERSONAL_PARTS", ("nav", "scripts", "gone"))
    response = resident.get(page.url)
    assert HIT not in response
    assert 'logout/"' in response.content.decode()
