"""domain/wording.py: decisions read as the law does, with percentages cut."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.rules import RULES_BY_ID
from consultation.ballots.domain.thresholds import Comparator, evaluate
from consultation.ballots.domain.wording import (
    INPUT_NAMES_ZH,
    condition_sentence,
    cut_decimal,
    cut_percent,
    decision_wording,
    fraction_words,
    requirement_words,
)

TWO_THIRDS = Fraction(2, 3)
BARE_FRACTION = re.compile(r"\d+\s*/\s*\d+")
VARIABLE_NAME = re.compile(r"[a-z]+_[a-z]+")


def _shown(percent: str) -> Fraction:
    return Fraction(Decimal(percent.rstrip("%"))) / 100


def _condition(numerator, denominator, required, comparator, holds, **extra):
    return {
        "key": "quorum-area",
        "role": "quorum",
        "numerator_field": "participating_area",
        "denominator_field": "total_area",
        "numerator": numerator,
        "denominator": denominator,
        "required": f"{required.numerator}/{required.denominator}",
        "comparator": comparator,
        "holds": holds,
        **extra,
    }


def test_the_example_reads_as_the_law_does():
    worded = condition_sentence(
        _condition(8968, 1_754_321, TWO_THIRDS, ">=", False),
        {"participating_area": "area_0_01_m2", "total_area": "area_0_01_m2"},
    )
    assert worded["text"] == (
        "参加表决的专有部分面积 89.68㎡，占总面积 0.51%（须达三分之二以上）✗"
    )
    assert worded["exact"] == "89.68㎡ ÷ 17543.21㎡"


@pytest.mark.parametrize(
    ("numerator", "denominator", "shown"),
    [
        (2, 3, "66.66%"),  # exactly 2/3: cut, not rounded to 66.67%
        (1121, 219557, "0.51%"),
        (1, 1, "100.00%"),
        (0, 7, "0.00%"),
        (1, 2, "50.00%"),
        (19999, 30000, "66.66%"),  # 2/3 − 1/30000
        (20001, 30000, "66.67%"),  # 2/3 + 1/30000
    ],
)
def test_cut_percent_examples(numerator, denominator, shown):
    assert cut_percent(numerator, denominator) == shown


def test_nothing_to_divide_by():
    assert cut_percent(0, 0) is None
    worded = condition_sentence(_condition(0, 0, TWO_THIRDS, ">=", False), {})
    assert "无法计算" in worded["text"]
    assert worded["share"] is None


@given(st.integers(0, 10**12), st.integers(1, 10**12))
def test_a_cut_percentage_never_exceeds_the_exact_share(numerator, denominator):
    shown = _shown(cut_percent(numerator, denominator))
    exact = Fraction(numerator, denominator)
    assert shown <= exact < shown + Fraction(1, 10_000)


@given(st.integers(1, 10**9), st.integers(1, 10**6))
def test_just_under_two_thirds_never_reads_as_two_thirds(denominator, epsilon):
    """2/3 − ε (any ε > 0) fails "三分之二以上" and never shows 66.67%."""
    numerator = (2 * denominator - 1) // 3  # the largest share strictly under 2/3
    numerator = max(0, numerator - (epsilon % 3))
    assert not Comparator.GE.holds(numerator, denominator, TWO_THIRDS)
    shown = cut_percent(numerator, denominator)
    assert _shown(shown) < TWO_THIRDS
    assert shown != "66.67%"
    worded = condition_sentence(
        _condition(numerator, denominator, TWO_THIRDS, ">=", False), {}
    )
    assert worded["text"].endswith("（须达三分之二以上）✗")


@given(st.integers(1, 10**9))
def test_exactly_two_thirds_holds_for_ge_and_fails_for_gt(k):
    numerator, denominator = 2 * k, 3 * k
    assert Comparator.GE.holds(numerator, denominator, TWO_THIRDS)
    assert not Comparator.GT.holds(numerator, denominator, TWO_THIRDS)
    assert cut_percent(numerator, denominator) == "66.66%"


@given(st.integers(1, 10**9))
def test_just_over_two_thirds_holds_either_way(denominator):
    numerator = (2 * denominator) // 3 + 1
    if numerator > denominator:
        return
    assert Comparator.GT.holds(numerator, denominator, TWO_THIRDS)
    assert _shown(cut_percent(numerator, denominator)) <= Fraction(
        numerator, denominator
    )


@given(st.integers(1, 10**9))
def test_exactly_half_is_not_a_majority(k):
    """ "过半数" is >: exactly half fails, and reads as 50.00%, 须过半数 ✗."""
    condition = _condition(k, 2 * k, Fraction(1, 2), ">", False)
    condition["holds"] = Comparator.GT.holds(k, 2 * k, Fraction(1, 2))
    worded = condition_sentence(condition, {})
    assert worded["share"] == "50.00%"
    assert worded["text"].endswith("（须过半数）✗")


@given(
    st.integers(0, 10**7),
    st.integers(1, 10**7),
    st.sampled_from([Fraction(1, 2), TWO_THIRDS, Fraction(3, 4), Fraction(1, 5)]),
    st.sampled_from([">=", ">"]),
)
def test_a_failing_condition_never_shows_a_met_share(n, d, required, comparator):
    """Whatever fails shows a share below the threshold (or at it, for ">")."""
    if n > d:
        n, d = d, n
        if d == 0:
            return
    holds = Comparator(comparator).holds(n, d, required)
    shown = _shown(cut_percent(n, d))
    if not holds:
        assert shown < required or (comparator == ">" and shown <= required)
    text = condition_sentence(_condition(n, d, required, comparator, holds), {})["text"]
    assert not BARE_FRACTION.search(text)
    assert not VARIABLE_NAME.search(text)


def test_threshold_words():
    assert fraction_words(TWO_THIRDS) == "三分之二"
    assert fraction_words(Fraction(1, 12)) == "十二分之一"
    assert fraction_words(Fraction(1, 20)) == "二十分之一"
    assert requirement_words(TWO_THIRDS, ">=") == "须达三分之二以上"
    assert requirement_words(Fraction(3, 4), ">=") == "须达四分之三以上"
    assert requirement_words(Fraction(1, 2), ">") == "须过半数"
    assert requirement_words(Fraction(1, 3), ">") == "须超过三分之一"
    assert requirement_words(Fraction(1), ">=") == "须全部同意"


def test_cut_decimal_for_scores():
    assert cut_decimal(Fraction(7, 2)) == "3.50"
    assert cut_decimal(Fraction(2, 3)) == "0.66"


def test_every_rule_input_has_a_chinese_name():
    for rule in RULES_BY_ID.values():
        for name in rule.input_names:
            assert name in INPUT_NAMES_ZH, (rule.id, name)


def _owners_decision(**values):
    rule = RULES_BY_ID["civil-code-278-ordinary"]
    return evaluate(rule, values).as_dict()


def test_open_ballot_verdict_is_provisional_and_closed_is_final():
    decision = _owners_decision(
        total_area=1_754_321,
        total_owners=200,
        participating_area=8968,
        participating_owners=1,
        yes_area=8968,
        yes_owners=1,
    )
    open_ = decision_wording(decision, provisional=True)
    closed = decision_wording(decision, provisional=False)
    assert open_["verdict"].startswith("目前")
    assert "仍在进行" in open_["verdict"]
    assert "法定" in open_["verdict"]
    assert closed["verdict"] == "参加表决的比例未达到法定要求，未通过"
    texts = [c["text"] for c in closed["conditions"]]
    assert texts[0] == (
        "参加表决的专有部分面积 89.68㎡，占总面积 0.51%（须达三分之二以上）✗"
    )
    assert texts[1] == "参加表决人数 1人，占业主总人数 0.50%（须达三分之二以上）✗"
    for text in texts:
        assert not BARE_FRACTION.search(text)
        assert not VARIABLE_NAME.search(text)
    assert decision_wording(None, provisional=True) is None
    assert decision_wording({"error": "x"}, provisional=True)["error"] == "x"
