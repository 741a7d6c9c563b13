"""Issue 9 item 7 (rest): convening thresholds (居组法 第十条 and its 2025 revision,
物业管理条例 第十三条) — lowered freely, never raised — and 民法典 第二百七十九条
(unanimity of the interested owners), at their boundaries ("以上" is ≥)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consultation.ballots.domain.floors import (
    CeilingViolation,
    FloorViolation,
    customise,
    is_at_least_as_strict,
)
from consultation.ballots.domain.rules import (
    CIVIL_CODE_279,
    OWNERS_EXTRAORDINARY_MEETING,
    RESIDENTS_MEETING_CONVENING_2018,
    RESIDENTS_MEETING_CONVENING_2025,
    Comparator,
    InvalidValues,
    RuleKind,
    RuleNotInForce,
    StatusTag,
    choose_rule,
    evaluate,
    lookup,
    rule_for,
)
from consultation.ballots.domain.wording import decision_wording

GE, GT = Comparator.GE, Comparator.GT
SHANGHAI = ZoneInfo("Asia/Shanghai")
FAMILY = "residents-meeting-convening"
sizes = st.integers(min_value=0, max_value=3000)


def _draw_residents(data, *, representatives: bool) -> dict[str, int]:
    values: dict[str, int] = {}
    pairs = [
        ("adult_residents", "proposing_residents"),
        ("resident_households", "proposing_households"),
        ("resident_groups", "proposing_groups"),
    ]
    if representatives:
        pairs.append(("representatives", "proposing_representatives"))
    for whole, part in pairs:
        values[whole] = data.draw(sizes)
        values[part] = data.draw(st.integers(0, values[whole]))
    return values


def _residents(ar=0, pr=0, hh=0, ph=0, groups=0, pg=0, **more) -> dict[str, int]:
    return {
        "adult_residents": ar,
        "proposing_residents": pr,
        "resident_households": hh,
        "proposing_households": ph,
        "resident_groups": groups,
        "proposing_groups": pg,
        **more,
    }


@given(data=st.data())
def test_2018_any_one_of_three_routes_obliges_convening(data) -> None:
    v = _draw_residents(data, representatives=False)
    result = evaluate(RESIDENTS_MEETING_CONVENING_2018, v)

    def route(part: str, whole: str, q: int) -> bool:
        return v[whole] > 0 and q * v[part] >= v[whole]

    assert result.passed == (
        route("proposing_residents", "adult_residents", 5)
        or route("proposing_households", "resident_households", 5)
        or route("proposing_groups", "resident_groups", 3)
    )
    assert result.quorum_met  # no quorum: a proposal is not a meeting


def test_2018_boundaries_exactly() -> None:
    rule = RESIDENTS_MEETING_CONVENING_2018
    assert evaluate(rule, _residents(ar=1000, pr=200)).passed  # exactly 1/5: 以上
    assert not evaluate(rule, _residents(ar=1000, pr=199)).passed
    assert evaluate(rule, _residents(hh=400, ph=80)).passed
    assert not evaluate(rule, _residents(hh=400, ph=79)).passed
    assert evaluate(rule, _residents(groups=9, pg=3)).passed  # exactly 1/3
    assert not evaluate(rule, _residents(groups=9, pg=2)).passed
    assert rule.status_tag is StatusTag.NAT_LAW
    assert not rule.needs_legal_review
    assert rule.article == "第十条第一款"
    assert rule.kind is RuleKind.CONVENING


@given(data=st.data())
def test_2025_placeholder_tenth_of_residents_or_households_third_of_reps_or_groups(
    data,
) -> None:
    v = _draw_residents(data, representatives=True)

    def route(part: str, whole: str, q: int) -> bool:
        return v[whole] > 0 and q * v[part] >= v[whole]

    assert evaluate(RESIDENTS_MEETING_CONVENING_2025, v).passed == (
        route("proposing_residents", "adult_residents", 10)
        or route("proposing_households", "resident_households", 10)
        or route("proposing_groups", "resident_groups", 3)
        or route("proposing_representatives", "representatives", 3)
    )


@given(data=st.data())
def test_the_2025_placeholder_is_never_harder_than_2018(data) -> None:
    v = _draw_residents(data, representatives=False)
    if evaluate(RESIDENTS_MEETING_CONVENING_2018, v).passed:
        v |= {"representatives": 0, "proposing_representatives": 0}
        assert evaluate(RESIDENTS_MEETING_CONVENING_2025, v).passed


def test_2025_placeholder_is_flagged() -> None:
    rule = RESIDENTS_MEETING_CONVENING_2025
    assert rule.status_tag is StatusTag.UNVERIFIED
    assert rule.needs_legal_review
    assert rule.condition("proposal-residents").fraction == Fraction(1, 10)
    values = _residents(ar=1000, pr=100, representatives=0, proposing_representatives=0)
    assert evaluate(rule, values).passed
    assert not evaluate(
        RESIDENTS_MEETING_CONVENING_2018, _residents(ar=1000, pr=100)
    ).passed


@pytest.mark.parametrize(
    ("instant", "expected"),
    [
        (
            datetime(2025, 12, 31, 15, 59, 59, tzinfo=UTC),
            RESIDENTS_MEETING_CONVENING_2018,
        ),
        # 2026-01-01 00:00 in Asia/Shanghai is still 2025-12-31 in UTC.
        (
            datetime(2025, 12, 31, 16, 0, 0, tzinfo=UTC),
            RESIDENTS_MEETING_CONVENING_2025,
        ),
    ],
)
def test_the_switch_is_at_2026_01_01_in_shanghai(instant, expected) -> None:
    day = instant.astimezone(SHANGHAI).date()
    assert rule_for(FAMILY, day) is expected
    assert choose_rule(FAMILY, day).rule is expected


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_versions_by_date(day: date) -> None:
    expected = (
        RESIDENTS_MEETING_CONVENING_2018
        if day < date(2026, 1, 1)
        else RESIDENTS_MEETING_CONVENING_2025
    )
    assert rule_for(FAMILY, day) is expected
    other = (
        {RESIDENTS_MEETING_CONVENING_2018, RESIDENTS_MEETING_CONVENING_2025}
        - {expected}
    ).pop()
    with pytest.raises(RuleNotInForce, match=expected.id):
        lookup(other.id, day)


def test_a_proposal_open_across_the_effective_date_is_flagged() -> None:
    choice = choose_rule(
        "residents-meeting-convening-2018",
        date(2026, 1, 5),
        opened_on=date(2025, 12, 20),
    )
    assert choice.rule is RESIDENTS_MEETING_CONVENING_2025
    assert choice.spans_effective_date


# --- a convening threshold may be lowered, never raised -------------------------

fractions = st.fractions(min_value=0, max_value=1, max_denominator=12)
comparators = st.sampled_from([GE, GT])
CEILINGS = [
    (RESIDENTS_MEETING_CONVENING_2018, "proposal-residents"),
    (RESIDENTS_MEETING_CONVENING_2018, "proposal-groups"),
    (RESIDENTS_MEETING_CONVENING_2025, "proposal-residents"),
    (RESIDENTS_MEETING_CONVENING_2025, "proposal-representatives"),
    (OWNERS_EXTRAORDINARY_MEETING, "proposal-owners"),
]


@pytest.mark.parametrize(("rule", "key"), CEILINGS)
@given(fraction=fractions, comparator=comparators)
@example(fraction=Fraction(1, 5), comparator=GT)
@example(fraction=Fraction(1, 10), comparator=GT)
def test_lowering_is_allowed_raising_is_refused(
    rule, key, fraction, comparator
) -> None:
    if fraction == 1:
        comparator = GE
    law = rule.condition(key)
    override = {key: (fraction, comparator)}
    if is_at_least_as_strict(law.fraction, law.comparator, fraction, comparator):
        changed = customise(rule, override)
        assert changed.condition(key).fraction == fraction
        return
    with pytest.raises(CeilingViolation) as raised:
        customise(rule, override)
    error = raised.value
    assert "只能降低" in error.message_zh
    assert rule.law in error.message_zh
    assert "may be lowered, never raised" in error.message_en
    assert not isinstance(error, FloorViolation)


def test_the_2025_placeholder_is_its_own_ceiling_not_the_2018_value() -> None:
    with pytest.raises(CeilingViolation):
        customise(
            RESIDENTS_MEETING_CONVENING_2025, {"proposal-residents": ("1/5", ">=")}
        )
    assert customise(
        RESIDENTS_MEETING_CONVENING_2018, {"proposal-residents": ("1/10", ">=")}
    )


@given(
    data=st.data(),
    fraction=st.fractions(min_value=0, max_value=Fraction(1, 5), max_denominator=20),
)
def test_a_lowered_threshold_convenes_whenever_the_law_does(data, fraction) -> None:
    lowered = customise(
        RESIDENTS_MEETING_CONVENING_2018, {"proposal-residents": (fraction, ">=")}
    )
    v = _draw_residents(data, representatives=False)
    if evaluate(RESIDENTS_MEETING_CONVENING_2018, v).passed:
        assert evaluate(lowered, v).passed


@given(total=st.integers(1, 5000), data=st.data())
@example(total=10, data=None)
def test_extraordinary_owners_assembly_twenty_percent(total: int, data) -> None:
    proposing = 2 if data is None else data.draw(st.integers(0, total))
    result = evaluate(
        OWNERS_EXTRAORDINARY_MEETING,
        {"total_owners": total, "proposing_owners": proposing},
    )
    assert result.passed == (5 * proposing >= total)  # "20%以上" includes 20%
    assert OWNERS_EXTRAORDINARY_MEETING.law == "《物业管理条例》第十三条"


def test_convening_wording_reads_as_the_law() -> None:
    decision = evaluate(
        RESIDENTS_MEETING_CONVENING_2018,
        _residents(ar=3, pr=0, hh=3, ph=0, groups=3, pg=1),
    ).as_dict()
    assert decision["kind"] == "convening"
    worded = decision_wording(decision, provisional=False)
    groups = worded["conditions"][2]
    # 1/3 is exactly the bound: cut, never rounded, and it holds.
    assert (
        groups["text"]
        == "提议的居民小组数 1个，占居民小组数 33.33%（须达三分之一以上）✓"
    )
    assert groups["role"] == "提议比例"
    assert worded["verdict"] == "提议已达到法定要求，应当召集会议"
    residents = worded["conditions"][0]["text"]
    assert "adult_residents" not in residents
    assert "/" not in residents


# --- 民法典 第二百七十九条: unanimity of the interested owners ---------------------


@given(interested=st.integers(1, 400), data=st.data())
@example(interested=1, data=None)
def test_art_279_passes_only_if_every_interested_owner_consents(
    interested, data
) -> None:
    if data is None:
        consenting, objecting = 1, 0
    else:
        consenting = data.draw(st.integers(0, interested))
        objecting = data.draw(st.integers(0, interested - consenting))
    result = evaluate(
        CIVIL_CODE_279,
        {
            "interested_owners": interested,
            "consenting_owners": consenting,
            "objecting_owners": objecting,
        },
    )
    assert result.passed == (consenting == interested)
    if objecting:
        assert not result.passed  # one objection is enough to refuse


def test_art_279_a_large_majority_is_not_enough() -> None:
    values = {"interested_owners": 100, "consenting_owners": 99, "objecting_owners": 0}
    decision = evaluate(CIVIL_CODE_279, values).as_dict()
    assert not decision["passed"]
    worded = decision_wording(decision, provisional=False)
    assert worded["conditions"][0]["text"] == (
        "同意的有利害关系的业主人数 99人，占有利害关系的业主人数 99.00%（须全部同意）✗"
    )
    assert "0人反对，1人尚未同意" in worded["verdict"]
    assert CIVIL_CODE_279.law == "《民法典》第二百七十九条"
    assert CIVIL_CODE_279.kind is RuleKind.CONSENT


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"interested_owners": 5, "consenting_owners": 4, "objecting_owners": 2},
            "together",
        ),
        (
            {"interested_owners": 5, "consenting_owners": 6, "objecting_owners": 0},
            "exceeds",
        ),
        (
            {"interested_owners": 0, "consenting_owners": 0, "objecting_owners": 0},
            "at least 1",
        ),
    ],
)
def test_art_279_impossible_counts_are_refused(values, message) -> None:
    with pytest.raises(InvalidValues, match=message):
        evaluate(CIVIL_CODE_279, values)


def test_art_279_cannot_be_loosened() -> None:
    with pytest.raises(FloorViolation, match="第二百七十九条"):
        customise(CIVIL_CODE_279, {"consent-all": ("9/10", ">=")})


def test_art_279_dates() -> None:
    assert rule_for("dwelling-to-business", date(2021, 1, 1)) is CIVIL_CODE_279
    assert date(2020, 12, 31) + timedelta(days=1) == CIVIL_CODE_279.effective_from
