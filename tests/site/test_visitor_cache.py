"""Whole public pages kept for visitors (yishi/visitor_cache.py): served from the
cache to anyone not signed in, stale at once when the register changes, never kept
for a signed-in resident, nor when the page carries a CSRF token or sets a cookie.
(Residents shown the kept copy with their own header: test_resident_pages.py.)"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from neighbourhoods.pages import CommunityPage
from neighbourhoods.services import register_pages_sync
from tests.consultation.disclosures.factories import board_setup, publish_entry
from tests.neighbourhoods.factories import CommunityFactory, UserFactory
from tests.neighbourhoods.page_factories import GridFactory
from yishi.visitor_cache import visitor_key

pytestmark = pytest.mark.django_db

HIT = "X-Yishi-Cache"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _community_page(home_page):
    community = CommunityFactory(name="晨光社区")
    register_pages_sync(actor=None)
    return community, CommunityPage.objects.get(community=community)


def test_a_visitor_is_answered_from_the_cache_and_a_change_shows_at_once(
    home_page, django_assert_max_num_queries
):
    community, page = _community_page(home_page)
    visitor = Client()
    first = visitor.get(page.url)
    assert first.status_code == 200
    assert HIT not in first
    with django_assert_max_num_queries(0):
        second = Client().get(page.url)
    assert second[HIT] == "hit"
    assert second.content == first.content
    assert "csrftoken" not in second.cookies
    GridFactory(community=community, name="第九网格")  # the register's version moves
    third = Client().get(page.url)
    assert HIT not in third
    assert "第九网格" in third.content.decode()


def test_the_key_follows_text_size_and_language(home_page):
    _, page = _community_page(home_page)
    Client().get(page.url)
    large = Client()
    large.cookies["yishi_text_size"] = "large"
    response = large.get(page.url)
    assert HIT not in response
    assert 'class="text-large"' in response.content.decode()
    assert large.get(page.url)[HIT] == "hit"
    english = Client().get("/en" + page.url)
    assert HIT not in english
    assert 'lang="en"' in english.content.decode()


def test_a_signed_in_residents_page_is_never_kept_for_visitors(home_page):
    _, page = _community_page(home_page)
    resident = Client()
    resident.force_login(UserFactory(username="lihua"))
    response = resident.get(page.url)  # nothing kept yet: rendered for her
    assert HIT not in response
    assert 'logout/"' in response.content.decode()  # the sign-out form
    assert HIT not in Client().get(page.url)
    assert Client().get(page.url)[HIT] == "hit"
    assert 'logout/"' not in Client().get(page.url).content.decode()


def test_other_cookies_posts_and_unflagged_views_pass_by(rf, home_page):
    _, page = _community_page(home_page)
    Client().get(page.url)
    tracked = Client()
    tracked.cookies["sessionid"] = "x" * 32
    assert HIT not in tracked.get(page.url)
    assert visitor_key(rf.post(page.url)) is None
    Client().get("/search/?q=社区")
    assert HIT not in Client().get("/search/?q=社区")  # a view that did not opt in


def test_a_page_with_a_csrf_token_is_not_kept(home_page):
    """The login page carries a form: never kept (and it does not opt in)."""
    Client().get("/login/")
    assert HIT not in Client().get("/login/")


def test_the_board_is_kept_and_a_publication_shows_at_once(client, home_page):
    board = board_setup()
    url = f"/disclosures/{board.community.slug}/"
    assert "暂无公开事项" in Client().get(url).content.decode()
    assert Client().get(url)[HIT] == "hit"
    publish_entry(board, title="2026年11月财务收支公开")
    fresh = Client().get(url)
    assert HIT not in fresh
    assert "2026年11月财务收支公开" in fresh.content.decode()
