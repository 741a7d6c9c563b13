"""Parking on an owners' roll: area and heads are two questions (issue 9, item 3).

指导规则 Art. 25 leaves parking AREA to the assembly's rules; SPI Art. 9 counts one
head per exclusive part, so an owner of parking spaces alone is a head by default
(needs legal review); on a matter that concerns parking both always count.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from neighbourhoods.rolls.domain import (
    OwnerCountingOptions,
    PartFact,
    build_owner_roll,
)
from tests.neighbourhoods.rolls.domain.builders import (
    AS_OF,
    codes,
    developer,
    dwelling,
    keys,
    owner,
)

AREA_ONLY = OwnerCountingOptions(
    count_parking_area=True, count_parking_only_owners=False
)
NEITHER = OwnerCountingOptions(
    count_parking_area=False, count_parking_only_owners=False
)


def parking(part_id: int, area: int | None = 1_250) -> PartFact:
    return PartFact(part_id, "parking", area)


PARTS = [dwelling(1, 9_000), parking(2), parking(3, 1_400)]
# Person 7: a flat and a space; person 8: a space only; 9: nothing counted yet.
FACTS = [owner(1, 7), owner(2, 7), owner(3, 8)]


def test_by_default_a_parking_only_owner_is_a_head_without_area():
    snap = build_owner_roll(PARTS, FACTS, AS_OF)
    assert keys(snap) == ["p:7", "p:8"]
    assert (snap.member("p:8").heads, snap.member("p:8").area) == (1, 0)
    # The flat owner's space is listed with the flat but adds no area.
    assert snap.member("p:7").part_ids == (1, 2)
    assert (snap.head_count, snap.total_area) == (2, 9_000)


def test_area_counts_without_changing_heads():
    options = OwnerCountingOptions(count_parking_area=True)
    snap = build_owner_roll(PARTS, FACTS, AS_OF, options)
    assert (snap.head_count, snap.total_area) == (2, 9_000 + 1_250 + 1_400)


def test_parking_only_owners_left_out_with_area_off_leave_the_roll():
    snap = build_owner_roll(PARTS, FACTS, AS_OF, NEITHER)
    assert keys(snap) == ["p:7"]
    assert (snap.head_count, snap.total_area) == (1, 9_000)


def test_parking_only_owners_left_out_with_area_on_keep_their_area_only():
    snap = build_owner_roll(PARTS, FACTS, AS_OF, AREA_ONLY)
    assert (snap.member("p:8").heads, snap.member("p:8").area) == (0, 1_400)
    assert (snap.head_count, snap.total_area) == (1, 9_000 + 1_250 + 1_400)


def test_a_matter_that_concerns_parking_counts_both_whatever_the_settings():
    options = OwnerCountingOptions(
        count_parking_area=False,
        count_parking_only_owners=False,
        matter_concerns_parking=True,
    )
    snap = build_owner_roll(PARTS, FACTS, AS_OF, options)
    assert (snap.head_count, snap.total_area) == (2, 9_000 + 1_250 + 1_400)


def test_co_owner_of_a_flat_with_a_space_of_their_own_is_one_head():
    # The demo's `owner`: nominated co-owner of a flat, sole owner of a space.
    parts = [dwelling(1, 9_000), parking(2)]
    facts = [owner(1, 7, nominated=True), owner(1, 3), owner(2, 7)]
    snap = build_owner_roll(parts, facts, AS_OF)
    assert keys(snap) == ["co:3,7"]
    assert snap.head_count == 1
    assert codes(snap) == []
    with_area = build_owner_roll(
        parts, facts, AS_OF, OwnerCountingOptions(count_parking_area=True)
    )
    # Its area counts, its head does not (SPI Art. 9: one buyer is one owner).
    assert with_area.member("p:7").heads == 0
    assert (with_area.head_count, with_area.total_area) == (1, 10_250)


def test_developer_holding_only_spaces_follows_the_setting():
    parts = [dwelling(1, 9_000), parking(2)]
    facts = [owner(1, 7), developer(2, 50)]
    assert keys(build_owner_roll(parts, facts, AS_OF)) == ["dev:50", "p:7"]
    assert keys(build_owner_roll(parts, facts, AS_OF, NEITHER)) == ["p:7"]


def test_unowned_space_is_a_problem_only_when_parking_counts_for_something():
    parts = [dwelling(1), parking(2)]
    assert codes(build_owner_roll(parts, [owner(1, 7)], AS_OF)) == [
        ("part_without_owner", "part:2")
    ]
    assert codes(build_owner_roll(parts, [owner(1, 7)], AS_OF, NEITHER)) == []


def test_missing_parking_area_is_a_problem_only_when_area_counts():
    parts = [parking(2, None)]
    assert codes(build_owner_roll(parts, [owner(2, 8)], AS_OF)) == []
    options = OwnerCountingOptions(count_parking_area=True)
    assert codes(build_owner_roll(parts, [owner(2, 8)], AS_OF, options)) == [
        ("area_missing", "part:2")
    ]


@given(
    dwellings=st.integers(0, 12),
    parking_only=st.integers(0, 12),
    area=st.booleans(),
    heads=st.booleans(),
    concerns=st.booleans(),
)
def test_parking_only_owners_move_only_the_heads_they_are_given(
    dwellings, parking_only, area, heads, concerns
):
    parts = [dwelling(i, 8_000) for i in range(1, dwellings + 1)]
    parts += [parking(100 + i) for i in range(parking_only)]
    facts = [owner(i, i) for i in range(1, dwellings + 1)]
    facts += [owner(100 + i, 100 + i) for i in range(parking_only)]
    options = OwnerCountingOptions(
        count_parking_area=area,
        count_parking_only_owners=heads,
        matter_concerns_parking=concerns,
    )
    snap = build_owner_roll(parts, facts, AS_OF, options)
    counted = parking_only if heads or concerns else 0
    assert snap.head_count == dwellings + counted
    assert snap.total_area == 8_000 * dwellings + (
        1_250 * parking_only if area or concerns else 0
    )
