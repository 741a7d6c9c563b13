"""The request lifecycle (RULES.md §5.4) and the due-date profiles (§5.3), pure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.liaison.domain.due import Profile, due_dates, profile_for_route
from consultation.liaison.domain.lifecycle import (
    ANSWERED,
    RUNNING,
    TRANSITIONS,
    Action,
    LifecycleError,
    Route,
    Situation,
    State,
    check_rating,
    is_overdue,
    is_satisfied,
    next_state,
    shown_state,
)
from yishi.deadlines.domain import DeadlineError, HolidayCalendar, months_end
from yishi.deadlines.package import package_calendar

CAL = package_calendar()
EMPTY = HolidayCalendar.build(known_years=range(2000, 2040))
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


def test_the_whole_path_of_a_referred_request():
    path = [
        (Action.REGISTER, State.REGISTERED),
        (Action.CLASSIFY, State.CLASSIFIED),
        (Action.REFER, State.REFERRED),
        (Action.START, State.IN_PROGRESS),
        (Action.SUPERVISE, State.SUPERVISED),
        (Action.REPLY, State.REPLIED),
        (Action.RATE, State.RATED),
        (Action.CLOSE, State.CLOSED),
    ]
    state, due, today = State.SUBMITTED, date(2026, 1, 5), date(2026, 1, 6)
    for action, expected in path:
        state = next_state(action, Situation(state, Route.REFERRED, due, today))
        assert state is expected


def test_answered_on_the_spot_skips_referral_and_cannot_be_referred():
    spot = Situation(State.CLASSIFIED, Route.ON_THE_SPOT)
    assert next_state(Action.REPLY, spot) is State.REPLIED
    with pytest.raises(LifecycleError) as refused:
        next_state(Action.REFER, spot)
    assert refused.value.code == "on_the_spot"
    with pytest.raises(LifecycleError) as refused:
        next_state(Action.REPLY, Situation(State.CLASSIFIED, Route.COMMUNITY))
    assert refused.value.code == "not_on_the_spot"


def test_reopened_request_is_referred_again():
    assert next_state(Action.REOPEN, Situation(State.RATED)) is State.REOPENED
    again = Situation(State.REOPENED, Route.ON_THE_SPOT)
    assert next_state(Action.REFER, again) is State.REFERRED


@given(st.sampled_from(list(State)), st.sampled_from(list(Action)), days, days)
def test_an_act_leads_only_where_the_table_says(state, action, due, today):
    sources, target = TRANSITIONS[action]
    try:
        result = next_state(action, Situation(state, Route.COMMUNITY, due, today))
    except LifecycleError:
        return
    assert state in sources
    assert result is target
    if action is Action.SUPERVISE:
        assert today > due  # supervision only once overdue


@given(st.sampled_from(list(State)), days, days)
def test_overdue_from_the_day_after_the_last_day(state, due, today):
    overdue = is_overdue(state, due, today)
    assert overdue == (state in RUNNING and today > due)
    assert not is_overdue(state, due, due)  # the last day runs to 24:00
    if state in ANSWERED or state is State.CLOSED:
        assert not overdue
    shown = shown_state(state, due, today)
    assert shown == ("overdue" if overdue and state != State.SUPERVISED else state)


def test_supervision_refused_before_the_due_date_ends():
    due = date(2026, 3, 10)
    with pytest.raises(LifecycleError) as refused:
        next_state(Action.SUPERVISE, Situation(State.REFERRED, due=due, today=due))
    assert refused.value.code == "not_overdue"
    later = Situation(State.REFERRED, due=due, today=due + timedelta(days=1))
    assert next_state(Action.SUPERVISE, later) is State.SUPERVISED


@pytest.mark.parametrize("score", [0, 6, -1, True, 2.5, "5"])
def test_ratings_out_of_range_are_refused(score):
    with pytest.raises(LifecycleError):
        check_rating(score)


@given(st.integers(1, 5))
def test_ratings_1_to_5_and_satisfied_from_3(score):
    assert check_rating(score) == score
    assert is_satisfied(score) == (score >= 3)  # 基本满意 (3) and above


# --- due dates -------------------------------------------------------------


def test_deputy_suggestion_three_months_moved_off_national_day():
    # Referred 2026-07-01: 3 months → 2026-10-01, the National Day holiday; the
    # 2026 schedule rests 10-01..10-07 (chinese-calendar), so the reply is due 10-08.
    due = due_dates(Profile.DEPUTY_SUGGESTION, date(2026, 7, 1), CAL)
    assert due.reply.last_day == date(2026, 10, 8)
    assert "第二百零三条" in " ".join(due.reply.reasons)
    assert "代表法第五十一条" in due.law


def test_complex_suggestion_six_months():
    due = due_dates(
        Profile.DEPUTY_SUGGESTION, date(2026, 3, 10), EMPTY, complex_case=True
    )
    assert due.reply.last_day == date(2026, 9, 10)


def test_month_end_without_a_corresponding_day():
    # 2025-11-30 + 3 months: February 2026 has no 30th → 2026-02-28 (Saturday);
    # on the real 2026 schedule that Saturday is an adjusted working day (调休上班日)
    # after the Spring Festival, so the period ends on it.
    plain = months_end(date(2025, 11, 30), 3, EMPTY)
    assert plain.last_day == date(2026, 3, 2)  # Sat 28 → Mon 2 March
    real = months_end(date(2025, 11, 30), 3, CAL)
    assert date(2026, 2, 28) in CAL.adjusted_workdays
    assert real.last_day == date(2026, 2, 28)
    assert "调休上班日" in " ".join(real.reasons)
    assert months_end(date(2023, 11, 30), 3, EMPTY).last_day == date(2024, 2, 29)


def test_petition_accept_15_days_conclude_60_or_90():
    referred = date(2026, 9, 16)
    due = due_dates(Profile.PETITION, referred, CAL)
    # 15 days → 10-01, National Day: acceptance due the day after the rest ends.
    assert due.accept.last_day == date(2026, 10, 8)
    assert due.reply.last_day >= referred + timedelta(days=60)
    extended = due_dates(Profile.PETITION, referred, CAL, extended=True)
    assert extended.reply.last_day >= referred + timedelta(days=90)


def test_community_days_come_from_the_setting():
    due = due_dates(Profile.COMMUNITY_LOCAL, date(2026, 6, 1), EMPTY, community_days=7)
    assert due.reply.last_day == date(2026, 6, 8)
    with pytest.raises(DeadlineError):
        due_dates(Profile.COMMUNITY_LOCAL, date(2026, 6, 1), EMPTY, community_days=0)


@given(days, st.integers(1, 120))
def test_months_end_never_before_the_corresponding_day(start, months):
    due = months_end(start, months, CAL)
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    assert (due.last_day.year, due.last_day.month) >= (year, month)
    assert due.last_day > start
    assert (
        CAL.is_working_day(due.last_day)
        or not due.certain
        or (due.last_day.weekday() < 5)
    )
    if start.day <= 28:
        assert due.last_day >= date(year, month, start.day)


@given(days, st.sampled_from(list(Profile)), st.booleans())
def test_every_profile_ends_on_a_working_day_when_the_year_is_known(
    start, profile, flag
):
    due = due_dates(profile, start, CAL, complex_case=flag, extended=flag)
    if due.reply.certain:
        assert CAL.is_working_day(due.reply.last_day)
    assert due.reply.last_day > start


@pytest.mark.parametrize("months", [0, 121, True, 1.5])
def test_months_out_of_range_refused(months):
    with pytest.raises(DeadlineError):
        months_end(date(2026, 1, 1), months, CAL)


def test_default_profiles_of_routes():
    assert profile_for_route("deputy_suggestion") is Profile.DEPUTY_SUGGESTION
    assert profile_for_route("referred") is Profile.PETITION
    assert profile_for_route("community") is Profile.COMMUNITY_LOCAL
