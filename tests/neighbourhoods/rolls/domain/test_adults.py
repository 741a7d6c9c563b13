"""Adults on a date (民法典 Arts. 201–203, 1259): examples, then properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neighbourhoods.rolls.domain import (
    anniversary,
    is_adult,
)
from tests.neighbourhoods.rolls.domain.builders import (
    AS_OF,
    dates,
    reference_age,
)

# --- is_adult -------------------------------------------------------------------


class TestIsAdult:
    def test_eighteenth_birthday_counts(self):
        assert is_adult(date(2008, 6, 15), date(2026, 6, 15))

    def test_day_before_eighteenth_birthday_does_not(self):
        assert not is_adult(date(2008, 6, 15), date(2026, 6, 14))

    def test_long_past_eighteen(self):
        assert is_adult(date(1950, 12, 31), date(2026, 1, 1))

    def test_born_after_as_of(self):
        assert not is_adult(date(2030, 1, 1), date(2026, 1, 1))

    def test_feb_29_birth_reaches_age_on_feb_28_of_common_year(self):
        # 2026 is not a leap year: the month-end rule gives Feb 28.
        assert not is_adult(date(2008, 2, 29), date(2026, 2, 27))
        assert is_adult(date(2008, 2, 29), date(2026, 2, 28))

    def test_feb_29_birth_reaches_age_on_feb_29_of_leap_year(self):
        # 2004-02-29 + 16 = 2020, a leap year: the corresponding day exists.
        assert not is_adult(date(2004, 2, 29), date(2020, 2, 28), age=16)
        assert is_adult(date(2004, 2, 29), date(2020, 2, 29), age=16)

    def test_anniversary_month_end(self):
        assert anniversary(date(2008, 2, 29), 18) == date(2026, 2, 28)
        assert anniversary(date(2008, 2, 29), 16) == date(2024, 2, 29)
        assert anniversary(date(9990, 1, 1), 18) is None

    def test_other_age(self):
        assert is_adult(date(1966, 6, 15), date(2026, 6, 15), age=60)
        assert not is_adult(date(1966, 6, 16), date(2026, 6, 15), age=60)

    def test_age_zero_on_birth_day(self):
        assert is_adult(date(2026, 6, 15), date(2026, 6, 15), age=0)

    def test_far_future_birth_year_does_not_overflow(self):
        assert not is_adult(date(9990, 1, 1), date(9999, 12, 31))

    def test_negative_age_rejected(self):
        with pytest.raises(ValueError, match="age"):
            is_adult(date(2000, 1, 1), AS_OF, age=-1)


@given(birth=dates, on=dates, age=st.integers(0, 120))
def test_is_adult_matches_reference_age(birth, on, age):
    assert is_adult(birth, on, age) == (reference_age(birth, on) >= age)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2000, 12, 31)),
    age=st.integers(0, 99),
    offset=st.integers(-3, 3),
)
@settings(max_examples=300)  # cheap, and boundary bugs hide in one month in 12
def test_is_adult_matches_reference_age_near_the_birthday(birth, age, offset):
    # Uniformly random dates almost never land within days of a birthday, where
    # the bugs live; aim there. Day 1 of the birth month + (day - 1) is the
    # birthday, or Mar 1 for a Feb 29 birth in a common year.
    near = date(birth.year + age, birth.month, 1) + timedelta(
        days=birth.day - 1 + offset
    )
    assert is_adult(birth, near, age) == (reference_age(birth, near) >= age)


@given(birth=dates, on=dates)
def test_is_adult_is_monotone_in_time(birth, on):
    if is_adult(birth, on):
        assert is_adult(birth, on + timedelta(days=1))
