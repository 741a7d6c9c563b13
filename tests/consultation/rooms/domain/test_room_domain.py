"""The room's limits and quorum (pure): statements, the rate limit, who counts."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.rules import rule_for
from consultation.rooms.domain.limits import (
    ABUSE_REFUSALS,
    ACTIONS_PER_SECOND,
    FRAME_MAX,
    STATEMENT_MAX,
    RateLimiter,
    object_id,
    statement_problem,
    unstorable,
)
from consultation.rooms.domain.quorum import family_for, present_count, quorum

COMMITTEE = rule_for("committee-meeting", date(2026, 12, 3))


def test_statement_bounds():
    assert statement_problem("议" * STATEMENT_MAX) is None
    assert statement_problem("议" * (STATEMENT_MAX + 1))
    assert statement_problem("  ")
    assert statement_problem(None)


def test_frame_admits_an_escaped_statement():
    escaped = 6 * STATEMENT_MAX  # \\uXXXX
    assert escaped + 200 <= FRAME_MAX


@given(st.integers(min_value=1, max_value=200))
def test_actions_per_second(n):
    limiter = RateLimiter()
    allowed = sum(limiter.allow(0.0 + i * 0.001, statement=False) for i in range(n))
    assert allowed == min(n, ACTIONS_PER_SECOND)


def test_window_slides_and_statements_are_spaced():
    limiter = RateLimiter()
    assert limiter.allow(0.0, statement=True)
    assert not limiter.allow(1.999, statement=True)
    assert limiter.allow(2.0, statement=True)  # exactly 2 s later
    assert limiter.allow(2.1, statement=False)  # other actions are not held back


def test_abuse_after_repeated_refusals():
    limiter = RateLimiter()
    for i in range(ACTIONS_PER_SECOND + ABUSE_REFUSALS):
        limiter.allow(i * 0.001, statement=False)
    assert limiter.abusive()
    fresh = RateLimiter()
    for i in range(ACTIONS_PER_SECOND + ABUSE_REFUSALS - 1):
        fresh.allow(i * 0.001, statement=False)
    assert not fresh.abusive()


def test_families():
    assert family_for("council") == "committee-meeting"
    assert family_for("party_branch") == "party-members-meeting"
    assert family_for("owners_committee") == "owners-committee"
    assert family_for(None) == "residents-meeting"


@given(st.integers(min_value=1, max_value=500), st.data())
def test_committee_quorum_is_more_than_half(expected, data):
    present = data.draw(st.integers(min_value=0, max_value=expected))
    assert quorum(COMMITTEE, expected=expected, present=present).met == (
        2 * present > expected
    )


def test_quorum_boundaries_and_empty():
    assert not quorum(COMMITTEE, expected=4, present=2).met  # 过半数: > 1/2
    assert quorum(COMMITTEE, expected=4, present=3).met
    assert not quorum(COMMITTEE, expected=0, present=0).met


@given(
    st.sets(st.integers(0, 30)),
    st.sets(st.integers(0, 30)),
    st.sets(st.integers(0, 30)),
)
def test_present_counts_each_eligible_once(eligible, online, in_hall):
    n = present_count(eligible, online, in_hall)
    assert n == len(eligible & (online | in_hall))
    assert n <= len(eligible)


def test_minutes_draft_shape():
    from consultation.rooms.domain.minutes import ItemFacts, MinutesFacts, draft

    facts = MinutesFacts(
        title="议事会",
        body="居民议事会",
        held_at="2026年12月03日 19:00",
        place="会议室",
        expected=3,
        present_names=("甲", "乙"),
        absent_names=("丙",),
        others=(),
        quorum_met=True,
        rule_title="规则",
        chair="甲",
        secretary="乙",
        items=(
            ItemFacts("加装电梯", (("甲", "同意"),), "同意 2 票"),
            ItemFacts("停车", ()),
        ),
    )
    text = draft(facts)
    assert "应到 3 人，实到 2 人；已达到到会人数要求（规则）。" in text
    assert "一、加装电梯\n　　甲：同意\n　　表决：同意 2 票" in text
    assert "二、停车\n　　（无书面发言）" in text


# --- what a client sends: text that can be kept, ids that can be ids ----------

SURROGATES = st.integers(0xD800, 0xDFFF).map(chr)


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\0")))
def test_text_without_nul_or_surrogates_is_storable(text):
    assert not unstorable(text)


@given(st.text(), SURROGATES | st.just("\0"), st.text())
def test_a_nul_or_half_a_surrogate_pair_is_not(before, bad, after):
    text = before + bad + after
    assert unstorable(text)
    if text.strip() and len(text.strip()) <= STATEMENT_MAX:
        assert "无法保存" in statement_problem(text)


@given(st.integers(1, 2**63 - 1))
def test_a_positive_bigint_is_an_id(value):
    assert object_id(value) == value


@given(
    st.integers(max_value=0)
    | st.integers(min_value=2**63)
    | st.booleans()
    | st.floats()
    | st.text()
    | st.lists(st.integers())
    | st.none()
)
def test_anything_else_is_not(value):
    assert object_id(value) is None
