"""Parts without a recorded area block opening an area-weighted ballot until staff
enter the area or confirm it counts as zero (issue 9 item 6)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consultation.ballots.domain.areas import (
    missing_area_parts,
    parts_blocking_opening,
)

ids = st.sets(st.integers(1, 50), max_size=15)


def test_only_area_missing_problems_of_parts_are_read():
    problems = [
        ("area_missing", "part:7"),
        ("area_missing", "part:3"),
        ("part_without_owner", "part:9"),
        ("area_missing", "person:4"),
        ("area_missing", "part:x"),
        ("area_missing", "part:3"),
    ]
    assert missing_area_parts(problems) == (3, 7)


@settings(deadline=None)  # pure and fast: a loaded machine must not fail it
@given(missing=ids, confirmed=ids)
def test_a_part_blocks_until_confirmed(missing, confirmed):
    blocking = parts_blocking_opening(missing, confirmed, weighted_by_area=True)
    assert set(blocking) == missing - confirmed
    assert list(blocking) == sorted(blocking)


@settings(deadline=None)  # pure and fast: a loaded machine must not fail it
@given(missing=ids, confirmed=ids)
def test_a_ballot_counted_by_heads_is_never_blocked(missing, confirmed):
    assert parts_blocking_opening(missing, confirmed, weighted_by_area=False) == ()
