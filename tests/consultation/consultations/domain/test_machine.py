"""The consultation state machine: every legal and illegal transition; topics
reserved by law; the notice period through the shared deadline module."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.consultations.domain.machine import (
    TERMINAL,
    Action,
    Status,
    TransitionRefused,
    accepts_feedback,
    apply,
    legal_actions,
)
from consultation.consultations.domain.notice import notice_check
from consultation.consultations.domain.topics import (
    ReservedTo,
    not_a_decision_zh,
    reserved_to,
)
from yishi.deadlines.domain import HolidayCalendar

LEGAL = {
    (Status.TOPIC_COLLECTED, Action.CONFIRM_TOPIC): Status.TOPIC_CONFIRMED,
    (Status.TOPIC_CONFIRMED, Action.GIVE_NOTICE): Status.NOTICE_GIVEN,
    (Status.NOTICE_GIVEN, Action.HOLD_SESSION): Status.SESSION_HELD,
    (Status.SESSION_HELD, Action.FORM_OPINION): Status.OPINION_FORMED,
    (Status.OPINION_FORMED, Action.START_IMPLEMENTATION): Status.IMPLEMENTING,
    (Status.IMPLEMENTING, Action.PUBLISH_RESULT): Status.RESULT_PUBLISHED,
    (Status.RESULT_PUBLISHED, Action.CLOSE): Status.CLOSED,
    **{
        (s, Action.WITHDRAW): Status.WITHDRAWN
        for s in (
            Status.TOPIC_COLLECTED,
            Status.TOPIC_CONFIRMED,
            Status.NOTICE_GIVEN,
            Status.SESSION_HELD,
        )
    },
}


@given(st.sampled_from(Status), st.sampled_from(Action))
def test_every_transition_is_legal_exactly_when_listed(status, action):
    if (status, action) in LEGAL:
        assert apply(status, action) is LEGAL[(status, action)]
        assert action in legal_actions(status)
    else:
        with pytest.raises(TransitionRefused) as refused:
            apply(status, action)
        assert action not in legal_actions(status)
        assert refused.value.message_zh
        assert refused.value.message_en


@given(st.lists(st.sampled_from(Action), max_size=20))
def test_random_walks_never_leave_a_terminal_status(actions):
    status = Status.TOPIC_COLLECTED
    for action in actions:
        try:
            status = apply(status, action)
        except TransitionRefused:
            continue
    if status in TERMINAL:
        assert legal_actions(status) == frozenset()


def test_feedback_only_on_a_published_result():
    assert [s for s in Status if accepts_feedback(s)] == [Status.RESULT_PUBLISHED]


def test_reserved_topics_say_so_in_chinese():
    assert reserved_to("owners_fund_use") is ReservedTo.OWNERS_ASSEMBLY
    assert "仍须由业主大会表决" in not_a_decision_zh("owners_renovation")
    assert reserved_to("charter_pact") is ReservedTo.RESIDENTS_MEETING
    assert "仍须由居民会议表决" in not_a_decision_zh("public_welfare")
    assert reserved_to("other") is ReservedTo.NONE
    assert not_a_decision_zh("other") == ""
    with pytest.raises(ValueError, match="unknown topic"):
        reserved_to("nonsense")


CALENDAR = HolidayCalendar(
    holidays=frozenset({dt.date(2026, 10, d) for d in range(1, 8)}),
    adjusted_workdays=frozenset({dt.date(2026, 10, 10)}),
    known_years=frozenset({2026}),
)


def test_notice_start_day_not_counted_and_boundary_day_allowed():
    check = notice_check(dt.date(2026, 6, 1), 3, CALENDAR)  # a Monday
    assert check.earliest_session == dt.date(2026, 6, 4)
    assert check.allows(dt.date(2026, 6, 4))
    assert not check.allows(dt.date(2026, 6, 3))


def test_notice_period_ending_in_a_holiday_moves_to_the_next_working_day():
    check = notice_check(dt.date(2026, 9, 28), 5, CALENDAR)  # would end 10-03
    assert check.earliest_session == dt.date(2026, 10, 8)
    assert check.deadline.certain


@given(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 1)), st.integers(1, 30))
def test_session_never_before_the_plain_count(day, days):
    check = notice_check(day, days, CALENDAR)
    assert check.earliest_session >= day + dt.timedelta(days=days)
    assert not check.allows(check.earliest_session - dt.timedelta(days=1))
