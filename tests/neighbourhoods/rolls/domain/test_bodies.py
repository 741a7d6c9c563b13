"""Rolls of a body: members whose term covers the date; then a property."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighbourhoods.rolls.domain import (
    MemberFact,
    RollBasis,
    RollMember,
    build_member_roll,
)
from tests.neighbourhoods.rolls.domain.builders import (
    AS_OF,
    keys,
)

# --- member rolls ---------------------------------------------------------------


class TestMemberRoll:
    def test_term_end_day_is_inclusive(self):
        fact = MemberFact(1, 100, "member", date(2021, 6, 15), date(2026, 6, 15))
        on_end = build_member_roll(RollBasis.BODY_MEMBERS, [fact], date(2026, 6, 15))
        after = build_member_roll(RollBasis.BODY_MEMBERS, [fact], date(2026, 6, 16))
        assert keys(on_end) == ["p:1"]
        assert after.head_count == 0

    def test_term_start_day_is_inclusive(self):
        fact = MemberFact(1, 100, "member", date(2026, 6, 15), None)
        assert build_member_roll(RollBasis.BODY_MEMBERS, [fact], AS_OF).head_count == 1
        before = build_member_roll(RollBasis.BODY_MEMBERS, [fact], date(2026, 6, 14))
        assert before.head_count == 0

    def test_open_terms(self):
        fact = MemberFact(1, 100, "member")
        snap = build_member_roll(RollBasis.PARTY_MEMBERS, [fact], AS_OF)
        assert snap.member("p:1") == RollMember("p:1", (1,), 1, 1, 0, ())

    def test_person_in_several_bodies_counts_once(self):
        facts = [
            MemberFact(1, 100, "secretary"),
            MemberFact(1, 101, "member"),
            MemberFact(2, 101, "member"),
        ]
        snap = build_member_roll(RollBasis.PARTY_MEMBERS, facts, AS_OF)
        assert keys(snap) == ["p:1", "p:2"]

    def test_body_filter(self):
        facts = [MemberFact(1, 100, "chair"), MemberFact(2, 101, "member")]
        snap = build_member_roll(RollBasis.BODY_MEMBERS, facts, AS_OF, body_ids=[101])
        assert keys(snap) == ["p:2"]
        empty = build_member_roll(RollBasis.BODY_MEMBERS, facts, AS_OF, body_ids=[])
        assert empty.head_count == 0

    def test_inverted_term_rejected(self):
        fact = MemberFact(1, 100, "member", date(2026, 1, 2), date(2026, 1, 1))
        with pytest.raises(ValueError, match="term_end"):
            build_member_roll(RollBasis.BODY_MEMBERS, [fact], AS_OF)

    def test_wrong_basis_rejected(self):
        with pytest.raises(ValueError, match="cannot build"):
            build_member_roll(RollBasis.RESIDENTS_ADULT, [], AS_OF)


member_facts = st.lists(
    st.builds(
        MemberFact,
        person_id=st.integers(1, 10),
        body_id=st.integers(1, 4),
        role=st.sampled_from(["chair", "member"]),
        term_start=st.none() | st.dates(date(2020, 1, 1), date(2026, 12, 31)),
        term_end=st.none() | st.dates(date(2027, 1, 1), date(2032, 12, 31)),
    ),
    max_size=15,
)


@given(
    facts=member_facts,
    on=st.dates(date(2019, 1, 1), date(2033, 12, 31)),
    body_ids=st.none() | st.sets(st.integers(1, 4)),
    data=st.data(),
)
def test_member_roll_matches_reference(facts, on, body_ids, data):
    snap = build_member_roll(RollBasis.BODY_MEMBERS, facts, on, body_ids)
    expected = {
        f.person_id
        for f in facts
        if (body_ids is None or f.body_id in body_ids)
        and (f.term_start or date.min) <= on <= (f.term_end or date.max)
    }
    assert keys(snap) == sorted(f"p:{p}" for p in expected)
    shuffled = data.draw(st.permutations(facts))
    assert snap == build_member_roll(RollBasis.BODY_MEMBERS, shuffled, on, body_ids)
