"""The rule registry, date-based selection, and every body's rule (RULES.md §1–§3)."""

from __future__ import annotations

import dataclasses
import itertools
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consultation.ballots.domain import rules
from consultation.ballots.domain.rules import (
    CIVIL_CODE_278_MAJOR,
    CIVIL_CODE_278_ORDINARY,
    FAMILIES,
    OWNERS_COMMITTEE,
    PARTY_MEMBERS_MEETING,
    PROPERTY_REGULATION_12_LEGACY,
    PROPERTY_REGULATION_12_LEGACY_MAJOR,
    RESIDENTS_MEETING_2018,
    RESIDENTS_MEETING_2025,
    RULES_BY_ID,
    Comparator,
    InvalidValues,
    NoRuleInForce,
    RuleError,
    RuleNotInForce,
    StatusTag,
    UnknownRule,
    all_rules,
    decide,
    evaluate,
    get_rule,
    lookup,
    rule_for,
)

REQUIRED_IDS = {
    "civil-code-278-ordinary",
    "civil-code-278-major",
    "residents-meeting-2018",
    "residents-meeting-2025",
    "owners-committee",
    "party-members-meeting",
    "property-regulation-12-legacy",
}


# --- registry and metadata ------------------------------------------------------------


def test_every_required_rule_is_registered() -> None:
    assert set(RULES_BY_ID) >= REQUIRED_IDS
    assert {rule.id for rule in all_rules()} == set(RULES_BY_ID)
    for rule_id in REQUIRED_IDS:
        assert get_rule(rule_id).id == rule_id


@pytest.mark.parametrize(
    ("rule", "tag", "review", "law"),
    [
        (CIVIL_CODE_278_ORDINARY, StatusTag.NAT_LAW, False, "《民法典》第二百七十八条"),
        (CIVIL_CODE_278_MAJOR, StatusTag.NAT_LAW, False, "《民法典》第二百七十八条"),
        (
            PROPERTY_REGULATION_12_LEGACY,
            StatusTag.NAT_LAW,
            False,
            "《物业管理条例》第十二条",
        ),
        (
            PROPERTY_REGULATION_12_LEGACY_MAJOR,
            StatusTag.NAT_LAW,
            False,
            "《物业管理条例》第十二条",
        ),
        (
            RESIDENTS_MEETING_2018,
            StatusTag.NAT_LAW,
            False,
            "《城市居民委员会组织法》第九条",
        ),
        (RESIDENTS_MEETING_2025, StatusTag.UNVERIFIED, True, "2025年修订"),
        (
            OWNERS_COMMITTEE,
            StatusTag.NAT_NORM,
            True,
            "《业主大会和业主委员会指导规则》",
        ),
        (PARTY_MEMBERS_MEETING, StatusTag.LOCAL, True, "四议两公开"),
    ],
)
def test_rule_metadata(rule, tag: StatusTag, review: bool, law: str) -> None:
    assert rule.status_tag is tag
    assert rule.needs_legal_review is review
    assert law in rule.law
    assert rule.source
    assert rule.article
    assert rule.source_en
    assert rule.article_en


def test_rules_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        CIVIL_CODE_278_MAJOR.status_tag = StatusTag.LOCAL  # type: ignore[misc]


def test_family_versions_never_overlap_and_leave_no_gap() -> None:
    for versions in FAMILIES.values():
        for earlier, later in itertools.pairwise(versions):
            assert earlier.effective_to is not None
            assert earlier.effective_to + timedelta(days=1) == later.effective_from
        assert versions[-1].effective_to is None  # a current version exists


def test_overlapping_versions_are_refused() -> None:
    clash = dataclasses.replace(RESIDENTS_MEETING_2025, id="clash")
    widened = dataclasses.replace(RESIDENTS_MEETING_2018, effective_to=date(2026, 6, 1))
    with pytest.raises(RuleError, match="overlaps"):
        rules.registry.build_registry((widened, clash))


# --- date-based selection -------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "day", "expected"),
    [
        ("residents-meeting", date(2025, 12, 31), "residents-meeting-2018"),
        ("residents-meeting", date(2026, 1, 1), "residents-meeting-2025"),
        ("residents-meeting", date(1990, 1, 1), "residents-meeting-2018"),
        ("owners-ordinary", date(2020, 12, 31), "property-regulation-12-legacy"),
        ("owners-ordinary", date(2021, 1, 1), "civil-code-278-ordinary"),
        ("owners-major", date(2020, 12, 31), "property-regulation-12-legacy-major"),
        ("owners-major", date(2021, 1, 1), "civil-code-278-major"),
        ("owners-major", date(2007, 10, 1), "property-regulation-12-legacy-major"),
        ("owners-committee", date(2030, 1, 1), "owners-committee"),
        ("party-members-meeting", date(2026, 11, 28), "party-members-meeting"),
    ],
)
def test_rule_for_picks_the_version_in_force(
    family: str, day: date, expected: str
) -> None:
    assert rule_for(family, day).id == expected


@pytest.mark.parametrize(
    ("family", "day"),
    [
        ("owners-ordinary", date(2007, 9, 30)),
        ("residents-meeting", date(1989, 12, 31)),
        ("owners-committee", date(2009, 12, 31)),
    ],
)
def test_rule_for_refuses_dates_before_any_version(family: str, day: date) -> None:
    with pytest.raises(NoRuleInForce, match=day.isoformat()):
        rule_for(family, day)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_residents_meeting_switches_on_2026_01_01(day: date) -> None:
    expected = (
        "residents-meeting-2018"
        if day < date(2026, 1, 1)
        else ("residents-meeting-2025")
    )
    assert rule_for("residents-meeting", day).id == expected


def test_unknown_names_are_refused() -> None:
    with pytest.raises(UnknownRule):
        rule_for("no-such-meeting", date(2025, 1, 1))
    with pytest.raises(UnknownRule):
        get_rule("no-such-meeting")
    with pytest.raises(UnknownRule):
        lookup("no-such-meeting", date(2025, 1, 1))
    assert issubclass(UnknownRule, ValueError)


def test_lookup_pins_rule_ids_and_dates_families() -> None:
    late = date(2026, 3, 1)
    assert lookup("residents-meeting-2018", date(2025, 12, 31)) is (
        RESIDENTS_MEETING_2018
    )
    assert lookup("residents-meeting", late) is RESIDENTS_MEETING_2025
    assert not RESIDENTS_MEETING_2018.in_force_on(late)


def test_lookup_refuses_a_superseded_rule_id_naming_the_rule_in_force() -> None:
    with pytest.raises(RuleNotInForce) as raised:
        lookup("residents-meeting-2018", date(2026, 3, 1))
    assert raised.value.in_force is RESIDENTS_MEETING_2025
    assert "residents-meeting-2025" in str(raised.value)
    assert "已失效" in str(raised.value)
    assert "superseded" in str(raised.value)
    assert isinstance(raised.value, NoRuleInForce)


def test_lookup_refuses_a_rule_id_not_yet_in_force() -> None:
    with pytest.raises(RuleNotInForce) as raised:
        lookup("civil-code-278-ordinary", date(2020, 12, 31))
    assert raised.value.in_force.id == "property-regulation-12-legacy"
    assert "尚未生效" in str(raised.value)
    assert "not yet in force" in str(raised.value)


def test_decide_uses_the_rule_of_the_decision_date() -> None:
    values = {"constituency": 100, "present": 51, "yes": 26}
    assert decide("residents-meeting", date(2025, 12, 31), values).rule.id == (
        "residents-meeting-2018"
    )
    assert decide("residents-meeting", date(2026, 1, 1), values).rule.id == (
        "residents-meeting-2025"
    )
    # A 2019 owners' decision with 60% taking part met the old >1/2 quorum of
    # 物业管理条例 Art. 12 but would miss the Civil Code's 2/3.
    owners = {
        "total_area": 1000,
        "total_owners": 10,
        "participating_area": 600,
        "participating_owners": 6,
        "yes_area": 600,
        "yes_owners": 6,
    }
    assert decide("owners-ordinary", date(2019, 6, 1), owners).passed
    assert not decide("owners-ordinary", date(2021, 6, 1), owners).passed


# --- residents' meeting (居组法 Art. 9) -----------------------------------------------


@st.composite
def meetings(draw: st.DrawFn) -> dict[str, int]:
    constituency = draw(st.integers(min_value=0, max_value=10_000))
    present = draw(
        st.one_of(
            st.integers(min_value=0, max_value=constituency),
            st.sampled_from(
                [max(0, min(constituency, constituency // 2 + d)) for d in (0, 1)]
                + [
                    max(0, min(constituency, -(-2 * constituency // 3) + d))
                    for d in (-1, 0, 1)
                ]
            ),
        )
    )
    yes = draw(
        st.one_of(
            st.integers(min_value=0, max_value=present),
            st.sampled_from([min(present, present // 2 + d) for d in (0, 1)]),
            st.sampled_from(
                [max(0, min(present, constituency // 2 + d)) for d in (0, 1)]
            ),
        )
    )
    return {"constituency": constituency, "present": present, "yes": yes}


def _more_than_half(part: int, whole: int) -> bool:
    return whole > 0 and Fraction(part, whole) > Fraction(1, 2)


@given(meetings())
@example({"constituency": 100, "present": 50, "yes": 50})
@example({"constituency": 100, "present": 51, "yes": 25})
@example({"constituency": 100, "present": 51, "yes": 26})
@example({"constituency": 101, "present": 51, "yes": 26})
@example({"constituency": 0, "present": 0, "yes": 0})
def test_residents_meeting_2018_matches_article_9(values: dict[str, int]) -> None:
    quorum = _more_than_half(values["present"], values["constituency"])
    approval = _more_than_half(values["yes"], values["present"])
    result = evaluate(RESIDENTS_MEETING_2018, values)
    assert (result.quorum_met, result.passed) == (quorum, quorum and approval)


@pytest.mark.parametrize(
    ("values", "quorum_met", "passed"),
    [
        ({"constituency": 100, "present": 50, "yes": 50}, False, False),
        ({"constituency": 100, "present": 51, "yes": 25}, True, False),
        ({"constituency": 100, "present": 51, "yes": 26}, True, True),
        ({"constituency": 100, "present": 52, "yes": 26}, True, False),
    ],
)
def test_residents_meeting_boundaries(
    values: dict[str, int], quorum_met: bool, passed: bool
) -> None:
    for rule in (RESIDENTS_MEETING_2018, RESIDENTS_MEETING_2025):
        result = evaluate(rule, values)
        assert (result.quorum_met, result.passed) == (quorum_met, passed)


def test_residents_meeting_2025_defaults_to_the_2018_numbers() -> None:
    def numbers(rule):
        return [
            (c.key, c.numerator, c.denominator, c.fraction, c.comparator)
            for c in rule.conditions()
        ]

    assert numbers(RESIDENTS_MEETING_2025) == numbers(RESIDENTS_MEETING_2018)
    assert RESIDENTS_MEETING_2025.effective_from == date(2026, 1, 1)
    assert RESIDENTS_MEETING_2018.effective_to == date(2025, 12, 31)


# --- owners' committee and party members' meeting -------------------------------------


@given(meetings())
@example({"constituency": 6, "present": 3, "yes": 3})
@example({"constituency": 7, "present": 4, "yes": 3})
@example({"constituency": 7, "present": 4, "yes": 4})
@example({"constituency": 6, "present": 4, "yes": 3})
def test_owners_committee_matches_guidance_rules(values: dict[str, int]) -> None:
    members = values["constituency"]
    tally = {"members": members, "present": values["present"], "yes": values["yes"]}
    quorum = _more_than_half(tally["present"], members)
    approval = members > 0 and Fraction(tally["yes"], members) >= Fraction(1, 2)
    result = evaluate(OWNERS_COMMITTEE, tally)
    assert (result.quorum_met, result.passed) == (quorum, quorum and approval)


def test_owners_committee_half_of_all_members_is_enough() -> None:
    # 6 members, 4 present, 3 agree: "全体委员半数以上同意" is met by exactly half.
    result = evaluate(OWNERS_COMMITTEE, {"members": 6, "present": 4, "yes": 3})
    assert result.passed
    assert result.condition("approval-yes").comparator is Comparator.GE
    # The denominator is ALL members, not those present: 3 of 7 fails even though
    # 3 of the 4 present agreed.
    assert not evaluate(OWNERS_COMMITTEE, {"members": 7, "present": 4, "yes": 3}).passed


@given(meetings())
@example({"constituency": 9, "present": 6, "yes": 5})
@example({"constituency": 9, "present": 5, "yes": 5})
@example({"constituency": 10, "present": 7, "yes": 5})
@example({"constituency": 10, "present": 7, "yes": 6})
def test_party_members_meeting_matches_local_practice(values: dict[str, int]) -> None:
    members = values["constituency"]
    tally = {"members": members, "present": values["present"], "yes": values["yes"]}
    quorum = members > 0 and Fraction(tally["present"], members) >= Fraction(2, 3)
    approval = _more_than_half(tally["yes"], members)
    result = evaluate(PARTY_MEMBERS_MEETING, tally)
    assert (result.quorum_met, result.passed) == (quorum, quorum and approval)


def test_party_members_meeting_boundaries() -> None:
    assert evaluate(
        PARTY_MEMBERS_MEETING, {"members": 9, "present": 6, "yes": 5}
    ).passed
    # 5 of 9 present is below 2/3.
    assert not evaluate(
        PARTY_MEMBERS_MEETING, {"members": 9, "present": 5, "yes": 5}
    ).quorum_met
    # 5 of 10 expected is not more than half, even with 5 of 7 present agreeing.
    assert not evaluate(
        PARTY_MEMBERS_MEETING, {"members": 10, "present": 7, "yes": 5}
    ).passed


# --- input validation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"constituency": -1, "present": 0, "yes": 0}, "negative"),
        ({"constituency": 10, "present": 11, "yes": 0}, "present .* exceeds"),
        ({"constituency": 10, "present": 5, "yes": 6}, "yes .* exceeds"),
        ({"constituency": 10, "present": 5}, "missing"),
        ({"constituency": 10, "present": 5, "yes": 1, "no": 4}, "unknown"),
        ({"constituency": 10.0, "present": 5, "yes": 1}, "integer"),
        ({"constituency": True, "present": 1, "yes": 1}, "integer"),
        ({"constituency": "10", "present": 5, "yes": 1}, "integer"),
    ],
)
def test_invalid_values_raise_a_value_error(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValues, match=message):
        evaluate(RESIDENTS_MEETING_2018, values)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("total_area", -1, "negative"),
        ("participating_owners", 11, "participating_owners .* exceeds total_owners"),
        ("yes_area", 701, "yes_area .* exceeds participating_area"),
        ("yes_owners", 8, "yes_owners .* exceeds participating_owners"),
    ],
)
def test_invalid_owner_tallies(field: str, value: int, message: str) -> None:
    values = {
        "total_area": 1000,
        "total_owners": 10,
        "participating_area": 700,
        "participating_owners": 7,
        "yes_area": 600,
        "yes_owners": 6,
    } | {field: value}
    with pytest.raises(ValueError, match=message):
        evaluate(CIVIL_CODE_278_MAJOR, values)


def test_silent_owners_option_is_refused_outside_owners_decisions() -> None:
    with pytest.raises(RuleError, match="silent"):
        evaluate(
            RESIDENTS_MEETING_2018,
            {"constituency": 10, "present": 6, "yes": 4},
            count_silent_owners_with_majority=True,
        )
