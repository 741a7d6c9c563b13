"""Voter rolls read from the register: the database facts reach the domain intact."""

import datetime as dt

import pytest

from neighbourhoods.models import Body, ExclusivePart, Ownership, Residency
from neighbourhoods.rolls.domain import OwnerCountingOptions, RollBasis
from neighbourhoods.rolls.scopes import RollScope, RollScopeError, ScopeKind
from neighbourhoods.rolls.selectors import roll_snapshot
from tests.neighbourhoods.factories import (
    BuildingFactory,
    DeveloperFactory,
    ExclusivePartFactory,
    HouseholdFactory,
    MembershipFactory,
    OwnershipFactory,
    PersonFactory,
    ResidencyFactory,
)

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def building():
    return BuildingFactory()


def test_owner_roll_counts_per_spi_article_9(building, django_assert_max_num_queries):
    compound = building.compound
    owner = PersonFactory(home_community=building.community)
    a = ExclusivePartFactory(building=building, area_register=8888)
    b = ExclusivePartFactory(building=building, area_register=None, area_survey=1234)
    OwnershipFactory(part=a, person=owner)
    OwnershipFactory(part=b, person=owner)  # one buyer of two parts: one owner
    co = ExclusivePartFactory(
        building=building, area_register=None, area_contract=10000
    )
    first, second = PersonFactory.create_batch(2, home_community=building.community)
    OwnershipFactory(part=co, person=first, nominated_voter=True)
    OwnershipFactory(part=co, person=second)
    developer = DeveloperFactory()
    for _ in range(3):
        OwnershipFactory(
            part=ExclusivePartFactory(building=building, area_register=7000),
            person=None,
            developer=developer,
            basis=Ownership.Basis.DEVELOPER_HELD,
        )
    parking = ExclusivePartFactory(
        building=building, kind=ExclusivePart.Kind.PARKING, area_register=1250
    )
    OwnershipFactory(part=parking, person=PersonFactory())
    sold = ExclusivePartFactory(building=building)
    OwnershipFactory(part=sold, person=PersonFactory(), end_date=dt.date(2025, 1, 1))
    OwnershipFactory(part=sold, person=PersonFactory(), start_date=dt.date(2025, 1, 2))

    scope = RollScope(ScopeKind.COMPOUND, compound.pk)
    with django_assert_max_num_queries(2):
        roll = roll_snapshot(
            scope=scope,
            basis=RollBasis.OWNERS,
            as_of=AS_OF,
            options=OwnerCountingOptions(count_parking_only_owners=False),
        )
    # owner (a+b), co-owners, developer, the later buyer of `sold`
    assert roll.head_count == 4
    assert roll.total_area == 8888 + 1234 + 10000 + 3 * 7000 + 9000
    assert roll.member(f"p:{owner.pk}").area == 8888 + 1234
    co_key = f"co:{min(first.pk, second.pk)},{max(first.pk, second.pk)}"
    assert roll.member(co_key).voter_person_id == first.pk
    assert roll.member(f"dev:{developer.pk}").heads == 1

    # By default the owner of the parking space alone is one head (SPI Art. 9),
    # with no area; its area counts only when the assembly's rules say so.
    default = roll_snapshot(scope=scope, basis=RollBasis.OWNERS, as_of=AS_OF)
    assert (default.head_count, default.total_area) == (5, roll.total_area)
    with_parking = roll_snapshot(
        scope=scope,
        basis=RollBasis.OWNERS,
        as_of=AS_OF,
        options=OwnerCountingOptions(count_parking_area=True),
    )
    assert with_parking.head_count == 5
    assert with_parking.total_area == roll.total_area + 1250


def test_resident_rolls_by_age_and_household():
    household = HouseholdFactory()
    community = household.community
    adult = ResidencyFactory(
        household=household,
        person=PersonFactory(
            home_community=community, birth_date=dt.date(2008, 11, 27)
        ),
        is_representative=True,
    )
    ResidencyFactory(
        household=household,
        person=PersonFactory(
            home_community=community, birth_date=dt.date(2008, 11, 28)
        ),
    )
    ResidencyFactory(
        household=household,
        person=PersonFactory(home_community=community, birth_date=dt.date(1950, 1, 1)),
        end_date=dt.date(2026, 1, 1),  # moved away
        kind=Residency.Kind.HABITUAL,
    )
    scope = RollScope(ScopeKind.COMMUNITY, community.pk)
    adults = roll_snapshot(scope=scope, basis=RollBasis.RESIDENTS_ADULT, as_of=AS_OF)
    assert [m.person_ids for m in adults.members] == [(adult.person_id,)]
    reps = roll_snapshot(
        scope=scope, basis=RollBasis.HOUSEHOLD_REPRESENTATIVES, as_of=AS_OF
    )
    assert reps.head_count == 1
    assert reps.members[0].voter_person_id == adult.person_id


def test_party_member_roll_counts_active_terms_only():
    membership = MembershipFactory(
        body__kind=Body.Kind.PARTY_ORGANISATION, role="party_member"
    )
    community = membership.body.community
    MembershipFactory(
        body=membership.body, role="party_member", term_end=dt.date(2026, 11, 26)
    )
    MembershipFactory(body__community=community, body__kind=Body.Kind.COUNCIL)
    roll = roll_snapshot(
        scope=RollScope(ScopeKind.COMMUNITY, community.pk),
        basis=RollBasis.PARTY_MEMBERS,
        as_of=AS_OF,
    )
    assert [m.voter_person_id for m in roll.members] == [membership.person_id]


def test_owner_roll_of_a_residents_group_is_refused():
    with pytest.raises(RollScopeError):
        roll_snapshot(
            scope=RollScope(ScopeKind.RESIDENTS_GROUP, 1),
            basis=RollBasis.OWNERS,
            as_of=AS_OF,
        )
