"""The register pages' lists are cached until the register or a page changes.

neighbourhoods/register_cache.py: a page visited twice builds its lists once; any
change to a register model, a membership's many-to-many, or a Wagtail page shows on
the next visit; the lists are kept per language and per day.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from neighbourhoods import register_cache
from neighbourhoods.models import Membership
from tests.neighbourhoods.factories import (
    CompoundFactory,
    MembershipFactory,
    PersonFactory,
)
from tests.neighbourhoods.test_pages import _html, pages, register  # noqa: F401

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_a_second_visit_does_not_build_the_lists_again(client, pages):  # noqa: F811
    url = pages.sunshine.url
    client.get(url)
    warm = _queries(client, url)
    register_cache.register_changed()
    cold = _queries(client, url)
    assert warm < cold
    assert _queries(client, url) == warm


def test_a_new_compound_shows_at_once(client, register, pages):  # noqa: F811
    assert "新建小区" not in _html(client, pages.sunshine)
    CompoundFactory(
        subdistrict=register.sunshine.subdistrict,
        communities=[register.sunshine],
        name="新建小区",
    )
    assert "新建小区" in _html(client, pages.sunshine)


def test_a_renamed_member_and_a_new_seat_show_at_once(client, register, pages):  # noqa: F811
    assert "李主任" in _html(client, pages.sunshine)
    register.chair.person.full_name = "李新主任"
    register.chair.person.save()
    MembershipFactory(
        body=register.committee,
        role=Membership.Role.MEMBER,
        person=PersonFactory(full_name="新委员", home_community=register.sunshine),
    )
    html = _html(client, pages.sunshine)
    assert "李新主任" in html
    assert "新委员" in html


def test_a_representative_linking_another_community_shows_at_once(
    client,
    register,  # noqa: F811
    pages,  # noqa: F811
):
    assert "王芳" not in _html(client, pages.garden)  # compound pages list no deputies
    assert "王芳" in _html(client, pages.sunshine)
    register.deputy.communities.remove(register.sunshine)  # m2m_changed
    assert "王芳" not in _html(client, pages.sunshine)


def test_an_unpublished_page_is_no_longer_linked(client, pages):  # noqa: F811
    assert f'href="{pages.garden.url}"' in _html(client, pages.sunshine)
    pages.garden.unpublish()
    assert f'href="{pages.garden.url}"' not in _html(client, pages.sunshine)


def test_each_language_has_its_own_page(client, pages):  # noqa: F811
    chinese = _html(client, pages.garden)
    client.cookies["django_language"] = "en"
    with translation.override("zh-hans"):  # the request activates English: undo it
        english = client.get("/en" + pages.garden.url).content.decode()
    assert "楼栋" in chinese
    assert "楼栋" not in english
    assert "<h2" in english


def test_a_preview_is_never_served_from_the_cache(rf, pages):  # noqa: F811
    request = rf.get("/")
    assert register_cache.fragment_key(request)
    request.is_preview = True
    assert register_cache.fragment_key(request) is None


def test_the_header_still_shows_who_is_signed_in(client, register, pages):  # noqa: F811
    from tests.neighbourhoods.factories import UserFactory

    assert "退出登录" not in _html(client, pages.sunshine)
    client.force_login(UserFactory())
    assert "退出登录" in _html(client, pages.sunshine)


def test_the_version_survives_an_evicted_counter():
    from django.core.cache import cache

    cache.delete(register_cache.VERSION_KEY)
    register_cache.register_changed()  # no ValueError from incr on a missing key
    first = cache.get(register_cache.VERSION_KEY)
    assert first is not None
    register_cache.register_changed()
    assert cache.get(register_cache.VERSION_KEY) > first


def test_signing_in_by_code_leaves_the_cached_pages_alone(client, register, pages):  # noqa: F811
    from neighbourhoods.models import PhoneCode

    before = register_cache.version()
    now = timezone.now()
    PhoneCode.objects.create(
        phone="13800000000",
        purpose=PhoneCode.Purpose.values[0],
        code_hash="x" * 64,
        sent_at=now,
        window_start=now,
        sends_in_window=1,
    )
    assert register_cache.version() == before
    register.garden.name = "阳光花园二期"
    register.garden.save()
    assert register_cache.version() > before
