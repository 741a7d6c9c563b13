"""《民法典》第二百七十八条 against an independent reference written from the text.

The reference below reads the article literally with Fraction comparisons ("三分之二
以上" is ≥ 2/3, "四分之三以上" is ≥ 3/4, "过半数" is > 1/2; the approval denominators
are the participants), so it shares no code with the engine's cross-multiplication.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from consultation.ballots.domain.rules import (
    CIVIL_CODE_278_MAJOR,
    CIVIL_CODE_278_ORDINARY,
    PROPERTY_REGULATION_12_LEGACY,
    PROPERTY_REGULATION_12_LEGACY_MAJOR,
    InvalidValues,
    RuleError,
    evaluate,
)


@dataclass(frozen=True)
class Tally:
    total_area: int
    total_owners: int
    participating_area: int
    participating_owners: int
    yes_area: int
    yes_owners: int

    def values(self) -> dict[str, int]:
        return dict(self.__dict__)


def _ratio(part: int, whole: int) -> Fraction | None:
    return None if whole == 0 else Fraction(part, whole)


def reference_278(t: Tally, *, major: bool) -> tuple[bool, bool]:
    """(passed, quorum_met) straight from Art. 278 ¶2."""
    area_part = _ratio(t.participating_area, t.total_area)
    owners_part = _ratio(t.participating_owners, t.total_owners)
    quorum = (
        area_part is not None
        and owners_part is not None
        and area_part >= Fraction(2, 3)
        and owners_part >= Fraction(2, 3)
    )
    area_yes = _ratio(t.yes_area, t.participating_area)
    owners_yes = _ratio(t.yes_owners, t.participating_owners)
    if area_yes is None or owners_yes is None:
        approval = False
    elif major:
        approval = area_yes >= Fraction(3, 4) and owners_yes >= Fraction(3, 4)
    else:
        approval = area_yes > Fraction(1, 2) and owners_yes > Fraction(1, 2)
    return quorum and approval, quorum


def reference_property_regulation_12(t: Tally, *, major: bool) -> tuple[bool, bool]:
    """(passed, quorum_met) from 物业管理条例 Art. 12 (2007): denominators are ALL."""
    area_part = _ratio(t.participating_area, t.total_area)
    owners_part = _ratio(t.participating_owners, t.total_owners)
    quorum = (
        area_part is not None
        and owners_part is not None
        and area_part > Fraction(1, 2)
        and owners_part > Fraction(1, 2)
    )
    area_yes = _ratio(t.yes_area, t.total_area)
    owners_yes = _ratio(t.yes_owners, t.total_owners)
    if area_yes is None or owners_yes is None:
        approval = False
    elif major:
        approval = area_yes >= Fraction(2, 3) and owners_yes >= Fraction(2, 3)
    else:
        approval = area_yes > Fraction(1, 2) and owners_yes > Fraction(1, 2)
    return quorum and approval, quorum


def _near(whole: int, fraction: Fraction) -> st.SearchStrategy[int]:
    """Integers at the smallest count meeting ``fraction`` of ``whole``, ±1."""
    pivot = math.ceil(whole * fraction)
    return st.sampled_from(
        sorted({max(0, min(whole, pivot + delta)) for delta in (-1, 0, 1)})
    )


def _part_of(draw: st.DrawFn, whole: int, pivots: tuple[Fraction, ...]) -> int:
    uniform = st.integers(min_value=0, max_value=whole)
    return draw(st.one_of(uniform, *(_near(whole, pivot) for pivot in pivots)))


@st.composite
def tallies(draw: st.DrawFn, max_area: int = 10**9, max_owners: int = 5000) -> Tally:
    """Valid tallies, biased towards the 1/2, 2/3 and 3/4 boundaries."""
    pivots = (Fraction(1, 2), Fraction(2, 3), Fraction(3, 4))
    total_area = draw(st.integers(min_value=0, max_value=max_area))
    total_owners = draw(st.integers(min_value=0, max_value=max_owners))
    participating_area = _part_of(draw, total_area, pivots)
    participating_owners = _part_of(draw, total_owners, pivots)
    return Tally(
        total_area=total_area,
        total_owners=total_owners,
        participating_area=participating_area,
        participating_owners=participating_owners,
        yes_area=_part_of(draw, participating_area, pivots),
        yes_owners=_part_of(draw, participating_owners, pivots),
    )


# Exact boundaries: 2/3 of 300 is 200 and of 3 owners is 2; 1/2 of 200 is 100;
# 3/4 of 200 is 150 and of 4 owners is 3.
AT_TWO_THIRDS = Tally(300, 3, 200, 2, 200, 2)
BELOW_TWO_THIRDS_AREA = Tally(300, 3, 199, 2, 199, 2)
BELOW_TWO_THIRDS_OWNERS = Tally(300, 6, 200, 3, 200, 3)
ABOVE_TWO_THIRDS = Tally(300, 3, 201, 3, 201, 3)
ORDINARY_AT_HALF_AREA = Tally(300, 3, 200, 2, 100, 2)
ORDINARY_ABOVE_HALF_AREA = Tally(300, 3, 200, 2, 101, 2)
ORDINARY_AT_HALF_OWNERS = Tally(300, 4, 200, 4, 200, 2)
ORDINARY_ABOVE_HALF_OWNERS = Tally(300, 4, 200, 4, 200, 3)
MAJOR_AT_THREE_QUARTERS = Tally(300, 4, 200, 4, 150, 3)
MAJOR_BELOW_THREE_QUARTERS_AREA = Tally(300, 4, 200, 4, 149, 3)
MAJOR_BELOW_THREE_QUARTERS_OWNERS = Tally(300, 8, 200, 8, 150, 5)
MAJOR_ABOVE_THREE_QUARTERS = Tally(300, 4, 200, 4, 151, 4)


@settings(max_examples=500)
@given(tallies())
@example(AT_TWO_THIRDS)
@example(BELOW_TWO_THIRDS_AREA)
@example(BELOW_TWO_THIRDS_OWNERS)
@example(ORDINARY_AT_HALF_AREA)
@example(ORDINARY_ABOVE_HALF_AREA)
@example(MAJOR_AT_THREE_QUARTERS)
@example(MAJOR_BELOW_THREE_QUARTERS_AREA)
@example(Tally(0, 0, 0, 0, 0, 0))
@example(Tally(100, 10, 0, 0, 0, 0))
def test_ordinary_matches_reference(tally: Tally) -> None:
    result = evaluate(CIVIL_CODE_278_ORDINARY, tally.values())
    assert (result.passed, result.quorum_met) == reference_278(tally, major=False)


@settings(max_examples=500)
@given(tallies())
@example(AT_TWO_THIRDS)
@example(BELOW_TWO_THIRDS_AREA)
@example(MAJOR_AT_THREE_QUARTERS)
@example(MAJOR_BELOW_THREE_QUARTERS_AREA)
@example(MAJOR_BELOW_THREE_QUARTERS_OWNERS)
@example(MAJOR_ABOVE_THREE_QUARTERS)
@example(Tally(0, 0, 0, 0, 0, 0))
def test_major_matches_reference(tally: Tally) -> None:
    result = evaluate(CIVIL_CODE_278_MAJOR, tally.values())
    assert (result.passed, result.quorum_met) == reference_278(tally, major=True)


@given(tallies(), st.booleans())
def test_legacy_property_regulation_matches_reference(
    tally: Tally, major: bool
) -> None:
    rule = (
        PROPERTY_REGULATION_12_LEGACY_MAJOR
        if major
        else (PROPERTY_REGULATION_12_LEGACY)
    )
    result = evaluate(rule, tally.values())
    expected = reference_property_regulation_12(tally, major=major)
    assert (result.passed, result.quorum_met) == expected


@given(tallies(), st.sampled_from([CIVIL_CODE_278_ORDINARY, CIVIL_CODE_278_MAJOR]))
def test_every_condition_reports_its_exact_fraction(tally: Tally, rule) -> None:
    result = evaluate(rule, tally.values())
    values = tally.values()
    assert [c.key for c in result.conditions] == [
        "quorum-area",
        "quorum-owners",
        "approval-area",
        "approval-owners",
    ]
    for condition in result.conditions:
        numerator = values[condition.numerator_field]
        denominator = values[condition.denominator_field]
        assert (condition.numerator, condition.denominator) == (numerator, denominator)
        if denominator == 0:
            assert condition.actual is None
            assert condition.holds is False
        else:
            assert condition.actual == Fraction(numerator, denominator)
    assert result.quorum_met == all(
        c.holds for c in result.conditions if c.role == "quorum"
    )
    assert result.approval_met == all(
        c.holds for c in result.conditions if c.role == "approval"
    )
    assert result.passed == (result.quorum_met and result.approval_met)


@pytest.mark.parametrize(
    ("tally", "quorum_met"),
    [
        (AT_TWO_THIRDS, True),
        (ABOVE_TWO_THIRDS, True),
        (BELOW_TWO_THIRDS_AREA, False),
        (BELOW_TWO_THIRDS_OWNERS, False),
    ],
)
def test_quorum_boundary_two_thirds_inclusive(tally: Tally, quorum_met: bool) -> None:
    for rule in (CIVIL_CODE_278_ORDINARY, CIVIL_CODE_278_MAJOR):
        assert evaluate(rule, tally.values()).quorum_met is quorum_met


@pytest.mark.parametrize(
    ("tally", "passed"),
    [
        (ORDINARY_AT_HALF_AREA, False),  # exactly half is not "过半数"
        (ORDINARY_ABOVE_HALF_AREA, True),
        (ORDINARY_AT_HALF_OWNERS, False),
        (ORDINARY_ABOVE_HALF_OWNERS, True),
    ],
)
def test_ordinary_boundary_half_is_strict(tally: Tally, passed: bool) -> None:
    assert evaluate(CIVIL_CODE_278_ORDINARY, tally.values()).passed is passed


@pytest.mark.parametrize(
    ("tally", "passed"),
    [
        (MAJOR_AT_THREE_QUARTERS, True),  # "四分之三以上" includes 3/4
        (MAJOR_ABOVE_THREE_QUARTERS, True),
        (MAJOR_BELOW_THREE_QUARTERS_AREA, False),
        (MAJOR_BELOW_THREE_QUARTERS_OWNERS, False),
    ],
)
def test_major_boundary_three_quarters_inclusive(tally: Tally, passed: bool) -> None:
    assert evaluate(CIVIL_CODE_278_MAJOR, tally.values()).passed is passed


def test_boundary_condition_values_are_exact() -> None:
    result = evaluate(CIVIL_CODE_278_MAJOR, MAJOR_AT_THREE_QUARTERS.values())
    area = result.condition("approval-area")
    assert area.as_dict() == {
        "key": "approval-area",
        "role": "approval",
        "numerator_field": "yes_area",
        "denominator_field": "participating_area",
        "numerator": 150,
        "denominator": 200,
        "actual": "3/4",
        "required": "3/4",
        "comparator": ">=",
        "holds": True,
        "silent_added": 0,
        "silent_side": None,
        "below_quorum": False,
        "state": "met",
    }
    quorum = evaluate(CIVIL_CODE_278_ORDINARY, AT_TWO_THIRDS.values())
    assert quorum.condition("quorum-area").as_dict()["actual"] == "2/3"
    assert quorum.condition("quorum-owners").as_dict()["required"] == "2/3"
    assert quorum.condition("approval-owners").as_dict()["comparator"] == ">"


def test_abstention_counts_as_participation_and_not_as_yes() -> None:
    # 70 of 100 owners take part, 36 agree, 34 abstain: quorum met, but 36/70 > 1/2
    # only just. With 35 yes and 35 abstaining the motion fails.
    base = {"total_area": 10_000, "total_owners": 100}
    passes = base | {
        "participating_area": 7_000,
        "participating_owners": 70,
        "yes_area": 3_600,
        "yes_owners": 36,
    }
    tie = passes | {"yes_area": 3_500, "yes_owners": 35}
    assert evaluate(CIVIL_CODE_278_ORDINARY, passes).passed
    assert not evaluate(CIVIL_CODE_278_ORDINARY, tie).passed


def test_using_maintenance_funds_is_ordinary_raising_is_major() -> None:
    assert "（五）" in CIVIL_CODE_278_ORDINARY.matters_zh
    assert "USING" in CIVIL_CODE_278_ORDINARY.matters_en
    assert "筹集维修资金" in CIVIL_CODE_278_MAJOR.matters_zh
    assert "（六）至（八）" in CIVIL_CODE_278_MAJOR.matters_zh


# --- silent owners follow the majority (沉默业主视为同意多数) -------------------------


def silent_ratios(t: Tally) -> tuple[Fraction | None, Fraction | None]:
    """Approval ratios (area, owners) with silent owners joining the majority."""

    def approval_ratio(total: int, part: int, yes: int) -> Fraction | None:
        silent = total - part
        if silent and yes > part - yes:
            return _ratio(yes + silent, total)
        if silent and yes < part - yes:
            return _ratio(yes, total)
        return _ratio(yes, part)  # a tie is no majority: nobody is added

    return (
        approval_ratio(t.total_area, t.participating_area, t.yes_area),
        approval_ratio(t.total_owners, t.participating_owners, t.yes_owners),
    )


def reference_silent(t: Tally, *, major: bool) -> tuple[bool, bool]:
    """Silent owners join the majority of the expressed votes, approval only."""
    _, quorum = reference_278(t, major=major)
    area, owners = silent_ratios(t)
    if area is None or owners is None:
        return False, quorum
    if major:
        approval = area >= Fraction(3, 4) and owners >= Fraction(3, 4)
    else:
        approval = area > Fraction(1, 2) and owners > Fraction(1, 2)
    return quorum and approval, quorum


@settings(max_examples=500)
@given(tallies(), st.booleans())
@example(Tally(100, 100, 70, 70, 50, 50), True)
@example(Tally(100, 100, 70, 70, 35, 35), False)
def test_silent_owners_match_reference(tally: Tally, major: bool) -> None:
    rule = CIVIL_CODE_278_MAJOR if major else CIVIL_CODE_278_ORDINARY
    result = evaluate(rule, tally.values(), count_silent_owners_with_majority=True)
    assert (result.passed, result.quorum_met) == reference_silent(tally, major=major)
    area, owners = silent_ratios(tally)
    assert result.condition("approval-area").actual == area
    assert result.condition("approval-owners").actual == owners


def test_a_tie_gives_the_silent_owners_no_side() -> None:
    tally = Tally(100, 100, 70, 70, 35, 35)
    on = evaluate(
        CIVIL_CODE_278_ORDINARY, tally.values(), count_silent_owners_with_majority=True
    )
    area = on.condition("approval-area")
    assert (area.numerator, area.denominator) == (35, 70)
    assert (area.silent_added, area.silent_side) == (0, None)


@given(tallies(), st.booleans())
def test_silent_owners_never_count_towards_the_quorum(
    tally: Tally, major: bool
) -> None:
    rule = CIVIL_CODE_278_MAJOR if major else CIVIL_CODE_278_ORDINARY
    off = evaluate(rule, tally.values())
    on = evaluate(rule, tally.values(), count_silent_owners_with_majority=True)
    assert on.quorum_met == off.quorum_met
    assert [c for c in on.conditions if c.role == "quorum"] == [
        c for c in off.conditions if c.role == "quorum"
    ]
    if not off.quorum_met:
        assert not on.passed


def test_silent_owners_change_an_outcome_only_when_switched_on() -> None:
    # 70 of 100 take part and 50 agree: 50/70 < 3/4, so a major matter fails.
    # Counted with the majority, the 30 silent owners make it 80/100 ≥ 3/4.
    tally = Tally(100, 100, 70, 70, 50, 50)
    assert not evaluate(CIVIL_CODE_278_MAJOR, tally.values()).passed
    on = evaluate(
        CIVIL_CODE_278_MAJOR, tally.values(), count_silent_owners_with_majority=True
    )
    assert on.passed
    assert on.count_silent_owners_with_majority
    area = on.condition("approval-area")
    assert (area.numerator, area.denominator, area.silent_added) == (80, 100, 30)
    assert area.silent_side == "yes"
    assert on.condition("quorum-area").silent_added == 0


def test_silent_owners_join_the_no_side_when_it_is_the_majority() -> None:
    tally = Tally(100, 100, 70, 70, 30, 30)
    on = evaluate(
        CIVIL_CODE_278_ORDINARY, tally.values(), count_silent_owners_with_majority=True
    )
    area = on.condition("approval-area")
    assert (area.numerator, area.denominator, area.silent_side) == (30, 100, "no")
    assert not on.passed


def test_silent_owners_option_is_off_by_default() -> None:
    result = evaluate(CIVIL_CODE_278_MAJOR, Tally(100, 100, 70, 70, 50, 50).values())
    assert not result.count_silent_owners_with_majority
    assert all(c.silent_added == 0 for c in result.conditions)


def test_invalid_tallies_are_refused() -> None:
    bad = Tally(100, 10, 101, 5, 50, 3)
    with pytest.raises(InvalidValues, match="participating_area"):
        evaluate(CIVIL_CODE_278_ORDINARY, bad.values())
    assert issubclass(InvalidValues, ValueError)
    assert issubclass(InvalidValues, RuleError)
