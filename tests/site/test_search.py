"""Site-wide search finds Chinese words inside running text (jieba, TOOLCHAIN.md).

Run on SQLite and on PostgreSQL (DATABASE_URL): the two full-text engines tokenise
differently, and both treat an unspaced run of Chinese as one token.
"""

import itertools

import pytest
from wagtail.models import PageViewRestriction

from neighbourhoods.services import register_pages_sync
from tests.neighbourhoods.factories import (
    CommunityFactory,
    CompoundFactory,
    PersonFactory,
    SubdistrictFactory,
)
from tests.neighbourhoods.page_factories import RepresentativeFactory
from yishi.models import ArticlePage
from yishi.views import MAX_QUERY_LENGTH

pytestmark = pytest.mark.django_db

PLAN = "加装电梯工作方案"
_slugs = itertools.count(1)


def _article(parent, title, *, body="", slug=None, live=True):
    page = ArticlePage(title=title, body=body, slug=slug or f"a{next(_slugs)}")
    page.live = live
    return parent.add_child(instance=page)


def _search(client, query: str) -> tuple[str, list[str]]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    titles = [page.title for page in response.context["page_obj"].object_list]
    return response.content.decode(), titles


def test_word_inside_a_title_is_found(client, home_page):
    page = _article(home_page, PLAN)
    html, titles = _search(client, "电梯")
    assert titles == [PLAN]
    assert page.url in html


def test_word_inside_the_body_only_is_found(client, home_page):
    _article(home_page, "三号楼居民通知", body=f"<p>关于《{PLAN}》的意见征集。</p>")
    _article(home_page, "停车位划线通知", body="<p>小区停车位重新划线。</p>")
    _, titles = _search(client, "电梯")
    assert titles == ["三号楼居民通知"]


def test_a_phrase_is_found_by_its_words(client, home_page):
    _article(home_page, PLAN)
    _, titles = _search(client, "电梯方案")
    assert titles == [PLAN]


def test_a_word_not_present_finds_nothing(client, home_page):
    _article(home_page, PLAN)
    html, titles = _search(client, "垃圾分类")
    assert titles == []
    assert "没有找到相关内容" in html


@pytest.mark.parametrize("query", ["方案", "加装"])
def test_two_character_queries_work(client, home_page, query):
    _article(home_page, PLAN)
    _, titles = _search(client, query)
    assert titles == [PLAN]


def test_query_length_is_capped(client, home_page):
    _article(home_page, PLAN)
    response = client.get("/search/", {"q": "电梯" + "很" * 500})
    assert response.status_code == 200
    assert response.context["query"] == ("电梯" + "很" * 500)[:MAX_QUERY_LENGTH]
    assert len(response.context["query"]) == MAX_QUERY_LENGTH


@pytest.mark.parametrize(
    "query", ['"', "*", "电梯*", "(电梯", "电梯 OR", "NOT 电梯", "-电梯", "'; --", "%_"]
)
def test_query_syntax_characters_do_not_break_search(client, home_page, query):
    _article(home_page, PLAN)
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200


def test_empty_query_shows_the_form_only(client, home_page):
    _article(home_page, PLAN)
    response = client.get("/search/", {"q": "   "})
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == []
    assert "没有找到相关内容" not in response.content.decode()


def test_unpublished_pages_are_not_found(client, home_page):
    page = _article(home_page, PLAN)
    _article(home_page, "电梯维保草稿", live=False)
    page.unpublish()
    _, titles = _search(client, "电梯")
    assert titles == []


def test_private_pages_and_their_children_are_not_found(client, home_page):
    private = _article(home_page, "电梯加装内部讨论")
    _article(private, PLAN)
    PageViewRestriction.objects.create(
        page=private,
        restriction_type=PageViewRestriction.PASSWORD,
        password="yishi-2026",
    )
    _article(home_page, "公开的电梯通知", slug="public")
    _, titles = _search(client, "电梯")
    assert titles == ["公开的电梯通知"]


@pytest.fixture
def register_pages(home_page):
    street = SubdistrictFactory(name="新华街道", code="510402998")
    sunshine = CommunityFactory(
        subdistrict=street, name="阳光社区", code="510402998001", slug="yangguang"
    )
    CompoundFactory(
        subdistrict=street, name="阳光花园", slug="garden", communities=[sunshine]
    )
    RepresentativeFactory(
        person=PersonFactory(full_name="王芳", home_community=sunshine),
        communities=[sunshine],
    )
    register_pages_sync(actor=None)


def test_compound_page_is_found_by_part_of_its_name(client, register_pages):
    _, titles = _search(client, "花园")
    assert titles == ["阳光花园"]


def test_community_and_compound_share_a_word(client, register_pages):
    _, titles = _search(client, "阳光")
    assert sorted(titles) == ["阳光社区", "阳光花园"]


def test_representative_page_is_found_by_name(client, register_pages):
    _, titles = _search(client, "王芳")
    assert titles == ["王芳（区(县)级人大代表）"]
