"""The pact lifecycle (RULES.md §3.3): every move, every refusal, the period's end."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from residents_pact.domain.lifecycle import (
    CHECK_CODES,
    Action,
    Facts,
    State,
    TransitionRefused,
    comment_open,
    transition,
)

LAST = date(2026, 10, 9)
ALL = frozenset(CHECK_CODES)


def refused(state, action, facts=None):
    with pytest.raises(TransitionRefused) as info:
        transition(state, action, facts or Facts())
    return info.value.code


def test_the_whole_road_to_force():
    s = transition(State.DRAFT, Action.OPEN_COMMENT, Facts(comment_last_day=LAST))
    assert s == State.PUBLIC_COMMENT
    s = transition(
        s, Action.END_COMMENT, Facts(today=LAST + timedelta(1), comment_last_day=LAST)
    )
    assert s == State.LEGALITY_REVIEW
    s = transition(s, Action.SIGN_OFF, Facts(checklist=ALL))
    assert s == State.REVIEWED
    s = transition(s, Action.OPEN_VOTE)
    assert s == State.VOTING
    s = transition(s, Action.RECORD_VOTE, Facts(vote_passed=True))
    assert s == State.ADOPTED
    s = transition(s, Action.FILE)
    assert s == State.FILED
    s = transition(s, Action.ENTER_FORCE, Facts(vote_passed=True, filed=True))
    assert s == State.IN_FORCE
    assert transition(s, Action.SUPERSEDE) == State.AMENDED
    assert transition(s, Action.REPEAL) == State.REPEALED


def test_a_failed_vote_rejects_the_version():
    assert (
        transition(State.VOTING, Action.RECORD_VOTE, Facts(vote_passed=False))
        == State.REJECTED
    )
    assert refused(State.VOTING, Action.RECORD_VOTE) == "no_result"


def test_the_comment_stage_ends_only_after_its_last_day():
    # The last day runs to 24:00 (民法典第二百零三条): not over on that day.
    facts = Facts(today=LAST, comment_last_day=LAST)
    assert refused(State.PUBLIC_COMMENT, Action.END_COMMENT, facts) == "period_running"
    assert comment_open(State.PUBLIC_COMMENT, LAST, LAST)
    assert not comment_open(State.PUBLIC_COMMENT, LAST + timedelta(1), LAST)
    assert not comment_open(State.DRAFT, LAST, LAST)


def test_no_vote_before_the_legality_review():
    for state in (State.DRAFT, State.PUBLIC_COMMENT, State.LEGALITY_REVIEW):
        assert refused(state, Action.OPEN_VOTE) == "review_first"


def test_nothing_in_force_without_filing_and_a_passing_vote():
    assert refused(State.ADOPTED, Action.ENTER_FORCE) == "not_filed"
    assert refused(State.FILED, Action.ENTER_FORCE, Facts(vote_passed=True)) == (
        "not_filed"
    )
    assert refused(State.FILED, Action.ENTER_FORCE, Facts(filed=True)) == "not_adopted"


def test_an_incomplete_checklist_cannot_be_signed_off():
    partial = frozenset(sorted(ALL)[:-1])
    code = refused(State.LEGALITY_REVIEW, Action.SIGN_OFF, Facts(checklist=partial))
    assert code == "checklist_incomplete"


@given(
    st.sampled_from(list(State)),
    st.sampled_from(list(Action)),
    st.integers(-3, 3),
    st.frozensets(st.sampled_from(sorted(CHECK_CODES))),
    st.sampled_from([None, True, False]),
    st.booleans(),
)
def test_every_move_is_known_or_refused(state, action, offset, checks, passed, filed):
    facts = Facts(
        today=LAST + timedelta(offset),
        comment_last_day=LAST,
        checklist=checks,
        vote_passed=passed,
        filed=filed,
    )
    try:
        after = transition(state, action, facts)
    except TransitionRefused as error:
        refusal = error.code
    else:
        refusal = None
    if refusal is not None:
        return
    # Invariants: in force only from filed with both records; terminal states stay.
    if after == State.IN_FORCE:
        assert state == State.FILED
        assert filed
        assert passed is True
    if after == State.LEGALITY_REVIEW:
        assert offset > 0
    if after == State.REVIEWED:
        assert checks == CHECK_CODES
    assert state not in (State.REPEALED, State.AMENDED, State.WITHDRAWN)
