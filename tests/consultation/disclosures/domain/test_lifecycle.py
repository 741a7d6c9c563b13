"""Every legal and illegal transition of an entry; display, objection and reply
boundaries ("以内" includes the last day)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.disclosures.domain.lifecycle import (
    Action,
    Phase,
    ReplyState,
    State,
    TransitionRefused,
    may_object,
    phase,
    pseudonym,
    reply_state,
    transition,
)

LEGAL = {
    (State.DRAFT, Action.EDIT): State.DRAFT,
    (State.RETURNED, Action.EDIT): State.RETURNED,
    (State.DRAFT, Action.SUBMIT): State.IN_REVIEW,
    (State.RETURNED, Action.SUBMIT): State.IN_REVIEW,
    (State.IN_REVIEW, Action.APPROVE): State.APPROVED,
    (State.IN_REVIEW, Action.RETURN): State.RETURNED,
    (State.APPROVED, Action.PUBLISH): State.PUBLISHED,
    (State.IN_REVIEW, Action.PUBLISH): State.PUBLISHED,
    (State.DRAFT, Action.DISCARD): State.DRAFT,
    (State.RETURNED, Action.DISCARD): State.RETURNED,
}


@given(st.sampled_from(list(State)), st.sampled_from(list(Action)), st.booleans())
def test_every_transition(state, action, window_over):
    expected = LEGAL.get((state, action))
    if expected is None or (
        (state, action) == (State.IN_REVIEW, Action.PUBLISH) and not window_over
    ):
        with pytest.raises(TransitionRefused):
            transition(state, action, review_window_over=window_over)
    else:
        assert transition(state, action, review_window_over=window_over) == expected


@given(st.sampled_from(list(Action)), st.booleans())
def test_a_published_entry_is_final(action, window_over):
    with pytest.raises(TransitionRefused):
        transition(State.PUBLISHED, action, review_window_over=window_over)


def test_publishing_during_the_review_window_needs_approval():
    with pytest.raises(TransitionRefused) as caught:
        transition(State.IN_REVIEW, Action.PUBLISH, review_window_over=False)
    assert caught.value.code == "review_pending"


START, END = dt.date(2026, 11, 2), dt.date(2026, 11, 9)


@given(st.integers(-5, 20))
def test_displayed_through_the_last_day_inclusive(offset):
    today = START + dt.timedelta(days=offset)
    expected = Phase.DISPLAYED if START <= today <= END else Phase.ARCHIVED
    assert phase(display_from=START, display_until=END, today=today) == expected
    assert may_object(display_from=START, display_until=END, today=today) == (
        expected == Phase.DISPLAYED
    )


def test_reply_states_at_the_boundary():
    due = dt.date(2026, 11, 9)
    assert reply_state(due=due, replied_on=None, today=due) == ReplyState.AWAITING
    assert reply_state(due=due, replied_on=None, today=due + dt.timedelta(1)) == (
        ReplyState.OVERDUE
    )
    assert reply_state(due=due, replied_on=due, today=due + dt.timedelta(9)) == (
        ReplyState.REPLIED
    )
    assert reply_state(due=due, replied_on=due + dt.timedelta(1), today=due) == (
        ReplyState.REPLIED_LATE
    )


def test_pseudonyms():
    assert [pseudonym(i) for i in (1, 2, 10, 11)] == [
        "居民甲",
        "居民乙",
        "居民癸",
        "居民11",
    ]
    with pytest.raises(ValueError, match="index"):
        pseudonym(0)
