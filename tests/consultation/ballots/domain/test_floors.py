"""Community settings: national rules may be tightened, never loosened (§9.4)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.floors import (
    ConditionOverride,
    FloorViolation,
    InvalidOverride,
    customise,
    is_at_least_as_strict,
)
from consultation.ballots.domain.rules import (
    CIVIL_CODE_278_MAJOR,
    CIVIL_CODE_278_ORDINARY,
    OWNERS_COMMITTEE,
    PARTY_MEMBERS_MEETING,
    RESIDENTS_MEETING_2018,
    Comparator,
    evaluate,
)

GE, GT = Comparator.GE, Comparator.GT
comparators = st.sampled_from([GE, GT])
small_fractions = st.fractions(min_value=0, max_value=1, max_denominator=6)


@given(small_fractions, comparators, small_fractions, comparators)
def test_strictness_is_implication_over_every_tally(
    new_fraction: Fraction,
    new_comparator: Comparator,
    floor_fraction: Fraction,
    floor_comparator: Comparator,
) -> None:
    # Brute force: the new requirement is at least as strict as the floor iff every
    # n/d meeting it also meets the floor. Denominators up to 72 = 2·6·6 suffice to
    # find a tally strictly between two fractions with denominators ≤ 6.
    implied = all(
        not new_comparator.holds(n, d, new_fraction)
        or floor_comparator.holds(n, d, floor_fraction)
        for d in range(1, 73)
        for n in range(d + 1)
    )
    assert (
        is_at_least_as_strict(
            new_fraction, new_comparator, floor_fraction, floor_comparator
        )
        == implied
    )


@pytest.mark.parametrize(
    ("rule", "key", "override", "law"),
    [
        # exactly half instead of "过半数"
        (
            CIVIL_CODE_278_ORDINARY,
            "approval-area",
            (Fraction(1, 2), GE),
            "第二百七十八条",
        ),
        (CIVIL_CODE_278_ORDINARY, "quorum-owners", ("3/5", ">="), "第二百七十八条"),
        (CIVIL_CODE_278_MAJOR, "approval-owners", ("2/3", ">="), "第二百七十八条"),
        # "三分之二以上" read as a strict bound one unit lower is still a loosening
        (CIVIL_CODE_278_MAJOR, "quorum-area", ("13/20", ">"), "第二百七十八条"),
        (RESIDENTS_MEETING_2018, "quorum-present", ("1/2", ">="), "第九条"),
        (RESIDENTS_MEETING_2018, "approval-yes", ("1/3", ">"), "第九条"),
        (OWNERS_COMMITTEE, "approval-yes", ("2/5", ">="), "指导规则"),
    ],
)
def test_loosening_a_national_rule_is_refused(rule, key, override, law) -> None:
    with pytest.raises(FloorViolation) as raised:
        customise(rule, {key: override})
    error = raised.value
    message = str(error)
    assert law in message
    assert rule.law in message  # e.g. 《民法典》第二百七十八条第二款
    assert "Refused" in error.message_en
    assert "不得低于" in error.message_zh
    assert rule.source_en in message
    assert error.condition_key == key
    assert isinstance(error, ValueError)


def test_floor_violation_names_the_civil_code_article() -> None:
    with pytest.raises(FloorViolation, match="《民法典》第二百七十八条"):
        customise(CIVIL_CODE_278_ORDINARY, {"approval-owners": ("1/2", ">=")})


@pytest.mark.parametrize(
    ("key", "override", "fraction", "comparator"),
    [
        ("approval-area", ("3/5", ">="), Fraction(3, 5), GE),  # higher fraction
        (
            "approval-area",
            ConditionOverride(fraction=Fraction(2, 3)),
            Fraction(2, 3),
            GT,
        ),
        ("quorum-area", {"comparator": ">"}, Fraction(2, 3), GT),  # ≥ → > at 2/3
        ("quorum-owners", {"fraction": "3/4", "comparator": "≥"}, Fraction(3, 4), GE),
    ],
)
def test_tightening_is_allowed_and_recorded(
    key, override, fraction, comparator
) -> None:
    rule = customise(CIVIL_CODE_278_ORDINARY, {key: override}, jurisdiction="510402")
    condition = rule.condition(key)
    assert (condition.fraction, condition.comparator) == (fraction, comparator)
    assert rule.is_customised
    assert rule.jurisdiction == "510402"
    [change] = rule.changes
    assert change.key == key
    assert not change.loosens
    original = CIVIL_CODE_278_ORDINARY.condition(key)
    assert (change.old_fraction, change.old_comparator) == (
        original.fraction,
        original.comparator,
    )
    assert "本社区设定" in condition.text_zh
    # The law's own rule object is untouched.
    assert not CIVIL_CODE_278_ORDINARY.is_customised
    assert CIVIL_CODE_278_ORDINARY.condition(key) == original


@given(
    st.integers(0, 400)
    .flatmap(lambda total: st.tuples(st.just(total), st.integers(0, total)))
    .flatmap(
        lambda tp: st.tuples(st.just(tp[0]), st.just(tp[1]), st.integers(0, tp[1]))
    ),
    st.fractions(min_value=Fraction(1, 2), max_value=1, max_denominator=12),
    comparators,
)
def test_a_tightened_rule_never_passes_what_the_law_fails(
    tally: tuple[int, int, int], fraction: Fraction, comparator: Comparator
) -> None:
    total, present, yes = tally
    if fraction == 1 and comparator is GT:
        comparator = GE
    if fraction == Fraction(1, 2):
        comparator = GT
    stricter = customise(
        RESIDENTS_MEETING_2018,
        {"quorum-present": (fraction, comparator), "approval-yes": (fraction, ">")}
        if fraction < 1
        else {"quorum-present": (fraction, comparator)},
    )
    values = {"constituency": total, "present": present, "yes": yes}
    if evaluate(stricter, values).passed:
        assert evaluate(RESIDENTS_MEETING_2018, values).passed


def test_the_floor_is_the_law_not_the_previous_setting() -> None:
    stricter = customise(CIVIL_CODE_278_MAJOR, {"approval-area": ("4/5", ">=")})
    # Back down to the law's 3/4 is fine (it is still the floor) and clears the record.
    back = customise(stricter, {"approval-area": ("3/4", ">=")})
    assert not back.is_customised
    assert back.condition("approval-area") == CIVIL_CODE_278_MAJOR.condition(
        "approval-area"
    )
    with pytest.raises(FloorViolation):
        customise(stricter, {"approval-area": ("7/10", ">=")})
    # A second change keeps the law, not the first setting, as the recorded origin.
    again = customise(stricter, {"approval-area": ("9/10", ">=")})
    [change] = again.changes
    assert change.old_fraction == Fraction(3, 4)


@pytest.mark.parametrize(
    ("rule", "key", "override"),
    [
        # Down from the local 2/3, to or above the branch regulation's floor.
        (PARTY_MEMBERS_MEETING, "quorum-present", ("1/2", ">")),
        (PARTY_MEMBERS_MEETING, "quorum-present", ("1/2", ">=")),
        (PARTY_MEMBERS_MEETING, "quorum-present", ("3/5", ">=")),
    ],
)
def test_local_rules_may_be_loosened_to_their_floor_and_it_is_recorded(
    rule, key, override
) -> None:
    changed = customise(rule, {key: override})
    [change] = changed.changes
    assert change.loosens
    assert "loosened" in change.describe()
    assert changed.condition(key).fraction == Fraction(override[0])


def test_local_loosening_changes_outcomes() -> None:
    values = {"members": 9, "present": 5, "yes": 5}
    assert not evaluate(PARTY_MEMBERS_MEETING, values).passed
    relaxed = customise(PARTY_MEMBERS_MEETING, {"quorum-present": ("1/2", ">")})
    assert evaluate(relaxed, values).passed


@pytest.mark.parametrize(
    "override",
    [
        ("3/2", ">="),  # above 1
        ("1/1", ">"),  # can never be met
        (0.75, ">="),  # float
        ("3/4", "=>"),  # not a comparator
        {"fraction": "3/4", "mode": "strict"},  # unknown field
        "3/4",  # not an override
    ],
)
def test_malformed_overrides_are_refused(override) -> None:
    with pytest.raises(InvalidOverride):
        customise(CIVIL_CODE_278_MAJOR, {"approval-area": override})


def test_unknown_condition_is_refused() -> None:
    with pytest.raises(InvalidOverride, match="approval-area"):
        customise(CIVIL_CODE_278_MAJOR, {"approval-volume": ("4/5", ">=")})
