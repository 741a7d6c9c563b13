"""Who votes (issue 9 item 6): probationary party members (预备党员) are members
without a vote; a household representative votes only when aged 18 or over on the
roll's date (the 18th birthday itself counts, 民法典 Art. 1259 "以上")."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from neighbourhoods.rolls.domain import (
    NON_VOTING_ROLES,
    MemberFact,
    ResidentFact,
    RollBasis,
    anniversary,
    build_member_roll,
    build_resident_roll,
)
from tests.neighbourhoods.rolls.domain.builders import AS_OF, codes, dates, keys

HOUSEHOLDS = RollBasis.HOUSEHOLD_REPRESENTATIVES


def rep(pid: int, birth: date | None, household: int = 10) -> ResidentFact:
    return ResidentFact(pid, birth, household, is_household_representative=True)


class TestProbationaryMembers:
    def test_left_out_of_the_party_roll_and_its_denominator(self):
        facts = [
            MemberFact(1, 5, "secretary"),
            MemberFact(2, 5, "party_member"),
            MemberFact(3, 5, "probationary_member"),
        ]
        snap = build_member_roll(RollBasis.PARTY_MEMBERS, facts, AS_OF)
        assert keys(snap) == ["p:1", "p:2"]
        assert snap.head_count == 2
        assert snap.problems == ()

    def test_no_vote_in_any_member_roll(self):
        facts = [MemberFact(3, 5, "probationary_member")]
        assert build_member_roll(RollBasis.BODY_MEMBERS, facts, AS_OF).members == ()

    def test_a_full_member_still_seated_as_probationary_counts_and_is_flagged(self):
        # 转正 recorded as a new seat while the probationary one was not ended.
        facts = [
            MemberFact(3, 5, "probationary_member", term_start=date(2025, 1, 1)),
            MemberFact(3, 5, "party_member", term_start=date(2026, 1, 1)),
        ]
        snap = build_member_roll(RollBasis.PARTY_MEMBERS, facts, AS_OF)
        assert keys(snap) == ["p:3"]
        assert codes(snap) == [("probationary_and_full_member", "person:3")]

    def test_after_the_probationary_term_ends_the_full_seat_alone_counts(self):
        facts = [
            MemberFact(
                3, 5, "probationary_member", date(2025, 1, 1), date(2025, 12, 31)
            ),
            MemberFact(3, 5, "party_member", term_start=date(2026, 1, 1)),
        ]
        snap = build_member_roll(RollBasis.PARTY_MEMBERS, facts, AS_OF)
        assert keys(snap) == ["p:3"]
        assert snap.problems == ()

    @settings(deadline=None)  # pure and fast: a loaded machine must not fail it
    @given(
        seats=st.lists(
            st.tuples(
                st.integers(1, 8),
                st.sampled_from(["party_member", "probationary_member", "secretary"]),
            ),
            max_size=20,
        )
    )
    def test_the_roll_is_everyone_with_a_voting_seat(self, seats):
        facts = [MemberFact(pid, 1, role) for pid, role in seats]
        snap = build_member_roll(RollBasis.PARTY_MEMBERS, facts, AS_OF)
        voting = {pid for pid, role in seats if role not in NON_VOTING_ROLES}
        assert {m.person_ids[0] for m in snap.members} == voting
        assert snap.head_count == len(voting)


class TestHouseholdRepresentativeAge:
    def test_a_representative_under_18_is_a_problem_never_a_voter(self):
        minor = anniversary(AS_OF, -18) + timedelta(days=1)  # 18 tomorrow
        snap = build_resident_roll(HOUSEHOLDS, [rep(1, minor)], AS_OF)
        member = snap.member("hh:10")
        assert member.voter_person_id is None
        assert snap.head_count == 1  # the household stays in the denominator
        assert codes(snap) == [("representative_under_18", "person:1")]

    def test_on_the_18th_birthday_the_representative_votes(self):
        birthday = anniversary(AS_OF, -18)  # 18 today
        snap = build_resident_roll(HOUSEHOLDS, [rep(1, birthday)], AS_OF)
        assert snap.member("hh:10").voter_person_id == 1
        assert snap.problems == ()

    def test_a_leapling_turns_18_on_28_february_of_a_common_year(self):
        born = date(2008, 2, 29)
        before = build_resident_roll(HOUSEHOLDS, [rep(1, born)], date(2026, 2, 27))
        on = build_resident_roll(HOUSEHOLDS, [rep(1, born)], date(2026, 2, 28))
        assert before.member("hh:10").voter_person_id is None
        assert on.member("hh:10").voter_person_id == 1

    def test_a_representative_of_unknown_age_does_not_vote(self):
        snap = build_resident_roll(HOUSEHOLDS, [rep(1, None)], AS_OF)
        assert snap.member("hh:10").voter_person_id is None
        assert codes(snap) == [("representative_birth_date_missing", "person:1")]

    def test_an_adult_co_representative_votes_instead_of_the_minor(self):
        facts = [rep(1, date(2012, 1, 1)), rep(2, date(1980, 1, 1))]
        snap = build_resident_roll(HOUSEHOLDS, facts, AS_OF)
        assert snap.member("hh:10").voter_person_id == 2
        assert codes(snap) == [("representative_under_18", "person:1")]

    @settings(deadline=None)  # pure and fast: a loaded machine must not fail it
    @given(born=dates, on=dates)
    def test_the_representative_votes_from_the_18th_birthday_on(self, born, on):
        snap = build_resident_roll(HOUSEHOLDS, [rep(1, born)], on)
        turns_18 = anniversary(born, 18)
        adult = turns_18 is not None and on >= turns_18
        assert (snap.member("hh:10").voter_person_id == 1) is adult
        assert (codes(snap) == [("representative_under_18", "person:1")]) is (not adult)
