"""Owners per SPI Arts. 8–9: counted area, identities, problems; then properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighbourhoods.rolls.domain import (
    PART_KINDS,
    OwnerCountingOptions,
    OwnershipFact,
    PartFact,
    RollBasis,
    RollMember,
    build_owner_roll,
    counted_area,
)
from tests.neighbourhoods.rolls.domain.builders import (
    AS_OF,
    codes,
    developer,
    dwelling,
    keys,
    owner,
)

# --- counted_area ---------------------------------------------------------------


class TestCountedArea:
    def test_register_wins(self):
        part = PartFact(1, "dwelling", 9_000, 9_100, 9_200)
        assert counted_area(part) == (9_000, "register")

    def test_survey_when_unregistered(self):
        part = PartFact(1, "dwelling", None, 9_100, 9_200)
        assert counted_area(part) == (9_100, "survey")

    def test_contract_when_unsurveyed(self):
        assert counted_area(PartFact(1, "dwelling", None, None, 9_200)) == (
            9_200,
            "contract",
        )

    def test_no_area(self):
        assert counted_area(PartFact(1, "dwelling")) == (None, None)

    def test_zero_register_area_is_a_value_not_a_gap(self):
        # A falsy 0 must not fall through to the survey area.
        assert counted_area(PartFact(1, "dwelling", 0, 9_100)) == (0, "register")

    def test_negative_area_rejected_even_if_unused(self):
        with pytest.raises(ValueError, match="negative"):
            counted_area(PartFact(1, "dwelling", 9_000, None, -1))

    def test_float_area_rejected(self):
        with pytest.raises(TypeError):
            counted_area(PartFact(1, "dwelling", 90.5))  # type: ignore[arg-type]


# --- owner rolls ----------------------------------------------------------------


class TestOwnerRoll:
    def test_one_part_one_owner(self):
        snap = build_owner_roll([dwelling(1, 8_950)], [owner(1, 7)], AS_OF)
        assert snap.basis is RollBasis.OWNERS
        assert snap.members == (RollMember("p:7", (7,), 7, 1, 8_950, (1,)),)
        assert (snap.head_count, snap.total_area) == (1, 8_950)

    def test_sole_owner_of_several_parts_is_one_owner_with_summed_area(self):
        parts = [dwelling(1, 8_000), dwelling(2, 9_000), dwelling(3, 500)]
        snap = build_owner_roll(parts, [owner(1, 7), owner(2, 7), owner(3, 8)], AS_OF)
        assert snap.head_count == 2
        assert snap.member("p:7") == RollMember("p:7", (7,), 7, 1, 17_000, (1, 2))
        assert snap.total_area == 17_500

    def test_co_owners_are_one_owner_voting_by_nominee(self):
        snap = build_owner_roll(
            [dwelling(1, 9_000)],
            [owner(1, 7), owner(1, 3, nominated=True)],
            AS_OF,
        )
        assert snap.members == (RollMember("co:3,7", (3, 7), 3, 1, 9_000, (1,)),)
        assert snap.problems == ()

    def test_co_owner_key_sorts_numerically(self):
        snap = build_owner_roll(
            [dwelling(1)], [owner(1, 12, nominated=True), owner(1, 3)], AS_OF
        )
        assert keys(snap) == ["co:3,12"]

    def test_co_owners_without_nominee(self):
        snap = build_owner_roll([dwelling(1)], [owner(1, 7), owner(1, 3)], AS_OF)
        assert snap.head_count == 1
        assert snap.member("co:3,7").voter_person_id is None
        assert codes(snap) == [("co_owner_not_nominated", "co:3,7")]

    def test_co_owners_with_several_nominees(self):
        facts = [owner(1, 7, nominated=True), owner(1, 3, nominated=True)]
        snap = build_owner_roll([dwelling(1)], facts, AS_OF)
        assert snap.member("co:3,7").voter_person_id is None
        assert codes(snap) == [("several_nominated_voters", "co:3,7")]

    def test_same_co_owner_set_on_two_parts_merges(self):
        facts = [
            owner(1, 3, nominated=True),
            owner(1, 7),
            owner(2, 3),
            owner(2, 7),
        ]
        snap = build_owner_roll([dwelling(1, 100), dwelling(2, 200)], facts, AS_OF)
        assert snap.members == (RollMember("co:3,7", (3, 7), 3, 1, 300, (1, 2)),)
        assert snap.problems == ()

    def test_developer_parts_are_one_owner_per_developer(self):
        parts = [dwelling(i, 1_000) for i in range(1, 6)]
        facts = [
            developer(1, 50),
            developer(2, 50),
            developer(3, 50),
            developer(4, 51),
            owner(5, 7),
        ]
        snap = build_owner_roll(parts, facts, AS_OF)
        assert keys(snap) == ["dev:50", "dev:51", "p:7"]
        assert snap.member("dev:50") == RollMember(
            "dev:50", (), None, 1, 3_000, (1, 2, 3)
        )
        assert snap.head_count == 3
        assert snap.total_area == 5_000

    def test_mixed_holding_kept_separate_and_flagged(self):
        parts = [dwelling(1, 100), dwelling(2, 200)]
        facts = [owner(1, 3), owner(2, 3, nominated=True), owner(2, 7)]
        snap = build_owner_roll(parts, facts, AS_OF)
        assert keys(snap) == ["co:3,7", "p:3"]
        assert snap.head_count == 2
        assert codes(snap) == [("mixed_holding", "person:3")]
        assert {m.key for m in snap.members_for_voter(3)} == {"co:3,7", "p:3"}

    def test_two_overlapping_co_owner_sets_flagged(self):
        parts = [dwelling(1), dwelling(2)]
        facts = [
            owner(1, 3, nominated=True),
            owner(1, 7),
            owner(2, 3, nominated=True),
            owner(2, 8),
        ]
        snap = build_owner_roll(parts, facts, AS_OF)
        assert keys(snap) == ["co:3,7", "co:3,8"]
        assert codes(snap) == [("mixed_holding", "person:3")]

    def test_parking_area_excluded_by_default_but_its_owner_counts(self):
        parts = [dwelling(1, 9_000), PartFact(2, "parking", 1_250)]
        facts = [owner(1, 7), owner(2, 8)]
        snap = build_owner_roll(parts, facts, AS_OF)
        assert keys(snap) == ["p:7", "p:8"]
        assert snap.member("p:8").area == 0
        assert snap.total_area == 9_000

    def test_parking_counted_when_the_assembly_rules_say_so(self):
        parts = [dwelling(1, 9_000), PartFact(2, "parking", 1_250)]
        facts = [owner(1, 7), owner(2, 8), owner(2, 7)]
        options = OwnerCountingOptions(count_parking_area=True)
        snap = build_owner_roll(parts, facts, AS_OF, options)
        assert keys(snap) == ["co:7,8", "p:7"]
        assert snap.total_area == 10_250

    def test_parking_problems_ignored_when_parking_counts_for_nothing(self):
        options = OwnerCountingOptions(count_parking_only_owners=False)
        snap = build_owner_roll([PartFact(2, "parking")], [], AS_OF, options)
        assert snap.problems == ()

    def test_commercial_part_counts(self):
        parts = [PartFact(1, "commercial", None, 20_000, 21_000)]
        snap = build_owner_roll(parts, [owner(1, 9)], AS_OF)
        assert (snap.head_count, snap.total_area) == (1, 20_000)

    def test_area_missing_counts_a_head_with_zero_area(self):
        snap = build_owner_roll([dwelling(1, None)], [owner(1, 7)], AS_OF)
        assert snap.member("p:7").area == 0
        assert snap.head_count == 1
        assert codes(snap) == [("area_missing", "part:1")]

    def test_part_without_owner_not_counted(self):
        snap = build_owner_roll([dwelling(1), dwelling(2)], [owner(1, 7)], AS_OF)
        assert snap.head_count == 1
        assert snap.total_area == 10_000
        assert codes(snap) == [("part_without_owner", "part:2")]

    def test_duplicate_facts_are_harmless(self):
        parts = [dwelling(1), dwelling(1)]
        facts = [owner(1, 7), owner(1, 7), developer(2, 1), developer(2, 1)]
        snap = build_owner_roll([*parts, dwelling(2)], facts, AS_OF)
        assert keys(snap) == ["dev:1", "p:7"]
        assert snap.total_area == 20_000

    def test_negative_area_rejected(self):
        with pytest.raises(ValueError, match="negative"):
            build_owner_roll([PartFact(1, "dwelling", None, -5)], [], AS_OF)

    def test_ownership_of_unknown_part_rejected(self):
        with pytest.raises(ValueError, match="unknown part"):
            build_owner_roll([dwelling(1)], [owner(2, 7)], AS_OF)

    def test_ownership_with_person_and_developer_rejected(self):
        with pytest.raises(ValueError, match="exactly one"):
            build_owner_roll([dwelling(1)], [OwnershipFact(1, 7, 50)], AS_OF)

    def test_ownership_with_neither_holder_rejected(self):
        with pytest.raises(ValueError, match="exactly one"):
            build_owner_roll([dwelling(1)], [OwnershipFact(1, None)], AS_OF)

    def test_part_held_by_developer_and_person_rejected(self):
        with pytest.raises(ValueError, match="developer and by persons"):
            build_owner_roll([dwelling(1)], [developer(1, 50), owner(1, 7)], AS_OF)

    def test_part_held_by_two_developers_rejected(self):
        with pytest.raises(ValueError, match="several developers"):
            build_owner_roll([dwelling(1)], [developer(1, 50), developer(1, 51)], AS_OF)

    def test_part_described_twice_differently_rejected(self):
        with pytest.raises(ValueError, match="described twice"):
            build_owner_roll([dwelling(1, 100), dwelling(1, 200)], [], AS_OF)

    def test_unknown_kind_rejected(self):
        with pytest.raises(ValueError, match="kind"):
            build_owner_roll([PartFact(1, "garden")], [], AS_OF)

    def test_member_lookup_misses(self):
        snap = build_owner_roll([dwelling(1)], [owner(1, 7)], AS_OF)
        assert snap.member("p:8") is None
        assert snap.member("") is None
        assert snap.member("z") is None


part_ids_st = st.lists(st.integers(1, 60), min_size=0, max_size=14, unique=True)
areas = st.none() | st.integers(0, 10**7)


@st.composite
def owner_scenarios(draw):
    """Parts with random holdings over a small person pool, so that merges,
    co-ownership, mixed holdings and developers all occur often."""
    parts: list[PartFact] = []
    facts: list[OwnershipFact] = []
    for pid in draw(part_ids_st):
        kind = draw(st.sampled_from(sorted(PART_KINDS)))
        parts.append(PartFact(pid, kind, draw(areas), draw(areas), draw(areas)))
        holder = draw(st.sampled_from(["none", "developer", "persons", "persons"]))
        if holder == "developer":
            facts.append(developer(pid, draw(st.integers(1, 3))))
        elif holder == "persons":
            people = draw(st.sets(st.integers(1, 6), min_size=1, max_size=3))
            nominees = draw(st.sets(st.sampled_from(sorted(people))))
            facts.extend(owner(pid, p, nominated=p in nominees) for p in people)
    return parts, facts


options_st = st.builds(
    OwnerCountingOptions,
    count_parking_area=st.booleans(),
    count_parking_only_owners=st.booleans(),
    matter_concerns_parking=st.booleans(),
)


def area_counted(part: PartFact, options: OwnerCountingOptions) -> bool:
    return part.kind != "parking" or options.parking_area_counts


def reference_heads_of(parts, facts, options) -> dict[object, int]:
    """Each holder identity (with at least one part) and its heads, by a naive scan:
    one head, except parking spaces alone — none when their persons all hold a
    dwelling or shop too, else as the setting says."""
    identities: dict[object, set[int]] = {}
    for part in parts:
        mine = [f for f in facts if f.part_id == part.part_id]
        if not mine:
            continue
        if any(f.developer_id is not None for f in mine):
            identity = ("developer", mine[0].developer_id)
        else:
            identity = frozenset(f.person_id for f in mine)
        identities.setdefault(identity, set()).add(part.part_id)
    kinds = {p.part_id: p.kind for p in parts}

    def parking_only(held):
        return all(kinds[pid] == "parking" for pid in held)

    elsewhere = {
        person
        for identity, held in identities.items()
        if isinstance(identity, frozenset) and not parking_only(held)
        for person in identity
    }
    heads = {}
    for identity, held in identities.items():
        if not parking_only(held):
            heads[identity] = 1
        elif isinstance(identity, frozenset) and identity <= elsewhere:
            heads[identity] = 0
        else:
            heads[identity] = int(options.parking_only_owners_count)
    return heads


def reference_identities(parts, facts, options):
    """The identities on the roll, each with its held parts: those with a head, and
    those without one whose parking area counts."""
    heads = reference_heads_of(parts, facts, options)
    held_by: dict[object, set[int]] = {}
    for part in parts:
        mine = [f for f in facts if f.part_id == part.part_id]
        if not mine:
            continue
        if any(f.developer_id is not None for f in mine):
            identity = ("developer", mine[0].developer_id)
        else:
            identity = frozenset(f.person_id for f in mine)
        held_by.setdefault(identity, set()).add(part.part_id)
    return {
        identity: held
        for identity, held in held_by.items()
        if heads[identity] or options.parking_area_counts
    }


def reference_heads(parts, facts, options) -> int:
    return sum(reference_heads_of(parts, facts, options).values())


def reference_area(part: PartFact) -> int:
    return next(
        (
            a
            for a in (part.area_register, part.area_survey, part.area_contract)
            if a is not None
        ),
        0,
    )


@given(scenario=owner_scenarios(), options=options_st)
def test_head_count_equals_distinct_holder_identities(scenario, options):
    parts, facts = scenario
    snap = build_owner_roll(parts, facts, AS_OF, options)
    assert snap.head_count == reference_heads(parts, facts, options)
    assert len(snap.members) == len(reference_identities(parts, facts, options))


@given(scenario=owner_scenarios(), options=options_st)
def test_total_area_equals_sum_of_counted_parts(scenario, options):
    parts, facts = scenario
    snap = build_owner_roll(parts, facts, AS_OF, options)
    held = {f.part_id for f in facts}
    expected = sum(
        reference_area(p)
        for p in parts
        if area_counted(p, options) and p.part_id in held
    )
    assert snap.total_area == expected


@given(scenario=owner_scenarios(), options=options_st)
def test_members_partition_the_held_parts_of_counted_owners(scenario, options):
    parts, facts = scenario
    snap = build_owner_roll(parts, facts, AS_OF, options)
    by_id = {p.part_id: p for p in parts}
    listed = [pid for m in snap.members for pid in m.part_ids]
    expected = [
        pid
        for held in reference_identities(parts, facts, options).values()
        for pid in held
    ]
    assert sorted(listed) == sorted(expected)
    for m in snap.members:
        parking_only = all(by_id[pid].kind == "parking" for pid in m.part_ids)
        assert m.heads in (0, 1)
        assert m.heads == 1 or (parking_only and options.parking_area_counts)
        assert m.area == sum(
            reference_area(by_id[pid])
            for pid in m.part_ids
            if area_counted(by_id[pid], options)
        )
        assert list(m.part_ids) == sorted(m.part_ids)
        assert list(m.person_ids) == sorted(m.person_ids)
        assert m.voter_person_id is None or m.voter_person_id in m.person_ids


@given(
    scenario=owner_scenarios(),
    person=st.integers(1, 6),
    first_area=st.integers(0, 10**6),
    second_area=st.integers(0, 10**6),
)
def test_second_part_for_existing_sole_owner_keeps_head_count(
    scenario, person, first_area, second_area
):
    parts, facts = scenario
    first, second = 1_001, 1_002  # outside the scenario's id range
    base_parts = [*parts, dwelling(first, first_area)]
    base_facts = [*facts, owner(first, person)]
    before = build_owner_roll(base_parts, base_facts, AS_OF)
    after = build_owner_roll(
        [*base_parts, dwelling(second, second_area)],
        [*base_facts, owner(second, person)],
        AS_OF,
    )
    assert after.head_count == before.head_count
    assert after.total_area == before.total_area + second_area
    assert after.member(f"p:{person}").part_ids[-2:] == (first, second)


@given(scenario=owner_scenarios(), options=options_st)
def test_developer_parts_collapse_to_one_member_per_developer(scenario, options):
    parts, facts = scenario
    snap = build_owner_roll(parts, facts, AS_OF, options)
    parts_of_developer: dict[int, set[int]] = {
        identity[1]: held
        for identity, held in reference_identities(parts, facts, options).items()
        if isinstance(identity, tuple)
    }
    dev_members = [m for m in snap.members if m.key.startswith("dev:")]
    assert len(dev_members) == len(parts_of_developer)
    for dev_id, part_ids in parts_of_developer.items():
        m = snap.member(f"dev:{dev_id}")
        assert m is not None
        assert set(m.part_ids) == part_ids
        assert m.person_ids == ()
        assert m.voter_person_id is None


@given(scenario=owner_scenarios(), data=st.data())
def test_owner_roll_is_deterministic_under_shuffling(scenario, data):
    parts, facts = scenario
    shuffled_parts = data.draw(st.permutations(parts))
    shuffled_facts = data.draw(st.permutations(facts))
    assert build_owner_roll(parts, facts, AS_OF) == build_owner_roll(
        shuffled_parts, shuffled_facts, AS_OF
    )


@given(scenario=owner_scenarios())
def test_every_member_findable_by_key(scenario):
    parts, facts = scenario
    snap = build_owner_roll(parts, facts, AS_OF)
    for m in snap.members:
        assert snap.member(m.key) is m
