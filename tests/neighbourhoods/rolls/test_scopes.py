"""The scope kinds of a roll: one set of choices, shared by rolls and ballots."""

import datetime as dt

import pytest

from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from neighbourhoods.rolls.selectors import roll_snapshot
from tests.neighbourhoods.factories import HouseholdFactory, ResidencyFactory


def test_the_scope_kinds_and_their_labels():
    assert [(kind.value, str(kind.label)) for kind in ScopeKind] == [
        ("community", "社区"),
        ("compound", "小区"),
        ("building", "楼栋"),
        ("residents_group", "居民小组"),
        ("body", "组织"),
    ]


@pytest.mark.django_db
def test_a_scope_kind_stored_as_text_draws_the_same_roll():
    # A ballot keeps its scope kind as text in the database; the roll must not care.
    residency = ResidencyFactory(household=HouseholdFactory(), is_representative=True)
    community_id = residency.household.community_id
    as_of = dt.date(2026, 1, 1)
    rolls = [
        roll_snapshot(
            scope=RollScope(kind, community_id),
            basis=RollBasis.HOUSEHOLD_REPRESENTATIVES,
            as_of=as_of,
        )
        for kind in (ScopeKind.COMMUNITY, "community")
    ]
    assert rolls[0] == rolls[1]
    assert rolls[0].head_count == 1
