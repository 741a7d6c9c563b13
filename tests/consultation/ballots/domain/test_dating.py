"""Issue 9 items 1 and 8 in the domain: the rule in force when voting closes judges a
ballot (RULES.md §9.3), and below quorum the approval is never presented as met."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consultation.ballots.domain.rules import (
    CIVIL_CODE_278_ORDINARY,
    PROPERTY_REGULATION_12_LEGACY,
    RESIDENTS_MEETING_2018,
    RESIDENTS_MEETING_2025,
    NoRuleInForce,
    UnknownRule,
    choose_rule,
    evaluate,
)
from consultation.ballots.domain.thresholds import BELOW_QUORUM_ZH

CIVIL_CODE_DAY = date(2021, 1, 1)
RESIDENTS_2025_DAY = date(2026, 1, 1)

# (family, the date the new version takes effect, the old version)
BOUNDARIES = [
    ("owners-ordinary", CIVIL_CODE_DAY, PROPERTY_REGULATION_12_LEGACY),
    ("residents-meeting", RESIDENTS_2025_DAY, RESIDENTS_MEETING_2018),
]
NEW = {
    "owners-ordinary": CIVIL_CODE_278_ORDINARY,
    "residents-meeting": RESIDENTS_MEETING_2025,
}

offsets = st.integers(min_value=-400, max_value=400)


def test_opened_2020_12_20_closed_in_2026_is_judged_by_the_civil_code() -> None:
    # The defect of issue 9: this ballot was judged under 物业管理条例 Art. 12.
    choice = choose_rule(
        "owners-ordinary", date(2026, 2, 1), opened_on=date(2020, 12, 20)
    )
    assert choice.rule is CIVIL_CODE_278_ORDINARY
    assert choice.at_opening is PROPERTY_REGULATION_12_LEGACY
    assert choice.spans_effective_date
    flags = choice.as_dict()
    assert flags["effective_dates_crossed"] == ["2021-01-01"]
    assert "2021-01-01" in flags["spans_note_zh"]


def test_a_rule_id_stands_for_its_family_on_the_closing_day() -> None:
    # A ballot set up with the 2018 version and closing in 2026 is judged by 2025's.
    choice = choose_rule(
        "residents-meeting-2018", date(2026, 1, 5), opened_on=date(2025, 12, 28)
    )
    assert choice.rule is RESIDENTS_MEETING_2025
    assert choice.requested == "residents-meeting-2018"
    assert choice.as_dict()["rule_at_opening"] == "residents-meeting-2018"


@pytest.mark.parametrize(("family", "day", "old"), BOUNDARIES)
@given(opened=offsets, length=st.integers(min_value=0, max_value=400))
@example(opened=-1, length=1)  # opened the eve, closed on the effective day
@example(opened=-1, length=0)  # opened and closed on the eve
@example(opened=0, length=0)  # opened and closed on the effective day
def test_the_closing_day_alone_picks_the_version(
    family: str, day: date, old, opened: int, length: int
) -> None:
    opened_on = day + timedelta(days=opened)
    closed_on = opened_on + timedelta(days=length)
    choice = choose_rule(family, closed_on, opened_on=opened_on)
    assert choice.rule is (NEW[family] if closed_on >= day else old)
    assert choice.decision_date == closed_on
    # Flagged exactly when voting was open across the effective day.
    assert choice.spans_effective_date == (opened_on < day <= closed_on)
    if choice.spans_effective_date:
        assert choice.at_opening is old
        assert choice.as_dict()["effective_dates_crossed"] == [day.isoformat()]


def test_no_opening_day_no_flag() -> None:
    choice = choose_rule("residents-meeting", date(2026, 3, 1))
    assert choice.rule is RESIDENTS_MEETING_2025
    assert not choice.spans_effective_date
    assert choice.as_dict()["opened_on"] is None


def test_unknown_and_no_rule_in_force() -> None:
    with pytest.raises(UnknownRule):
        choose_rule("no-such-meeting", date(2026, 1, 1))
    with pytest.raises(NoRuleInForce):
        choose_rule("owners-ordinary", date(2006, 1, 1))


def test_evaluation_names_the_version_and_its_dates() -> None:
    values = {"constituency": 10, "present": 6, "yes": 4}
    report = evaluate(RESIDENTS_MEETING_2018, values).as_dict()
    assert (report["effective_from"], report["effective_to"]) == (
        "1990-01-01",
        "2025-12-31",
    )
    assert report["title"] == RESIDENTS_MEETING_2018.title_zh
    assert evaluate(RESIDENTS_MEETING_2025, values).as_dict()["effective_to"] is None


# --- item 8: below quorum reads as below quorum ---------------------------------


@given(
    constituency=st.integers(min_value=1, max_value=10_000),
    data=st.data(),
)
@example(constituency=2, data=None)
def test_below_quorum_no_approval_condition_holds(constituency: int, data) -> None:
    if data is None:  # 1 of 2 present (not more than half), and that one agrees
        present, yes = 1, 1
    else:
        present = data.draw(st.integers(min_value=0, max_value=constituency // 2))
        yes = data.draw(st.integers(min_value=0, max_value=present))
    values = {"constituency": constituency, "present": present, "yes": yes}
    result = evaluate(RESIDENTS_MEETING_2025, values)
    assert not result.quorum_met
    assert not result.approval_met
    assert not result.passed
    report = result.as_dict()
    assert report["below_quorum"] is True
    assert report["approval_state_zh"] == BELOW_QUORUM_ZH
    for condition in report["conditions"]:
        if condition["role"] == "approval":
            assert condition["holds"] is False
            assert condition["state"] == "below_quorum"
        else:
            assert condition["state"] == "not_met"


def test_quorum_met_approval_conditions_are_assessed() -> None:
    report = evaluate(
        RESIDENTS_MEETING_2025, {"constituency": 10, "present": 6, "yes": 4}
    ).as_dict()
    assert report["below_quorum"] is False
    assert report["approval_state_zh"] is None
    assert [c["state"] for c in report["conditions"]] == ["met", "met"]
