"""Petition-like requests, pure (RULES.md §5.3–5.4; 《信访工作条例》第二十三、三十四条):
overdue when not accepted by the acceptance date; the one 30-day extension; and when
a reception day has taken place (for its summary)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.liaison.domain.due import Profile, due_dates
from consultation.liaison.domain.extension import EXTENDABLE, extended_due
from consultation.liaison.domain.lifecycle import (
    RUNNING,
    UNACCEPTED,
    Action,
    LifecycleError,
    Situation,
    State,
    is_overdue,
    missed_deadline,
    next_state,
    shown_state,
)
from consultation.liaison.domain.receptions import (
    ANNOUNCE_HORIZON_DAYS,
    has_taken_place,
    latest_day,
)
from yishi.deadlines.package import package_calendar

CAL = package_calendar()
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
maybe_days = st.none() | days
states = st.sampled_from(list(State))


# --- acceptance date ---------------------------------------------------------


@given(states, maybe_days, days, maybe_days)
def test_overdue_when_not_accepted_by_the_acceptance_date(state, due, today, accept):
    missed = missed_deadline(state, due, today, accept)
    late_accept = state in UNACCEPTED and accept is not None and today > accept
    late_reply = state in RUNNING and due is not None and today > due
    assert (missed is not None) == (late_accept or late_reply)
    assert is_overdue(state, due, today, accept) == (late_accept or late_reply)
    if late_accept:
        assert missed == accept
    elif late_reply:
        assert missed == due
    shown = shown_state(state, due, today, accept)
    overdue = late_accept or late_reply
    assert shown == ("overdue" if overdue and state != State.SUPERVISED else state)


def test_an_accepted_petition_is_not_late_for_acceptance():
    referred = date(2026, 3, 2)
    dates = due_dates(Profile.PETITION, referred, CAL)
    day_after = dates.accept.last_day + timedelta(days=1)
    accept, due = dates.accept.last_day, dates.reply.last_day
    assert is_overdue(State.REFERRED, due, day_after, accept)
    assert not is_overdue(State.REFERRED, due, accept, accept)  # runs to 24:00
    assert not is_overdue(State.IN_PROGRESS, due, day_after, accept)  # accepted
    assert shown_state(State.REFERRED, due, day_after, accept) == "overdue"


def test_a_late_acceptance_may_be_supervised_before_the_reply_is_due():
    referred = date(2026, 3, 2)
    dates = due_dates(Profile.PETITION, referred, CAL)
    today = dates.accept.last_day + timedelta(days=1)
    situation = Situation(
        State.REFERRED,
        due=dates.reply.last_day,
        today=today,
        accept_due=dates.accept.last_day,
    )
    assert next_state(Action.SUPERVISE, situation) is State.SUPERVISED
    with pytest.raises(LifecycleError):
        next_state(
            Action.SUPERVISE,
            Situation(State.IN_PROGRESS, due=dates.reply.last_day, today=today),
        )


# --- the one extension -------------------------------------------------------


@given(
    st.sampled_from(list(Profile)),
    states,
    days,
    st.integers(0, 120),
    st.booleans(),
)
def test_extension_only_once_for_a_running_petition_before_its_date(
    profile, state, referred_on, elapsed, already
):
    due = due_dates(Profile.PETITION, referred_on, CAL).reply.last_day
    today = referred_on + timedelta(days=elapsed)
    allowed = (
        profile is Profile.PETITION
        and not already
        and state in EXTENDABLE
        and today <= due
    )
    arguments = {
        "referred_on": referred_on,
        "due": due,
        "today": today,
        "already_extended": already,
        "calendar": CAL,
    }
    if not allowed:
        with pytest.raises(LifecycleError) as refused:
            extended_due(profile, state, **arguments)
        codes = {"not_petition", "already_extended", "wrong_state", "due_passed"}
        assert refused.value.code in codes
        assert "/" in str(refused.value)  # Chinese, then English
        return
    new = extended_due(profile, state, **arguments)
    assert new.last_day > due
    assert (new.last_day - referred_on).days >= 90
    assert new == due_dates(Profile.PETITION, referred_on, CAL, extended=True).reply


def test_extending_twice_is_refused():
    referred_on = date(2026, 5, 6)
    due = due_dates(Profile.PETITION, referred_on, CAL).reply.last_day
    first = extended_due(
        Profile.PETITION,
        State.IN_PROGRESS,
        referred_on=referred_on,
        due=due,
        today=referred_on + timedelta(days=10),
        already_extended=False,
        calendar=CAL,
    )
    with pytest.raises(LifecycleError) as refused:
        extended_due(
            Profile.PETITION,
            State.IN_PROGRESS,
            referred_on=referred_on,
            due=first.last_day,
            today=referred_on + timedelta(days=11),
            already_extended=True,
            calendar=CAL,
        )
    assert refused.value.code == "already_extended"


@pytest.mark.parametrize(
    ("profile", "state", "code"),
    [
        (Profile.DEPUTY_SUGGESTION, State.IN_PROGRESS, "not_petition"),
        (Profile.COMMUNITY_LOCAL, State.IN_PROGRESS, "not_petition"),
        ("", State.IN_PROGRESS, "not_petition"),
        (Profile.PETITION, State.REPLIED, "wrong_state"),
        (Profile.PETITION, State.REOPENED, "wrong_state"),
    ],
)
def test_extension_refused_for_other_profiles_and_states(profile, state, code):
    referred_on = date(2026, 5, 6)
    with pytest.raises(LifecycleError) as refused:
        extended_due(
            profile,
            state,
            referred_on=referred_on,
            due=referred_on + timedelta(days=60),
            today=referred_on,
            already_extended=False,
            calendar=CAL,
        )
    assert refused.value.code == code


def test_extension_refused_the_day_after_the_due_date():
    referred_on = date(2026, 5, 6)
    due = due_dates(Profile.PETITION, referred_on, CAL).reply.last_day
    arguments = {
        "referred_on": referred_on,
        "due": due,
        "already_extended": False,
        "calendar": CAL,
    }
    assert extended_due(Profile.PETITION, State.IN_PROGRESS, today=due, **arguments)
    with pytest.raises(LifecycleError) as refused:
        extended_due(
            Profile.PETITION,
            State.IN_PROGRESS,
            today=due + timedelta(days=1),
            **arguments,
        )
    assert refused.value.code == "due_passed"


# --- reception days ----------------------------------------------------------


@given(days, days, st.times(), st.times())
def test_a_reception_has_taken_place_once_it_has_ended(day, today, ends, now):
    held = has_taken_place(day, ends, today, now)
    assert held == (day < today or (day == today and now >= ends))


def test_a_reception_today_is_held_from_its_closing_time():
    day = date(2026, 4, 1)
    assert not has_taken_place(day, time(11, 30), day, time(11, 29))
    assert has_taken_place(day, time(11, 30), day, time(11, 30))
    assert not has_taken_place(day + timedelta(days=1), time(9), day, time(23))


@given(days, st.integers(min_value=0, max_value=800))
def test_a_reception_is_announced_at_most_a_year_ahead(today, ahead):
    """Up to and including ANNOUNCE_HORIZON_DAYS (366: a leap year's same date)."""
    day = today + timedelta(days=ahead)
    assert (day <= latest_day(today)) == (ahead <= ANNOUNCE_HORIZON_DAYS)


def test_the_same_date_next_year_may_be_announced_even_across_a_leap_day():
    assert latest_day(date(2027, 3, 1)) == date(2028, 3, 1)
