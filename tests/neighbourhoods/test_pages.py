"""The register's Wagtail pages: tree rules, sync, rendering, privacy, query counts."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighbourhoods.models import Body, Membership, Representative
from neighbourhoods.pages import (
    CommunityPage,
    CompoundPage,
    PartyBranchPage,
    RepresentativeIndexPage,
    RepresentativePage,
)
from neighbourhoods.register_cache import register_changed
from neighbourhoods.services import register_pages_sync
from tests.neighbourhoods.factories import (
    BodyFactory,
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    MembershipFactory,
    PersonFactory,
    SubdistrictFactory,
    UserFactory,
    make_id_number,
)
from tests.neighbourhoods.page_factories import GridFactory, RepresentativeFactory
from yishi.models import ArticlePage

pytestmark = pytest.mark.django_db

SECRETARY_PHONE = "13900001111"
SECRETARY_ID = make_id_number(7, dt.date(1975, 3, 14))
GRID_PHONE = "13712345678"
REP_PHONE = "13811112222"


def _member(body, name, role, *, term_end=None, **person):
    person = PersonFactory(full_name=name, home_community=body.community, **person)
    return MembershipFactory(body=body, person=person, role=role, term_end=term_end)


def _places():
    """阳光社区 and 幸福社区, and 阳光花园 spanning both, with a building in each."""
    street = SubdistrictFactory(name="新华街道", code="510402999")
    sunshine = CommunityFactory(
        subdistrict=street, name="阳光社区", code="510402999001", slug="yangguang"
    )
    happiness = CommunityFactory(
        subdistrict=street, name="幸福社区", code="510402999002", slug="xingfu"
    )
    garden = CompoundFactory(
        subdistrict=street,
        name="阳光花园",
        slug="yangguang-huayuan",
        address="新华路 8 号",
        communities=[sunshine, happiness],
    )
    BuildingFactory(compound=garden, community=sunshine, number="1")
    BuildingFactory(compound=garden, community=happiness, number="2")
    GridFactory(
        community=sunshine,
        name="第一网格",
        worker_name="赵网格",
        worker_phone=GRID_PHONE,
    )
    return sunshine, happiness, garden


def _party(sunshine, garden):
    """The community party organisation and the compound's branch, with members."""
    party_org = BodyFactory(
        community=sunshine, kind=Body.Kind.PARTY_ORGANISATION, name="阳光社区党委"
    )
    _member(party_org, "陈书记", Membership.Role.SECRETARY)
    branch = BodyFactory(
        community=sunshine,
        compound=garden,
        kind=Body.Kind.PARTY_BRANCH,
        name="阳光花园党支部",
    )
    secretary = _member(
        branch,
        "周书记",
        Membership.Role.SECRETARY,
        phone=SECRETARY_PHONE,
        id_number=SECRETARY_ID,
        birth_date=dt.date(1975, 3, 14),
    )
    _member(branch, "吴委员", Membership.Role.MEMBER)
    _member(branch, "郑党员", Membership.Role.PARTY_MEMBER)
    _member(branch, "冯党员", Membership.Role.PARTY_MEMBER)
    return party_org, branch, secretary


@pytest.fixture
def register(home_page):
    """阳光社区 with 阳光花园 (spanning 幸福社区), its bodies, a grid and a deputy."""
    sunshine, happiness, garden = _places()
    committee = BodyFactory(
        community=sunshine, kind=Body.Kind.RESIDENTS_COMMITTEE, name="阳光社区居委会"
    )
    chair = _member(committee, "李主任", Membership.Role.CHAIR, phone="13900002222")
    _member(committee, "旧委员", Membership.Role.MEMBER, term_end=dt.date(2020, 12, 31))
    party_org, branch, secretary = _party(sunshine, garden)
    owners = BodyFactory(
        community=sunshine,
        compound=garden,
        kind=Body.Kind.OWNERS_COMMITTEE,
        name="阳光花园业主委员会",
    )
    _member(owners, "孙主任", Membership.Role.CHAIR)
    deputy = RepresentativeFactory(
        person=PersonFactory(
            full_name="王芳", phone=REP_PHONE, home_community=happiness
        ),
        kind=Representative.Kind.PEOPLES_CONGRESS,
        level=Representative.Level.DISTRICT,
        title="区人大代表",
        communities=[sunshine, happiness],
    )
    return SimpleNamespace(
        home=home_page,
        sunshine=sunshine,
        happiness=happiness,
        garden=garden,
        committee=committee,
        chair=chair,
        party_org=party_org,
        branch=branch,
        secretary=secretary,
        owners=owners,
        deputy=deputy,
    )


@pytest.fixture
def pages(register):
    register_pages_sync(actor=None)
    return SimpleNamespace(
        sunshine=CommunityPage.objects.get(community=register.sunshine),
        happiness=CommunityPage.objects.get(community=register.happiness),
        garden=CompoundPage.objects.get(compound=register.garden),
        party_org=PartyBranchPage.objects.get(body=register.party_org),
        branch=PartyBranchPage.objects.get(body=register.branch),
        index=RepresentativeIndexPage.objects.get(),
        deputy=RepresentativePage.objects.get(representative=register.deputy),
    )


def _html(client, page) -> str:
    response = client.get(page.url)
    assert response.status_code == 200, page.url
    return response.content.decode()


def _assert_no_personal_data(html: str, person) -> None:
    assert person.phone not in html
    assert person.masked_phone not in html
    if person.id_number_last4:
        assert person.masked_id_number not in html
    assert "1975-03-14" not in html


# ---- register_pages_sync ----


def test_sync_creates_a_page_per_register_object_and_is_idempotent(register):
    first = register_pages_sync(actor=None)
    assert first == {
        "communities": 2,
        "compounds": 1,
        "party_branches": 2,
        "representatives": 1,
        "indexes": 1,
        "skipped": 0,
    }
    again = register_pages_sync(actor=None)
    assert set(again.values()) == {0}
    assert CommunityPage.objects.count() == 2
    assert CompoundPage.objects.count() == 1
    assert PartyBranchPage.objects.count() == 2
    assert RepresentativePage.objects.count() == 1


def test_sync_builds_a_sensible_tree(pages, register):
    assert pages.sunshine.get_parent().specific == register.home
    assert pages.sunshine.live
    assert pages.sunshine.slug == "yangguang"
    # A compound spanning two communities lives under the first by code.
    assert pages.garden.get_parent().id == pages.sunshine.id
    assert pages.branch.get_parent().id == pages.garden.id
    assert pages.party_org.get_parent().id == pages.sunshine.id
    assert pages.deputy.get_parent().id == pages.index.id
    assert pages.index.get_parent().id == register.home.id
    assert pages.deputy.title == "王芳（区(县)级人大代表）"


def test_sync_avoids_slugs_taken_by_other_pages(register):
    register.home.add_child(instance=ArticlePage(title="阳光", slug="yangguang"))
    register_pages_sync(actor=None)
    assert CommunityPage.objects.get(community=register.sunshine).slug == (
        "yangguang-2"
    )


def test_sync_adds_only_what_is_new(pages, register):
    CommunityFactory(subdistrict=register.sunshine.subdistrict, name="新建社区")
    created = register_pages_sync(actor=None)
    assert created["communities"] == 1
    assert sum(created.values()) == 1


def test_sync_skips_a_compound_in_no_community(register):
    lonely = CompoundFactory(subdistrict=register.sunshine.subdistrict)
    lonely.communities.clear()
    assert register_pages_sync(actor=None)["skipped"] == 1
    assert not CompoundPage.objects.filter(compound=lonely).exists()


# ---- page type rules ----


def test_page_type_rules(pages, register):
    home = register.home
    assert CommunityPage.can_create_at(home)
    assert not CompoundPage.can_create_at(home)
    assert not PartyBranchPage.can_create_at(home)
    assert not RepresentativePage.can_create_at(home)
    assert CompoundPage.can_create_at(pages.sunshine)
    assert PartyBranchPage.can_create_at(pages.sunshine)
    assert PartyBranchPage.can_create_at(pages.garden)
    assert ArticlePage.can_create_at(pages.sunshine)
    assert not CommunityPage.can_create_at(pages.sunshine)
    assert not CompoundPage.can_create_at(pages.garden)
    assert RepresentativePage.can_create_at(pages.index)
    assert not RepresentativePage.can_create_at(pages.sunshine)
    # One representative index per site.
    assert not RepresentativeIndexPage.can_create_at(home)


def test_representative_index_can_be_created_while_none_exists(home_page):
    assert RepresentativeIndexPage.can_create_at(home_page)


# ---- rendering and privacy ----


def test_community_page_shows_public_register_data(client, pages, register):
    html = _html(client, pages.sunshine)
    for text in ("阳光社区", "新华街道", "510402999001", "阳光花园", "第一网格"):
        assert text in html
    assert pages.garden.url in html
    # Grid worker: name and masked phone only.
    assert "赵网格" in html
    assert "137****5678" in html
    assert GRID_PHONE not in html
    assert "社区办公电话" not in html  # none recorded
    # A work phone and the office number flagged public are shown in full.
    register.sunshine.grids.update(worker_phone_public=True)
    community = register.sunshine
    community.office_phone, community.office_phone_public = "0812-3331234", True
    community.save()
    public = _html(client, pages.sunshine)
    assert f'<a href="tel:{GRID_PHONE}">{GRID_PHONE}</a>' in public
    assert "工作电话" in public
    assert "社区办公电话" in public
    assert "0812-3331234" in public
    community.office_phone_public = False
    community.save()
    assert "081*****1234" in _html(client, pages.sunshine)
    # Bodies with members' names and roles; the lapsed member is gone.
    assert "阳光社区居委会" in html
    assert '<span class="role">主任</span> 李主任' in html
    assert "旧委员" not in html
    assert "陈书记" in html
    assert pages.party_org.url in html
    # The deputy who links with the community, linked to their page.
    assert "王芳" in html
    assert pages.deputy.url in html
    _assert_no_personal_data(html, register.chair.person)


def test_compound_page_shows_communities_branch_and_owners_committee(
    client, pages, register
):
    html = _html(client, pages.garden)
    assert "阳光社区" in html
    assert "幸福社区" in html
    assert pages.happiness.url in html
    assert "2 栋" in html
    assert "新华路 8 号" in html
    assert "阳光花园党支部" in html
    assert pages.branch.url in html
    assert "阳光花园业主委员会" in html
    assert "孙主任" in html
    _assert_no_personal_data(html, register.secretary.person)


def test_party_branch_page_lists_committee_and_counts_members(client, pages, register):
    html = _html(client, pages.branch)
    assert '<span class="role">书记</span> 周书记' in html
    assert '<span class="role">委员/成员</span> 吴委员' in html
    # Ordinary members are counted, not named.
    assert "郑党员" not in html
    assert "冯党员" not in html
    assert "党员 2 名" in html
    assert "本支部公开的决定" in html
    assert "本支部尚未公开决定" in html
    assert pages.garden.url in html
    assert pages.sunshine.url in html
    _assert_no_personal_data(html, register.secretary.person)
    assert SECRETARY_ID not in html


def test_party_branch_has_no_published_decisions_yet(pages):
    assert pages.branch.published_decisions() == []


def test_representative_page_shows_reception_but_never_the_register_phone(
    client, pages, register
):
    pages.deputy.reception = "每月 15 日上午，阳光社区代表联络站"
    pages.deputy.contact = "联络站 028-12345678"
    pages.deputy.save_revision().publish()
    html = _html(client, pages.deputy)
    for text in ("王芳", "人大代表", "区(县)级", "阳光社区", "幸福社区"):
        assert text in html
    assert "每月 15 日上午" in html
    assert "028-12345678" in html
    _assert_no_personal_data(html, register.deputy.person)


def test_representative_index_lists_representatives(client, pages):
    html = _html(client, pages.index)
    assert "人大代表" in html
    assert "王芳" in html
    assert pages.deputy.url in html


def test_home_page_links_to_the_community_pages(client, pages):
    html = _html(client, pages.sunshine.get_parent())
    assert pages.sunshine.url in html


def test_page_whose_register_object_is_gone_still_renders(client, pages, register):
    register.deputy.communities.clear()
    register.deputy.delete()
    pages.deputy.refresh_from_db()
    assert pages.deputy.representative_id is None
    assert "尚未关联名册记录" in _html(client, pages.deputy)


# ---- editing rules ----


def test_a_copied_page_does_not_claim_the_same_community(pages):
    copy = pages.sunshine.copy(
        recursive=False, update_attrs={"slug": "yangguang-copy", "title": "副本"}
    )
    assert copy.specific.community_id is None
    pages.sunshine.refresh_from_db()
    assert pages.sunshine.community_id is not None


def test_contact_may_not_be_the_register_phone(pages):
    pages.deputy.contact = "电话 138-1111-2222"
    with pytest.raises(ValidationError) as excinfo:
        pages.deputy.full_clean()
    assert "contact" in excinfo.value.message_dict


def test_party_page_links_only_a_party_body(pages, register):
    pages.branch.body = register.owners
    with pytest.raises(ValidationError) as excinfo:
        pages.branch.full_clean()
    assert "body" in excinfo.value.message_dict


def test_editor_chooses_the_community_in_the_admin(client, pages, register):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(f"/admin/pages/{pages.sunshine.id}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="community"' in html
    assert "幸福社区" in html
    add = client.get(
        f"/admin/pages/add/neighbourhoods/partybranchpage/{pages.garden.id}/"
    )
    assert add.status_code == 200
    # Only party bodies are offered.
    assert "阳光花园党支部" in add.content.decode()
    assert "阳光花园业主委员会" not in add.content.decode()


# ---- queries ----


def _grow(register, n: int) -> None:
    """Add n more of everything a community page lists."""
    for i in range(n):
        compound = CompoundFactory(
            subdistrict=register.sunshine.subdistrict, communities=[register.sunshine]
        )
        BuildingFactory(compound=compound, community=register.sunshine)
        GridFactory(community=register.sunshine)
        body = BodyFactory(community=register.sunshine, kind=Body.Kind.COUNCIL)
        for role in (Membership.Role.CHAIR, Membership.Role.MEMBER):
            MembershipFactory(body=body, role=role)
        RepresentativeFactory(
            person=PersonFactory(home_community=register.sunshine),
            kind=Representative.Kind.CPPCC,
            level=Representative.Level.CITY,
            title=f"委员{i}",
            communities=[register.sunshine],
        )
    register_pages_sync(actor=None)


def _count_queries(client, url) -> int:
    """Queries of a request that builds the register lists afresh (not cached)."""
    register_changed()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "page_name", ["sunshine", "garden", "branch", "deputy", "index"]
)
def test_register_pages_need_no_more_queries_as_the_register_grows(
    client, pages, register, page_name
):
    url = getattr(pages, page_name).url
    client.get(url)  # warm the site-root-paths cache
    before = _count_queries(client, url)
    _grow(register, 5)
    after = _count_queries(client, url)
    assert after == before


def test_community_page_query_budget(
    client, pages, register, django_assert_max_num_queries
):
    _grow(register, 10)
    client.get(pages.sunshine.url)
    with django_assert_max_num_queries(19):
        response = client.get(pages.sunshine.url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') >= 40
