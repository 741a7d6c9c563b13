"""Issue 9 item 7 (part): the residents' representatives' meeting (unverified, rural
analogue) and the village bodies of 《村民委员会组织法》 Arts. 22 and 26, at their
boundaries ("以上" is ≥, "过半数" is >), versioned at 2026-01-01."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consultation.ballots.domain.rules import (
    RESIDENTS_REPRESENTATIVES_MEETING,
    VILLAGERS_MEETING_2010,
    VILLAGERS_MEETING_2026,
    VILLAGERS_REPRESENTATIVES_2010,
    VILLAGERS_REPRESENTATIVES_2026,
    StatusTag,
    decide,
    evaluate,
    rule_for,
)

sizes = st.integers(min_value=1, max_value=5000)


@pytest.mark.parametrize(
    "rule",
    [
        RESIDENTS_REPRESENTATIVES_MEETING,
        VILLAGERS_REPRESENTATIVES_2010,
        VILLAGERS_REPRESENTATIVES_2026,
    ],
)
@given(members=sizes, data=st.data())
@example(members=3, data=None)
def test_representatives_two_thirds_present_more_than_half_agree(
    rule, members: int, data
) -> None:
    if data is None:
        present, yes = 2, 2  # exactly 2/3 present (以上 includes it), 2 of 2 agree
    else:
        present = data.draw(st.integers(min_value=0, max_value=members))
        yes = data.draw(st.integers(min_value=0, max_value=present))
    result = evaluate(rule, {"members": members, "present": present, "yes": yes})
    assert result.quorum_met == (3 * present >= 2 * members)
    assert result.passed == (3 * present >= 2 * members and 2 * yes > present)


def test_representatives_boundaries_exactly() -> None:
    rule = VILLAGERS_REPRESENTATIVES_2010
    assert evaluate(rule, {"members": 30, "present": 20, "yes": 11}).passed
    assert not evaluate(rule, {"members": 30, "present": 19, "yes": 19}).quorum_met
    # Half of those present is not more than half.
    assert not evaluate(rule, {"members": 30, "present": 20, "yes": 10}).passed


@given(
    villagers=sizes,
    households=sizes,
    data=st.data(),
)
def test_villagers_meeting_either_quorum(villagers: int, households: int, data) -> None:
    villagers_present = data.draw(st.integers(min_value=0, max_value=villagers))
    households_present = data.draw(st.integers(min_value=0, max_value=households))
    present = data.draw(st.integers(min_value=0, max_value=10_000))
    yes = data.draw(st.integers(min_value=0, max_value=present))
    values = {
        "villagers": villagers,
        "villagers_present": villagers_present,
        "households": households,
        "households_present": households_present,
        "present": present,
        "yes": yes,
    }
    result = evaluate(VILLAGERS_MEETING_2010, values)
    quorum = 2 * villagers_present > villagers or 3 * households_present >= (
        2 * households
    )
    assert result.quorum_met == quorum
    assert result.passed == (quorum and 2 * yes > present)


def test_villagers_meeting_examples() -> None:
    base = {"villagers": 100, "households": 30, "present": 51, "yes": 26}
    half = base | {"villagers_present": 50, "households_present": 0}
    assert not evaluate(VILLAGERS_MEETING_2010, half).quorum_met
    reps = base | {"villagers_present": 0, "households_present": 20}
    assert evaluate(VILLAGERS_MEETING_2010, reps).passed  # 20/30 = 2/3 of households


def test_versions_and_tags_by_date() -> None:
    values = {"members": 9, "present": 6, "yes": 4}
    assert decide("villagers-representatives-meeting", date(2025, 12, 31), values).rule
    assert rule_for("villagers-meeting", date(2025, 12, 31)) is VILLAGERS_MEETING_2010
    assert rule_for("villagers-meeting", date(2026, 1, 1)) is VILLAGERS_MEETING_2026
    assert VILLAGERS_MEETING_2010.status_tag is StatusTag.NAT_LAW
    assert VILLAGERS_MEETING_2010.article == "第二十二条"
    assert VILLAGERS_REPRESENTATIVES_2010.article == "第二十六条"
    assert VILLAGERS_MEETING_2026.needs_legal_review
    assert VILLAGERS_REPRESENTATIVES_2026.status_tag is StatusTag.UNVERIFIED
    assert RESIDENTS_REPRESENTATIVES_MEETING.needs_legal_review
    assert RESIDENTS_REPRESENTATIVES_MEETING.status_tag is StatusTag.UNVERIFIED
    assert rule_for("residents-representatives-meeting", date(2024, 5, 1)) is (
        RESIDENTS_REPRESENTATIVES_MEETING
    )
