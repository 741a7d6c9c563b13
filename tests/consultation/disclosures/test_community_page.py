"""The community's Wagtail page lists the board's latest entries (issue 10 item 8),
and a publication shows there at once although the page's content is cached
(neighbourhoods/register_cache.py)."""

from __future__ import annotations

import pytest

from neighbourhoods.pages import CommunityPage
from neighbourhoods.services import register_pages_sync
from tests.consultation.disclosures.factories import board_setup, publish_entry

pytestmark = pytest.mark.django_db


def _community_page_html(client, community) -> str:
    page = CommunityPage.objects.get(community=community)
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_published_entry_shows_on_the_community_page_at_once(client, home_page):
    board = board_setup()
    register_pages_sync(actor=None)
    html = _community_page_html(client, board.community)
    assert "暂无公开事项" in html  # rendered and cached before the publication
    entry = publish_entry(board, title="2026年11月财务收支公开")
    html = _community_page_html(client, board.community)
    assert "2026年11月财务收支公开" in html
    assert f"/disclosures/entry/{entry.pk}/" in html
    assert f"/disclosures/{board.community.slug}/" in html  # the whole board


def test_a_draft_is_not_listed(client, home_page):
    from consultation.disclosures import services

    board = board_setup()
    register_pages_sync(actor=None)
    services.disclosure_draft(
        community=board.community,
        actor=board.staff,
        kind="major",
        title="尚未公开的草稿",
        text="内容",
    )
    assert "尚未公开的草稿" not in _community_page_html(client, board.community)
