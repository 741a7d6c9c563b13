"""Editors' context pages around a matter (issue 10 item 8): the editor's text,
with the matter's record shown beside it from the structured records; the
matter's page links back to them; only a community, compound or party-branch page
may hold one."""

from __future__ import annotations

import pytest

from consultation.disclosures import services as board
from consultation.records import services
from consultation.records.pages import MatterContextPage
from neighbourhoods.pages import CommunityPage
from neighbourhoods.services import register_pages_sync
from yishi.models import ArticlePage

from .conftest import hold_all_meetings, open_matter

pytestmark = pytest.mark.django_db


def _context_page(place, matter, **kwargs):
    register_pages_sync(actor=None)
    parent = CommunityPage.objects.get(community=place.community)
    page = MatterContextPage(
        title="健身广场改造：居民关心的五个问题",
        slug="fitness-square-questions",
        matter=matter,
        summary="为什么改、花多少钱、谁来管。",
        body="<p>改造资金来自社区公益金，不向居民收费。</p>",
        **kwargs,
    )
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_page_shows_the_editors_text_and_the_live_record(
    place, client, home_page, django_assert_max_num_queries
):
    matter = open_matter(place)
    hold_all_meetings(place, matter)
    entry = services.matter_disclose(matter_id=matter.pk, actor=place.staff)
    board.disclosure_review(entry_id=entry.pk, actor=None, approve=True)
    board.disclosure_publish(entry_id=entry.pk, actor=place.staff)
    page = _context_page(place, matter)
    with django_assert_max_num_queries(30):
        response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "改造资金来自社区公益金" in html
    assert matter.title in html
    assert "党员大会审议 ✓" in html.replace("\n", "")
    assert entry.public_title in html
    assert f"/matters/{matter.pk}/" in html
    matter_page = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "健身广场改造：居民关心的五个问题" in matter_page
    assert page.url in matter_page


def test_a_draft_context_page_is_not_linked_from_the_matter(place, client, home_page):
    matter = open_matter(place)
    page = _context_page(place, matter)
    page.unpublish()
    html = client.get(f"/matters/{matter.pk}/").content.decode()
    assert "居民关心的五个问题" not in html


def test_where_a_context_page_may_stand():
    assert MatterContextPage.can_create_at(CommunityPage())
    assert not MatterContextPage.can_create_at(ArticlePage())
    assert MatterContextPage.allowed_subpage_models() == []
