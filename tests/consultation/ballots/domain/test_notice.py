"""Notice before a vote (issue 9 item 13): the day count and the requirement by rule.

物业管理条例 Art. 14: an owners' assembly is notified "15日以前"; the notice day is not
counted (民法典 Art. 201), so a notice on day D lets voting open on D+15, not D+14.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultation.ballots.domain.design import BALLOT_RULE_INPUTS
from consultation.ballots.domain.notice import (
    NOTICE_BY_RULE,
    NoticeProblem,
    NoticeRequirement,
    days_between,
    earliest_opening,
    notice_requirement,
    notice_shortfall,
)
from consultation.ballots.domain.rules import FAMILIES, StatusTag

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
OWNERS = notice_requirement("civil-code-278-ordinary")


def test_an_owners_assembly_needs_15_days_under_the_property_regulation():
    for rule_id in (
        "civil-code-278-ordinary",
        "civil-code-278-major",
        "property-regulation-12-legacy",
        "property-regulation-12-legacy-major",
    ):
        requirement = notice_requirement(rule_id)
        assert requirement.days == 15
        assert "第十四条" in requirement.law_zh
        assert requirement.status_tag is StatusTag.NAT_LAW
        assert not requirement.needs_legal_review


def test_rules_without_a_requirement_need_no_notice():
    assert notice_requirement("").days == 0
    assert notice_requirement("residents-meeting-2018").days == 0
    assert notice_requirement("villagers-representatives-meeting-2010").days == 0
    # Local practice only (RULES.md §1.2): not enforced, flagged.
    party = notice_requirement("party-members-meeting")
    assert party.days == 0
    assert party.needs_legal_review


def test_unverified_requirements_are_flagged():
    assert notice_requirement("owners-committee").days == 7
    assert notice_requirement("owners-committee").needs_legal_review
    assert notice_requirement("residents-meeting-2025").days == 10
    assert notice_requirement("residents-meeting-2025").needs_legal_review
    assert notice_requirement("villagers-meeting-2010").days == 10
    assert not notice_requirement("villagers-meeting-2010").needs_legal_review


def test_every_rule_a_ballot_can_use_has_a_stated_requirement():
    """A new rule needs a decision on its notice period, not a silent 0."""
    for versions in FAMILIES.values():
        for rule in versions:
            if set(rule.input_names) <= BALLOT_RULE_INPUTS:
                assert rule.id in NOTICE_BY_RULE, rule.id
    unknown = notice_requirement("a-rule-nobody-registered")
    assert unknown.days == 0
    assert unknown.needs_legal_review


def test_exactly_15_days_before_is_enough_and_14_is_not():
    notice = date(2026, 3, 1)
    assert earliest_opening(notice, 15) == date(2026, 3, 16)
    assert notice_shortfall(notice, date(2026, 3, 16), OWNERS) is None
    short = notice_shortfall(notice, date(2026, 3, 15), OWNERS)
    assert short is not None
    assert short.problem is NoticeProblem.TOO_LATE
    assert short.earliest_opening == date(2026, 3, 16)
    assert short.required_days == 15


def test_calendar_days_across_a_month_end_and_a_leap_day():
    assert earliest_opening(date(2028, 2, 20), 15) == date(2028, 3, 6)  # 29 days
    assert earliest_opening(date(2027, 2, 20), 15) == date(2027, 3, 7)
    # Holidays do not move it (a period counted back from the meeting).
    assert earliest_opening(date(2026, 9, 16), 15) == date(2026, 10, 1)


@settings(deadline=None)  # pure and fast: a loaded machine must not fail it
@given(notice=days, opening=days, required=st.integers(0, 60))
def test_opening_is_allowed_exactly_from_the_notice_day_plus_the_period(
    notice, opening, required
):
    requirement = NoticeRequirement(required, "法", "law", StatusTag.NAT_LAW)
    shortfall = notice_shortfall(notice, opening, requirement)
    assert (shortfall is None) == ((opening - notice).days >= required)
    assert (shortfall is None) == (opening >= earliest_opening(notice, required))
    assert days_between(notice, earliest_opening(notice, required)) == required
    if shortfall is not None:
        assert shortfall.earliest_opening == notice + timedelta(days=required)


@settings(deadline=None)  # pure and fast: a loaded machine must not fail it
@given(opening=days, required=st.integers(0, 60))
def test_without_a_notice_only_a_rule_without_a_period_opens(opening, required):
    requirement = NoticeRequirement(required, "法", "law", StatusTag.NAT_LAW)
    shortfall = notice_shortfall(None, opening, requirement)
    if required == 0:
        assert shortfall is None
    else:
        assert shortfall.problem is NoticeProblem.MISSING
        assert shortfall.earliest_opening is None


@settings(deadline=None)  # pure and fast: a loaded machine must not fail it
@given(opening=days, later=st.integers(1, 400))
def test_a_notice_dated_after_the_opening_never_counts(opening, later):
    requirement = NoticeRequirement(0, "法", "law", StatusTag.NAT_LAW)
    notice = opening + timedelta(days=later)
    assert notice_shortfall(notice, opening, requirement).problem is (
        NoticeProblem.TOO_LATE
    )


def test_a_requirement_is_a_whole_number_of_days():
    with pytest.raises(ValueError, match="days must be >= 0"):
        NoticeRequirement(-1, "法", "law", StatusTag.NAT_LAW)
    with pytest.raises(TypeError):
        NoticeRequirement(True, "法", "law", StatusTag.NAT_LAW)
    with pytest.raises(ValueError, match="days must be >= 0"):
        earliest_opening(date(2026, 1, 1), -1)
