"""The exact threshold engine: comparators, nested AND/OR, zero denominators."""

from __future__ import annotations

import dataclasses
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.thresholds import (
    AllOf,
    AnyOf,
    Comparator,
    Condition,
    Role,
    Rule,
    RuleError,
    StatusTag,
    ValueKind,
    ValueSpec,
    evaluate,
    format_fraction,
    parse_fraction,
)

fractions_0_1 = st.fractions(min_value=0, max_value=1, max_denominator=50)


@given(
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=10**12),
    fractions_0_1,
)
def test_comparators_agree_with_fraction_comparison(
    numerator: int, denominator: int, required: Fraction
) -> None:
    if denominator == 0:
        assert not Comparator.GE.holds(numerator, denominator, required)
        assert not Comparator.GT.holds(numerator, denominator, required)
        return
    actual = Fraction(numerator, denominator)
    assert Comparator.GE.holds(numerator, denominator, required) == (actual >= required)
    assert Comparator.GT.holds(numerator, denominator, required) == (actual > required)


def test_zero_denominator_never_holds_even_for_a_zero_fraction() -> None:
    assert not Comparator.GE.holds(0, 0, Fraction(0))
    assert not Comparator.GE.holds(5, 0, Fraction(1, 2))


def test_huge_tallies_stay_exact() -> None:
    # A float would call 2/3 of 3·10^30 + 1 and its neighbour equal.
    total = 3 * 10**30
    assert Comparator.GE.holds(2 * 10**30, total, Fraction(2, 3))
    assert not Comparator.GE.holds(2 * 10**30 - 1, total, Fraction(2, 3))


@pytest.mark.parametrize(
    ("text", "value"),
    [("2/3", Fraction(2, 3)), (" 3 / 4 ", Fraction(3, 4)), ("1", Fraction(1))],
)
def test_parse_fraction(text: str, value: Fraction) -> None:
    assert parse_fraction(text) == value
    assert format_fraction(value) == f"{value.numerator}/{value.denominator}"


@pytest.mark.parametrize("bad", [0.5, "0.5", "1/0", "a/b", True, None, "-1/2"])
def test_parse_fraction_refuses_inexact_or_malformed(bad: object) -> None:
    with pytest.raises(RuleError):
        parse_fraction(bad)  # type: ignore[arg-type]


def test_format_fraction_always_has_a_slash() -> None:
    assert format_fraction(Fraction(1)) == "1/1"
    assert format_fraction(Fraction(0)) == "0/1"
    assert format_fraction(Fraction(4, 6)) == "2/3"


def test_conditions_refuse_impossible_or_float_requirements() -> None:
    common = {"key": "k", "role": Role.QUORUM, "numerator": "a", "denominator": "b"}
    with pytest.raises(TypeError):
        Condition(**common, fraction=0.5, comparator=Comparator.GT)  # type: ignore[arg-type]
    with pytest.raises(RuleError):
        Condition(**common, fraction=Fraction(3, 2), comparator=Comparator.GE)
    with pytest.raises(RuleError):
        Condition(**common, fraction=Fraction(1), comparator=Comparator.GT)
    # Unanimity ("≥ 1/1") is a legitimate requirement (民法典 Art. 279).
    Condition(**common, fraction=Fraction(1), comparator=Comparator.GE)


def _cond(key: str, num: str, den: str, frac: str, cmp: Comparator) -> Condition:
    role = Role.QUORUM if key.startswith("q") else Role.APPROVAL
    return Condition(key, role, num, den, parse_fraction(frac), cmp)


# Rural analogue (村组法 Art. 22) shape: quorum is "> 1/2 of adults" OR "≥ 2/3 of
# household representatives", and the approval nests an AND inside an OR.
NESTED = Rule(
    id="test-nested",
    family="test",
    title_zh="测试",
    title_en="test",
    source="测试",
    source_en="test",
    article="",
    article_en="",
    status_tag=StatusTag.LOCAL,
    needs_legal_review=True,
    effective_from=date(2000, 1, 1),
    effective_to=None,
    inputs=tuple(
        ValueSpec(name, ValueKind.COUNT, name, name)
        for name in ("adults", "adults_present", "households", "reps_present", "yes")
    ),
    bounds=(("adults_present", "adults"), ("reps_present", "households")),
    quorum=AnyOf(
        (
            _cond("q-adults", "adults_present", "adults", "1/2", Comparator.GT),
            _cond("q-reps", "reps_present", "households", "2/3", Comparator.GE),
        )
    ),
    approval=AnyOf(
        (
            _cond("a-all", "yes", "adults", "1/2", Comparator.GT),
            AllOf(
                (
                    _cond("a-present", "yes", "adults_present", "2/3", Comparator.GE),
                    _cond("a-reps", "reps_present", "households", "3/4", Comparator.GE),
                )
            ),
        )
    ),
)


@given(
    st.integers(0, 60).flatmap(
        lambda adults: st.tuples(
            st.just(adults),
            st.integers(0, adults),
            st.integers(0, 30).flatmap(
                lambda h: st.tuples(st.just(h), st.integers(0, h))
            ),
            st.integers(0, 80),
        )
    )
)
def test_nested_and_or_matches_the_boolean_formula(draw) -> None:
    adults, adults_present, (households, reps_present), yes = draw
    values = {
        "adults": adults,
        "adults_present": adults_present,
        "households": households,
        "reps_present": reps_present,
        "yes": yes,
    }

    def ratio(a: int, b: int) -> Fraction | None:
        return Fraction(a, b) if b else None

    def ge(a: int, b: int, f: Fraction) -> bool:
        r = ratio(a, b)
        return r is not None and r >= f

    def gt(a: int, b: int, f: Fraction) -> bool:
        r = ratio(a, b)
        return r is not None and r > f

    quorum = gt(adults_present, adults, Fraction(1, 2)) or ge(
        reps_present, households, Fraction(2, 3)
    )
    approval = gt(yes, adults, Fraction(1, 2)) or (
        ge(yes, adults_present, Fraction(2, 3))
        and ge(reps_present, households, Fraction(3, 4))
    )
    result = evaluate(NESTED, values)
    # Below quorum the approval is not assessed: it is never reported as met.
    assert (result.quorum_met, result.approval_met, result.passed) == (
        quorum,
        quorum and approval,
        quorum and approval,
    )
    # Every leaf is reported, even where OR was already decided.
    assert [c.key for c in result.conditions] == [
        "q-adults",
        "q-reps",
        "a-all",
        "a-present",
        "a-reps",
    ]


def test_logic_strings_show_the_nesting() -> None:
    assert NESTED.quorum.logic() == "(q-adults OR q-reps)"
    assert NESTED.approval.logic() == "(a-all OR (a-present AND a-reps))"


def test_rule_definition_errors() -> None:
    with pytest.raises(RuleError, match="unique"):
        dataclasses.replace(NESTED, approval=NESTED.quorum)
    with pytest.raises(RuleError, match="unknown input"):
        dataclasses.replace(
            NESTED, quorum=_cond("q-x", "nobody", "adults", "1/2", Comparator.GT)
        )
    with pytest.raises(RuleError):
        AllOf(())
    with pytest.raises(RuleError):
        AnyOf(())


def test_evaluation_is_frozen_and_serialisable() -> None:
    result = evaluate(
        NESTED,
        {
            "adults": 10,
            "adults_present": 6,
            "households": 0,
            "reps_present": 0,
            "yes": 6,
        },
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.passed = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.conditions[0].holds = False  # type: ignore[misc]
    data = result.as_dict()
    assert data["passed"] is True
    reps = next(c for c in data["conditions"] if c["key"] == "q-reps")
    assert reps["actual"] is None  # 0 households: no fraction, and it does not hold
    assert reps["holds"] is False
    assert hash(result)  # frozen results can be cached or put in sets
