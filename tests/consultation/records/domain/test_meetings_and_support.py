"""Meeting quorum and majority through the decision rules; proposal support words;
the categories that must go through the procedure."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.rules import (
    Comparator,
    customise,
    get_rule,
    rule_for,
)
from consultation.records.domain.categories import (
    DEFAULT_REQUIRED,
    Category,
    requires_procedure,
)
from consultation.records.domain.meetings import (
    MEETING_YEARS,
    RULE_FAMILY,
    Counts,
    InvalidCounts,
    MeetingKind,
    judge,
    meeting_time_problem,
    outcome_of,
)
from consultation.records.domain.procedure import Outcome
from consultation.records.domain.support import least_count, progress

DAY = date(2025, 6, 1)


def _rule(kind: MeetingKind):
    return rule_for(RULE_FAMILY[kind], DAY)


def test_committee_meeting_default_is_local_flagged_more_than_half():
    rule = get_rule("committee-meeting")
    assert rule.status_tag.value == "LOCAL"
    assert rule.needs_legal_review
    # 7 members: 4 present is > 1/2; 4 agreeing of ALL members passes, 3 does not.
    assert outcome_of(judge(rule, Counts(7, 4, 4))) is Outcome.PASSED
    assert outcome_of(judge(rule, Counts(7, 4, 3))) is Outcome.REJECTED
    # 6 members: 3 present is exactly half, not more: quorum missed.
    assert outcome_of(judge(rule, Counts(6, 3, 3))) is Outcome.QUORUM_MISSED


def test_committee_meeting_approval_may_not_go_below_a_majority():
    rule = get_rule("committee-meeting")
    with pytest.raises(ValueError, match="第十一条"):
        customise(rule, {"approval-yes": {"fraction": "1/3"}})
    tightened = customise(rule, {"quorum-present": {"fraction": "2/3"}})
    assert outcome_of(judge(tightened, Counts(6, 5, 4))) is Outcome.PASSED
    assert outcome_of(judge(tightened, Counts(6, 4, 4))) is Outcome.QUORUM_MISSED


@given(
    st.integers(1, 300).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.integers(0, n).flatmap(
                lambda p: st.tuples(st.just(p), st.integers(0, p))
            ),
        )
    )
)
def test_party_members_meeting_boundaries(values):
    """≥ 2/3 of the members expected present (以上 includes it); > 1/2 of the
    members expected agree (过半数 excludes it)."""
    members, (present, yes) = values
    result = judge(_rule(MeetingKind.PARTY_MEMBERS), Counts(members, present, yes))
    assert result.quorum_met == (3 * present >= 2 * members)
    assert result.passed == (3 * present >= 2 * members and 2 * yes > members)
    expected = (
        Outcome.QUORUM_MISSED
        if not result.quorum_met
        else Outcome.PASSED
        if result.passed
        else Outcome.REJECTED
    )
    assert outcome_of(result) is expected


def test_residents_meeting_is_judged_on_its_constituency():
    rule = _rule(MeetingKind.RESIDENTS_MEETING)
    assert outcome_of(judge(rule, Counts(100, 51, 26))) is Outcome.PASSED
    assert outcome_of(judge(rule, Counts(100, 50, 50))) is Outcome.QUORUM_MISSED
    assert outcome_of(judge(rule, Counts(100, 51, 25))) is Outcome.REJECTED


@pytest.mark.parametrize(
    "counts",
    [Counts(5, 6, 0), Counts(5, 3, 2, 2), Counts(5, -1, 0), Counts(5, 3, True)],
)
def test_impossible_counts_are_refused(counts):
    with pytest.raises(InvalidCounts):
        judge(_rule(MeetingKind.TWO_COMMITTEES), counts)


@given(
    st.integers(0, 10_000),
    st.fractions(min_value=Fraction(1, 100), max_value=Fraction(1)),
    st.sampled_from(Comparator),
)
def test_least_count_is_the_least_whole_number_meeting_the_condition(
    whole, fraction, comparator
):
    if fraction == 1 and comparator is Comparator.GT:
        return
    need = least_count(whole, fraction, comparator)
    if whole:
        assert comparator.holds(need, whole, fraction) or need > whole
        assert not comparator.holds(need - 1, whole, fraction)


def test_support_reads_in_plain_chinese_with_the_number_needed():
    rule = rule_for("residents-meeting-convening", DAY)
    values = {
        "adult_residents": 1000,
        "proposing_residents": 37,
        "resident_households": 600,
        "proposing_households": 37,
        "resident_groups": 6,
        "proposing_groups": 2,
    }
    found = progress(rule, values)
    words = [route.words for route in found.routes]
    assert words[1] == "已有 37 户支持，须达五分之一以上即 120 户（还差 83 户）。"
    assert "/" not in "".join(words)
    assert found.routes[2].met
    assert found.met


def test_owners_extraordinary_meeting_needs_twenty_percent():
    rule = rule_for("owners-extraordinary-meeting", DAY)
    found = progress(rule, {"total_owners": 101, "proposing_owners": 20})
    assert not found.met
    assert found.routes[0].need == 21
    assert "还差 1 人" in found.routes[0].words


def test_categories_default_list_and_switch():
    assert Category.OTHER not in DEFAULT_REQUIRED
    assert requires_procedure("assets", enabled=True, setting=None)
    assert not requires_procedure("assets", enabled=False, setting=None)
    assert not requires_procedure("other", enabled=True, setting=[])
    assert requires_procedure("other", enabled=True, setting=["other"])
    assert not requires_procedure("assets", enabled=True, setting=["plans"])
    with pytest.raises(ValueError, match="nonsense"):
        requires_procedure("assets", enabled=True, setting=["nonsense"])


@given(st.dates())
def test_a_meeting_is_held_between_2000_and_2099(day):
    first, last = MEETING_YEARS
    assert (meeting_time_problem(day) is None) == (first <= day.year <= last)


def test_the_meeting_years_bounds():
    assert meeting_time_problem(date(2000, 1, 1)) is None
    assert meeting_time_problem(date(2099, 12, 31)) is None
    assert "2000 年至 2099 年" in meeting_time_problem(date(1999, 12, 31))
    assert meeting_time_problem(date(2100, 1, 1))
