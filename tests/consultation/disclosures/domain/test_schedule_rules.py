"""Periods, due and late periodic disclosures; the settings' floors."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.disclosures.domain.rules import (
    DISPLAY_DAYS,
    REPLY_DAYS,
    SettingRefused,
)
from consultation.disclosures.domain.schedule import (
    Cadence,
    PeriodState,
    completed_periods,
    parse_period,
    period_of,
    period_state,
    schedule,
)


def test_periods():
    assert period_of(Cadence.MONTHLY, dt.date(2026, 12, 31)).key == "2026-12"
    q = period_of(Cadence.QUARTERLY, dt.date(2026, 11, 5))
    assert (q.key, q.first_day, q.last_day) == (
        "2026-Q4",
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    months = completed_periods(Cadence.MONTHLY, dt.date(2026, 1, 15), 3)
    assert [p.key for p in months] == ["2025-12", "2025-11", "2025-10"]
    assert parse_period(Cadence.MONTHLY, "2026-02").last_day == dt.date(2026, 2, 28)


@pytest.mark.parametrize(
    "key", ["2026-13", "2026-1", "2026-Q5", "26-01", "x", "2026-Q1x"]
)
def test_bad_periods_are_refused(key):
    with pytest.raises(ValueError, match="period"):
        parse_period(Cadence.MONTHLY, key)
    with pytest.raises(ValueError, match="period"):
        parse_period(Cadence.QUARTERLY, key)


@given(st.integers(-3, 3), st.one_of(st.none(), st.integers(-3, 3)))
def test_period_state(today_offset, published_offset):
    due = dt.date(2026, 11, 10)
    today = due + dt.timedelta(today_offset)
    published = (
        None if published_offset is None else due + dt.timedelta(published_offset)
    )
    state = period_state(due=due, published_on=published, today=today)
    if published is None:
        assert state == (PeriodState.LATE if today > due else PeriodState.DUE)
    else:
        assert state == (
            PeriodState.ON_TIME if published <= due else PeriodState.PUBLISHED_LATE
        )


def test_schedule_rows():
    rows = schedule(
        today=dt.date(2026, 12, 5),
        published={(Cadence.MONTHLY, "2026-10"): dt.date(2026, 11, 20)},
        due_of=lambda p: (p.last_day + dt.timedelta(10), True),
    )
    by_key = {r.period.key: r.state for r in rows}
    assert by_key["2026-11"] == PeriodState.DUE
    assert by_key["2026-10"] == PeriodState.PUBLISHED_LATE
    assert by_key["2026-09"] == PeriodState.LATE
    assert by_key["2026-Q3"] == PeriodState.LATE


@given(st.integers(-10, 100))
def test_display_floor_is_seven_days(value):
    if DISPLAY_DAYS.minimum <= value <= DISPLAY_DAYS.maximum:
        assert DISPLAY_DAYS.check(value) == value
    else:
        with pytest.raises(SettingRefused):
            DISPLAY_DAYS.check(value)
    assert DISPLAY_DAYS.minimum == 7


def test_a_setting_must_be_a_whole_number():
    for bad in ("5", 5.0, True, None):
        with pytest.raises(SettingRefused):
            REPLY_DAYS.check(bad)
