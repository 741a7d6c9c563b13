"""Residents' meeting rolls: adults, household and group representatives."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neighbourhoods.rolls.domain import (
    ResidentFact,
    RollBasis,
    RollMember,
    build_resident_roll,
)
from tests.neighbourhoods.rolls.domain.builders import (
    AS_OF,
    codes,
    dates,
    keys,
    reference_age,
)

ADULT = date(1980, 1, 1)

# --- resident rolls -------------------------------------------------------------


class TestResidentsAdult:
    def test_counts_adults_only_with_boundary(self):
        residents = [
            ResidentFact(1, date(2008, 6, 15), 1),  # 18 today
            ResidentFact(2, date(2008, 6, 16), 1),  # 18 tomorrow
            ResidentFact(3, date(1970, 1, 1), 2),
        ]
        snap = build_resident_roll(RollBasis.RESIDENTS_ADULT, residents, AS_OF)
        assert keys(snap) == ["p:1", "p:3"]
        assert snap.head_count == 2
        assert snap.total_area == 0
        assert snap.problems == ()
        assert snap.member("p:1") == RollMember("p:1", (1,), 1, 1, 0, ())

    def test_missing_birth_date_not_counted_and_flagged(self):
        snap = build_resident_roll(
            RollBasis.RESIDENTS_ADULT, [ResidentFact(4, None, 1)], AS_OF
        )
        assert snap.head_count == 0
        assert codes(snap) == [("birth_date_missing", "person:4")]

    def test_birth_date_on_another_residency_is_used(self):
        residents = [ResidentFact(4, None, 1), ResidentFact(4, date(1980, 1, 1), 2)]
        snap = build_resident_roll(RollBasis.RESIDENTS_ADULT, residents, AS_OF)
        assert keys(snap) == ["p:4"]
        assert snap.problems == ()

    def test_inactive_residency_ignored(self):
        residents = [
            ResidentFact(5, date(1980, 1, 1), 1, active=False),
            ResidentFact(6, None, 1, active=False),  # no problem for a past resident
        ]
        snap = build_resident_roll(RollBasis.RESIDENTS_ADULT, residents, AS_OF)
        assert snap.members == ()
        assert snap.problems == ()

    def test_person_with_several_residencies_counted_once(self):
        residents = [
            ResidentFact(7, date(1980, 1, 1), 1),
            ResidentFact(7, date(1980, 1, 1), 2, residence_kind="habitual"),
        ]
        snap = build_resident_roll(RollBasis.RESIDENTS_ADULT, residents, AS_OF)
        assert snap.head_count == 1

    def test_conflicting_birth_dates_use_the_latest_and_are_flagged(self):
        residents = [
            ResidentFact(8, date(1980, 1, 1), 1),
            ResidentFact(8, date(2010, 1, 1), 2),
        ]
        snap = build_resident_roll(RollBasis.RESIDENTS_ADULT, residents, AS_OF)
        assert snap.head_count == 0
        assert codes(snap) == [("birth_date_conflict", "person:8")]
        later = build_resident_roll(
            RollBasis.RESIDENTS_ADULT, residents, date(2028, 1, 1)
        )
        assert later.head_count == 1

    def test_residence_kind_filter(self):
        residents = [
            ResidentFact(1, date(1980, 1, 1), 1),
            ResidentFact(2, date(1980, 1, 1), 2, residence_kind="habitual"),
        ]
        snap = build_resident_roll(
            RollBasis.RESIDENTS_ADULT,
            residents,
            AS_OF,
            residence_kinds={"registered"},
        )
        assert keys(snap) == ["p:1"]

    def test_unknown_residence_kind_rejected(self):
        with pytest.raises(ValueError, match="residence_kind"):
            build_resident_roll(
                RollBasis.RESIDENTS_ADULT,
                [ResidentFact(1, date(1980, 1, 1), 1, residence_kind="tenant")],
                AS_OF,
            )
        with pytest.raises(ValueError, match="residence kinds"):
            build_resident_roll(
                RollBasis.RESIDENTS_ADULT, [], AS_OF, residence_kinds={"tenant"}
            )

    @pytest.mark.parametrize(
        "basis", [RollBasis.OWNERS, RollBasis.BODY_MEMBERS, RollBasis.PARTY_MEMBERS]
    )
    def test_wrong_basis_rejected(self, basis):
        with pytest.raises(ValueError, match="cannot build"):
            build_resident_roll(basis, [], AS_OF)


class TestHouseholdRepresentatives:
    def test_one_member_per_household_voted_by_its_representative(self):
        residents = [
            ResidentFact(1, date(1980, 1, 1), 10, is_household_representative=True),
            ResidentFact(2, date(1982, 1, 1), 10),
            ResidentFact(3, date(2015, 1, 1), 10),
            ResidentFact(4, date(1990, 5, 5), 11, is_household_representative=True),
        ]
        snap = build_resident_roll(
            RollBasis.HOUSEHOLD_REPRESENTATIVES, residents, AS_OF
        )
        assert keys(snap) == ["hh:10", "hh:11"]
        assert snap.member("hh:10") == RollMember("hh:10", (1,), 1, 1, 0, ())
        assert snap.head_count == 2
        # The other members' ages do not matter; the representatives are adults.
        assert snap.problems == ()

    def test_household_without_representative_stays_in_denominator(self):
        residents = [ResidentFact(2, date(1982, 1, 1), 10)]
        snap = build_resident_roll(
            RollBasis.HOUSEHOLD_REPRESENTATIVES, residents, AS_OF
        )
        assert snap.head_count == 1
        assert snap.member("hh:10") == RollMember("hh:10", (), None, 1, 0, ())
        assert codes(snap) == [("no_household_representative", "household:10")]

    def test_several_representatives_count_once_with_lowest_id(self):
        residents = [
            ResidentFact(9, ADULT, 10, is_household_representative=True),
            ResidentFact(5, ADULT, 10, is_household_representative=True),
        ]
        snap = build_resident_roll(
            RollBasis.HOUSEHOLD_REPRESENTATIVES, residents, AS_OF
        )
        assert snap.head_count == 1
        assert snap.member("hh:10").voter_person_id == 5
        assert snap.member("hh:10").person_ids == (5,)
        assert codes(snap) == [("several_household_representatives", "household:10")]

    def test_inactive_representative_does_not_represent(self):
        residents = [
            ResidentFact(1, None, 10, is_household_representative=True, active=False),
            ResidentFact(2, None, 10),
        ]
        snap = build_resident_roll(
            RollBasis.HOUSEHOLD_REPRESENTATIVES, residents, AS_OF
        )
        assert snap.member("hh:10").voter_person_id is None

    def test_representative_without_household_flagged(self):
        residents = [ResidentFact(1, None, None, is_household_representative=True)]
        snap = build_resident_roll(
            RollBasis.HOUSEHOLD_REPRESENTATIVES, residents, AS_OF
        )
        assert snap.members == ()
        assert codes(snap) == [("representative_without_household", "person:1")]

    def test_one_person_representing_two_households_flagged(self):
        residents = [
            ResidentFact(1, ADULT, 10, is_household_representative=True),
            ResidentFact(1, ADULT, 11, is_household_representative=True),
        ]
        snap = build_resident_roll(
            RollBasis.HOUSEHOLD_REPRESENTATIVES, residents, AS_OF
        )
        assert snap.head_count == 2
        assert codes(snap) == [("representative_of_several_households", "person:1")]
        assert len(snap.members_for_voter(1)) == 2


class TestGroupRepresentatives:
    def test_each_flagged_active_person_once(self):
        residents = [
            ResidentFact(1, None, 10, is_group_representative=True),
            ResidentFact(1, None, 11, is_group_representative=True),
            ResidentFact(2, None, 10),
            ResidentFact(3, None, 12, is_group_representative=True, active=False),
            ResidentFact(4, None, None, is_group_representative=True),
        ]
        snap = build_resident_roll(RollBasis.GROUP_REPRESENTATIVES, residents, AS_OF)
        assert keys(snap) == ["p:1", "p:4"]
        assert snap.problems == ()


@st.composite
def resident_scenarios(draw):
    """Persons with one birth date each (or none), spread over residencies."""
    facts: list[ResidentFact] = []
    for pid in draw(st.sets(st.integers(1, 30), max_size=12)):
        birth = draw(st.none() | dates)
        for _ in range(draw(st.integers(1, 3))):
            facts.append(
                ResidentFact(
                    pid,
                    birth,
                    draw(st.none() | st.integers(1, 5)),
                    is_household_representative=draw(st.booleans()),
                    is_group_representative=draw(st.booleans()),
                    residence_kind=draw(st.sampled_from(["registered", "habitual"])),
                    active=draw(st.booleans()),
                )
            )
    return facts


@given(facts=resident_scenarios(), on=dates)
def test_adult_roll_matches_reference(facts, on):
    snap = build_resident_roll(RollBasis.RESIDENTS_ADULT, facts, on)
    expected = {
        f.person_id
        for f in facts
        if f.active
        and f.birth_date is not None
        and reference_age(f.birth_date, on) >= 18
    }
    assert {m.person_ids[0] for m in snap.members} == expected
    assert snap.head_count == len(expected)


@given(facts=resident_scenarios())
def test_household_roll_has_one_member_per_active_household(facts):
    snap = build_resident_roll(RollBasis.HOUSEHOLD_REPRESENTATIVES, facts, AS_OF)
    households = {f.household_id for f in facts if f.active and f.household_id}
    assert keys(snap) == sorted(f"hh:{h}" for h in households)
    for h in households:
        # Only a representative aged 18 or over on the roll's date votes.
        reps = {
            f.person_id
            for f in facts
            if f.active
            and f.household_id == h
            and f.is_household_representative
            and f.birth_date is not None
            and reference_age(f.birth_date, AS_OF) >= 18
        }
        assert snap.member(f"hh:{h}").voter_person_id == (min(reps) if reps else None)


@given(facts=resident_scenarios(), data=st.data())
@settings(max_examples=50)
def test_resident_rolls_are_deterministic_under_shuffling(facts, data):
    shuffled = data.draw(st.permutations(facts))
    for basis in (
        RollBasis.RESIDENTS_ADULT,
        RollBasis.HOUSEHOLD_REPRESENTATIVES,
        RollBasis.GROUP_REPRESENTATIVES,
    ):
        assert build_resident_roll(basis, facts, AS_OF) == build_resident_roll(
            basis, shuffled, AS_OF
        )
