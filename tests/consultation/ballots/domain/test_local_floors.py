"""Issue 9 item 5: local and unverified rules are tightened freely, loosened only
down to a stated floor; the party members' meeting's floor is the Party's branch
regulation, an election needs more than 4/5 present; the 2025 residents' meeting
placeholder is not loosened below the 2018 rule."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from consultation.ballots.domain.floors import (
    FloorViolation,
    customise,
    is_at_least_as_strict,
)
from consultation.ballots.domain.rules import (
    PARTY_MEMBERS_ELECTION_2020,
    PARTY_MEMBERS_MEETING,
    RESIDENTS_MEETING_2018,
    RESIDENTS_MEETING_2025,
    RESIDENTS_REPRESENTATIVES_MEETING,
    VILLAGERS_MEETING_2026,
    VILLAGERS_REPRESENTATIVES_2026,
    Comparator,
    RuleError,
    RuleKind,
    StatedFloor,
    StatusTag,
    all_rules,
    evaluate,
)

GE, GT = Comparator.GE, Comparator.GT
comparators = st.sampled_from([GE, GT])
fractions = st.fractions(min_value=0, max_value=1, max_denominator=12)
BRANCH = "《中国共产党支部工作条例（试行）》第十一条"


def _valid(fraction: Fraction, comparator: Comparator) -> Comparator:
    return GE if fraction == 1 else comparator


def test_every_local_or_unverified_decision_rule_states_a_floor_per_condition():
    for rule in all_rules():
        if rule.status_tag.is_floor or rule.kind is not RuleKind.DECISION:
            assert rule.floors == (), rule.id
            continue
        keys = {condition.key for condition in rule.conditions()}
        assert {floor.key for floor in rule.floors} == keys, rule.id
        for floor in rule.floors:
            assert floor.source.startswith("《"), rule.id
            assert floor.status_tag.is_floor, rule.id


@given(fraction=fractions, comparator=comparators)
@example(fraction=Fraction(1, 2), comparator=GE)  # "半数以上": the floor itself
@example(fraction=Fraction(1, 2), comparator=GT)
@example(fraction=Fraction(5, 11), comparator=GT)
def test_party_meeting_quorum_moves_freely_down_to_half_present(
    fraction: Fraction, comparator: Comparator
) -> None:
    comparator = _valid(fraction, comparator)
    allowed = fraction > Fraction(1, 2) or fraction == Fraction(1, 2)
    override = {"quorum-present": (fraction, comparator)}
    if not allowed:
        with pytest.raises(FloorViolation) as raised:
            customise(PARTY_MEMBERS_MEETING, override)
        assert BRANCH in raised.value.message_zh
        assert "Regulation on the Work of CPC Branches" in raised.value.message_en
        return
    changed = customise(PARTY_MEMBERS_MEETING, override)
    assert changed.condition("quorum-present").fraction == fraction
    [*changes] = changed.changes
    loosened = not is_at_least_as_strict(fraction, comparator, Fraction(2, 3), GE)
    assert all(change.loosens == loosened for change in changes)


@given(fraction=fractions, comparator=comparators)
@example(fraction=Fraction(1, 2), comparator=GE)
def test_party_meeting_approval_never_below_more_than_half_of_members(
    fraction: Fraction, comparator: Comparator
) -> None:
    comparator = _valid(fraction, comparator)
    override = {"approval-yes": (fraction, comparator)}
    if is_at_least_as_strict(fraction, comparator, Fraction(1, 2), GT):
        assert customise(PARTY_MEMBERS_MEETING, override).condition("approval-yes")
    else:
        with pytest.raises(FloorViolation, match="第十一条"):
            customise(PARTY_MEMBERS_MEETING, override)


def _tally(members: int, data) -> dict[str, int]:
    present = data.draw(st.integers(0, members))
    return {
        "members": members,
        "present": present,
        "yes": data.draw(st.integers(0, present)),
    }


@given(members=st.integers(1, 300), fraction=fractions, data=st.data())
def test_a_loosened_party_rule_never_passes_what_the_floor_fails(
    members: int, fraction: Fraction, data
) -> None:
    if fraction < Fraction(1, 2):
        fraction = Fraction(1, 2)
    loosened = customise(PARTY_MEMBERS_MEETING, {"quorum-present": (fraction, ">=")})
    values = _tally(members, data)
    if evaluate(loosened, values).passed:
        present, yes = values["present"], values["yes"]
        assert 2 * present >= members  # 半数以上有表决权的党员到会
        assert 2 * yes > members  # 超过应到会有表决权的党员的半数


def test_party_meeting_default_and_floor_at_the_boundaries() -> None:
    # 10 members with a vote: the local default wants 7 present (2/3 以上 = 6.67).
    assert not evaluate(
        PARTY_MEMBERS_MEETING, {"members": 10, "present": 6, "yes": 6}
    ).passed
    at_floor = customise(PARTY_MEMBERS_MEETING, {"quorum-present": ("1/2", ">=")})
    assert evaluate(at_floor, {"members": 10, "present": 5, "yes": 5}).quorum_met
    # 5 agree of 10 expected is half, not more than half.
    assert not evaluate(at_floor, {"members": 10, "present": 5, "yes": 5}).passed
    assert evaluate(at_floor, {"members": 10, "present": 6, "yes": 6}).passed


@given(members=st.integers(1, 500), data=st.data())
@example(members=10, data=None)
def test_party_election_needs_more_than_four_fifths_present(members: int, data) -> None:
    if data is None:
        values = {"members": 10, "present": 8, "yes": 8}  # exactly 4/5: not enough
    else:
        values = _tally(members, data)
    result = evaluate(PARTY_MEMBERS_ELECTION_2020, values)
    present, yes = values["present"], values["yes"]
    assert result.quorum_met == (5 * present > 4 * values["members"])
    assert result.passed == (5 * present > 4 * values["members"] and 2 * yes > present)


def test_party_election_boundaries_and_tags() -> None:
    rule = PARTY_MEMBERS_ELECTION_2020
    assert evaluate(rule, {"members": 10, "present": 9, "yes": 5}).passed
    assert not evaluate(rule, {"members": 10, "present": 9, "yes": 4}).passed
    assert not evaluate(rule, {"members": 10, "present": 8, "yes": 8}).quorum_met
    assert rule.status_tag is StatusTag.NAT_NORM
    assert rule.needs_legal_review  # article numbers of the 2020 text unread
    assert "选举工作条例" in rule.source
    # The election's attendance is higher than the ordinary meeting's floor.
    ordinary = PARTY_MEMBERS_MEETING.stated_floor("quorum-present")
    assert rule.condition("quorum-present").fraction > ordinary.fraction


def test_party_election_is_its_own_floor() -> None:
    with pytest.raises(FloorViolation, match="选举工作条例"):
        customise(PARTY_MEMBERS_ELECTION_2020, {"quorum-present": ("4/5", ">=")})
    tighter = customise(PARTY_MEMBERS_ELECTION_2020, {"quorum-present": ("9/10", ">=")})
    assert not tighter.changes[0].loosens


@given(
    fraction=fractions,
    comparator=comparators,
    key=st.sampled_from(["quorum-present", "approval-yes"]),
)
@example(fraction=Fraction(1, 2), comparator=GE, key="quorum-present")
@example(fraction=Fraction(1, 2), comparator=GT, key="quorum-present")
def test_residents_meeting_2025_not_loosened_below_the_2018_rule(
    fraction: Fraction, comparator: Comparator, key: str
) -> None:
    comparator = _valid(fraction, comparator)
    override = {key: (fraction, comparator)}
    if is_at_least_as_strict(fraction, comparator, Fraction(1, 2), GT):
        changed = customise(RESIDENTS_MEETING_2025, override)
        assert not any(change.loosens for change in changed.changes)
        return
    with pytest.raises(FloorViolation) as raised:
        customise(RESIDENTS_MEETING_2025, override)
    assert "2018年修正" in raised.value.message_zh
    assert "第九条" in raised.value.message_zh
    assert "as amended 2018" in raised.value.message_en


@given(members=st.integers(1, 400), data=st.data())
def test_a_tightened_2025_meeting_never_passes_what_2018_fails(
    members: int, data
) -> None:
    fraction = data.draw(
        st.fractions(min_value=Fraction(1, 2), max_value=1, max_denominator=10)
    )
    comparator = GT if fraction == Fraction(1, 2) else GE
    stricter = customise(
        RESIDENTS_MEETING_2025, {"quorum-present": (fraction, comparator)}
    )
    present = data.draw(st.integers(0, members))
    values = {
        "constituency": members,
        "present": present,
        "yes": data.draw(st.integers(0, present)),
    }
    if evaluate(stricter, values).passed:
        assert evaluate(RESIDENTS_MEETING_2018, values).passed


@pytest.mark.parametrize(
    ("rule", "key", "override", "law"),
    [
        (
            RESIDENTS_REPRESENTATIVES_MEETING,
            "quorum-present",
            ("3/5", ">="),
            "第二十六条",
        ),
        (
            RESIDENTS_REPRESENTATIVES_MEETING,
            "approval-yes",
            ("1/2", ">="),
            "第二十六条",
        ),
        (VILLAGERS_MEETING_2026, "quorum-households", ("3/5", ">="), "第二十二条"),
        (VILLAGERS_REPRESENTATIVES_2026, "quorum-present", ("1/2", ">"), "第二十六条"),
    ],
)
def test_unverified_placeholders_are_not_loosened_below_their_analogue(
    rule, key, override, law
):
    with pytest.raises(FloorViolation, match=law):
        customise(rule, {key: override})
    assert customise(rule, {key: ("4/5", ">=")}).condition(key).fraction == Fraction(
        4, 5
    )


def test_a_rule_whose_default_is_below_its_stated_floor_is_refused() -> None:
    import dataclasses

    floor = StatedFloor(
        "quorum-present", Fraction(3, 4), GE, "《某法》", "a law", StatusTag.NAT_LAW
    )
    with pytest.raises(RuleError, match="below its floor"):
        dataclasses.replace(PARTY_MEMBERS_MEETING, floors=(floor,))
    with pytest.raises(RuleError, match="only local"):
        dataclasses.replace(RESIDENTS_MEETING_2018, floors=(floor,))


def test_setting_limits_read_as_the_law_for_staff() -> None:
    from consultation.ballots.domain.floors import setting_limits_zh
    from consultation.ballots.domain.rules import (
        CIVIL_CODE_279,
        OWNERS_EXTRAORDINARY_MEETING,
    )

    party = setting_limits_zh(PARTY_MEMBERS_MEETING)
    assert "须达二分之一以上" in party
    assert "须过半数" in party
    assert BRANCH in party
    assert "需法律审核" in party
    assert "只能降低" in setting_limits_zh(OWNERS_EXTRAORDINARY_MEETING)
    assert "不可更改" in setting_limits_zh(CIVIL_CODE_279)
    assert "只能提高" in setting_limits_zh(RESIDENTS_MEETING_2018)
