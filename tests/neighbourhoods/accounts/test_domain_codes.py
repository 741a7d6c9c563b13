"""The code rules: expiry, tries and resend limits, at their boundaries."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from neighbourhoods.accounts.domain.codes import (
    SLIP_POLICY,
    SMS_POLICY,
    CodeState,
    clean_typed_code,
    code_state,
    group_digits,
    new_code,
    send_decision,
)

T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def _state(*, after: dt.timedelta, attempts=0, used=False, policy=SMS_POLICY):
    return code_state(
        sent_at=T0, attempts=attempts, used=used, now=T0 + after, policy=policy
    )


@given(st.integers(min_value=0, max_value=600 * 10**6 - 1))
def test_a_code_lives_ten_minutes_not_a_microsecond_more(micros):
    assert _state(after=dt.timedelta(microseconds=micros)) is CodeState.USABLE
    assert _state(after=dt.timedelta(minutes=10)) is CodeState.EXPIRED


def test_slip_lives_seven_days():
    assert _state(after=dt.timedelta(days=7, seconds=-1), policy=SLIP_POLICY) is (
        CodeState.USABLE
    )
    assert _state(after=dt.timedelta(days=7), policy=SLIP_POLICY) is CodeState.EXPIRED


@given(st.integers(min_value=0, max_value=20))
def test_five_wrong_tries_end_a_code(attempts):
    state = _state(after=dt.timedelta(0), attempts=attempts)
    assert (state is CodeState.EXHAUSTED) == (attempts >= 5)


def test_used_and_missing_codes():
    assert _state(after=dt.timedelta(0), used=True) is CodeState.USED
    missing = code_state(
        sent_at=None, attempts=0, used=False, now=T0, policy=SMS_POLICY
    )
    assert missing is CodeState.MISSING


@given(st.integers(min_value=0, max_value=120))
def test_one_send_a_minute(seconds):
    decision = send_decision(
        last_sent_at=T0,
        window_start=T0,
        sends_in_window=1,
        now=T0 + dt.timedelta(seconds=seconds),
    )
    assert decision.allowed == (seconds >= 60)
    if not decision.allowed:
        assert decision.wait_seconds == 60 - seconds


def test_ten_sends_a_day_then_refused_until_the_window_ends():
    now = T0 + dt.timedelta(hours=5)
    kwargs = {"last_sent_at": T0, "window_start": T0, "now": now}
    assert send_decision(sends_in_window=9, **kwargs).allowed
    refused = send_decision(sends_in_window=10, **kwargs)
    assert not refused.allowed
    assert refused.daily_limit
    assert refused.wait_seconds == 19 * 3600
    later = send_decision(
        last_sent_at=T0,
        window_start=T0,
        sends_in_window=10,
        now=T0 + dt.timedelta(days=1),
    )
    assert later.allowed
    assert later.sends_in_window == 1
    assert later.window_start == (T0 + dt.timedelta(days=1))


def test_codes_and_typing():
    assert all(len(new_code(6)) == 6 and new_code(6).isdigit() for _ in range(50))
    assert group_digits("48312290") == "4831 2290"
    assert clean_typed_code(" 4831-2290 ") == "48312290"
    assert clean_typed_code("１２３４５６") == "123456"
