"""Civil Code Arts. 200-204 on the real 2025/2026 schedules (chinese-calendar's data).

Pure: no database. Holiday cases are dated by the State Council's published notices
as the package carries them; the properties run over any start and any length.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yishi.deadlines.domain import (
    MAX_DAYS,
    Deadline,
    DeadlineError,
    HolidayCalendar,
    format_day,
    period_end,
    working_days_end,
)
from yishi.deadlines.package import package_calendar

CAL = package_calendar()
LAST_KNOWN = date(max(CAL.known_years), 12, 31)
UNKNOWN_2028 = "2028 年的法定节假日尚未公布，期限可能顺延，请人工核对。"

starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31))
known_starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 6, 30))
lengths = st.integers(min_value=1, max_value=MAX_DAYS)
short_lengths = st.integers(min_value=1, max_value=150)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- the published schedules -------------------------------------------------------


def test_the_package_knows_2025_and_2026_not_2028():
    assert {2025, 2026} <= CAL.known_years
    assert 2028 not in CAL.known_years


@pytest.mark.parametrize(
    ("start", "days", "last"),
    [
        # National Day 2025: 10-01..10-08 off; Sun 09-28 and Sat 10-11 are working days.
        ("2025-09-28", 7, "2025-10-09"),  # nominal Sun 10-05 in the holiday → Thu 10-09
        ("2025-09-24", 7, "2025-10-09"),  # nominal Wed 10-01, the first holiday
        ("2025-09-21", 7, "2025-09-28"),  # nominal Sun 09-28 is an adjusted workday
        ("2025-10-04", 7, "2025-10-11"),  # nominal Sat 10-11 is an adjusted workday
        # National Day 2026: 10-01..10-07 off; Sun 09-20 and Sat 10-10 are working days.
        ("2026-09-28", 7, "2026-10-08"),
        ("2026-10-03", 7, "2026-10-10"),
        ("2026-09-13", 7, "2026-09-20"),  # nominal Sun 09-20 is an adjusted workday
        # Spring Festival 2025: 01-28..02-04 off; Sun 01-26 and Sat 02-08 working.
        ("2025-01-25", 5, "2025-02-05"),
        ("2025-02-01", 7, "2025-02-08"),  # ends on the adjusted Saturday: stays
        # Spring Festival 2026: 02-15..02-23 off; Sat 02-14 and Sat 02-28 working.
        ("2026-02-10", 7, "2026-02-24"),
        ("2026-02-07", 7, "2026-02-14"),
        # An ordinary weekend: Sunday → Monday, Saturday → Monday.
        ("2026-03-08", 7, "2026-03-16"),
        ("2026-03-07", 7, "2026-03-16"),
        ("2026-03-09", 7, "2026-03-16"),
        # New Year 2026: 01-01..01-03 off, Sun 01-04 working.
        ("2025-12-25", 7, "2026-01-04"),  # nominal Thu 01-01 → Sun 01-04 works
    ],
)
def test_holiday_cases(start, days, last):
    deadline = period_end(d(start), days, CAL)
    assert deadline.last_day == d(last), deadline.reasons
    assert deadline.certain


def test_reasons_explain_each_step_in_chinese():
    deadline = period_end(d("2025-09-28"), 7, CAL)
    text = "\n".join(deadline.reasons)
    assert "起算日 2025年9月28日（星期日） 当日不计入" in text
    assert "民法典第二百零一条" in text
    assert "7 日期间的最后一日为 2025年10月5日（星期日）" in text
    assert (
        "法定节假日（法定休假日），期限顺延至休假日结束的次日 2025年10月9日（星期四）"
        in text
    )
    assert "民法典第二百零三条" in text
    assert "二十四时" in text


def test_a_sunday_says_weekend_and_an_adjusted_day_says_so():
    sunday = "\n".join(period_end(d("2026-03-08"), 7, CAL).reasons)
    assert "2026年3月15日（星期日） 是周末（法定休假日）" in sunday
    adjusted = "\n".join(period_end(d("2025-02-01"), 7, CAL).reasons)
    assert "2025年2月8日（星期六） 是调休上班日，按工作日计算，不顺延" in adjusted


def test_an_unknown_year_is_flagged_not_guessed_and_weekends_still_apply():
    deadline = period_end(d("2028-03-01"), 3, CAL)  # Sat 2028-03-04
    assert deadline.last_day == d("2028-03-06")
    assert deadline.unknown_years == {2028}
    assert not deadline.certain
    assert UNKNOWN_2028 in deadline.reasons


def test_a_known_last_day_is_certain_even_if_the_start_year_is_not_relevant():
    # The start year is not part of a calendar-day count: only the last day's is.
    assert period_end(d("2004-12-20"), 20, CAL).certain


def test_an_unknown_year_within_working_days_is_flagged():
    deadline = working_days_end(d("2026-12-28"), 10, CAL)
    assert 2027 in deadline.unknown_years
    assert any("2027 年的法定节假日尚未公布" in r for r in deadline.reasons)


# --- working days ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "days", "last"),
    [
        # Fri 09-26: Sat 09-27 rests, Sun 09-28 works (1), 09-29 (2), 09-30 (3),
        # 10-01..10-08 off, Thu 10-09 (4), Fri 10-10 (5).
        ("2025-09-26", 5, "2025-10-10"),
        ("2025-09-26", 6, "2025-10-11"),  # Sat 10-11 is an adjusted working day
        ("2026-03-06", 1, "2026-03-09"),
        ("2026-03-09", 5, "2026-03-16"),
        ("2026-02-13", 2, "2026-02-24"),  # Sat 02-14 works (1), then Tue 02-24 (2)
    ],
)
def test_working_day_cases(start, days, last):
    deadline = working_days_end(d(start), days, CAL)
    assert deadline.last_day == d(last), deadline.reasons
    assert deadline.working_days


def test_working_day_reasons_count_what_was_skipped():
    text = "\n".join(working_days_end(d("2025-09-26"), 5, CAL).reasons)
    assert "不计周末和法定节假日 9 天，计入调休上班日 1 天" in text
    assert "第 5 个工作日为 2025年10月10日（星期五）" in text


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1, MAX_DAYS + 1, True, 1.5, "7"])
@pytest.mark.parametrize("count", [period_end, working_days_end])
def test_bad_lengths_are_refused_in_chinese_and_english(count, days):
    with pytest.raises(DeadlineError, match=r"期限.*/ "):
        count(d("2026-01-05"), days, CAL)


def test_a_day_both_holiday_and_workday_is_refused():
    with pytest.raises(DeadlineError, match="既是法定休假日又是调休上班日"):
        HolidayCalendar.build([d("2026-01-03")], [d("2026-01-03")], [2026])


def test_a_calendar_that_never_works_is_refused_not_looped():
    every_day = [d("2026-01-01") + timedelta(days=i) for i in range(400)]
    broken = HolidayCalendar.build(every_day, (), [2026])
    with pytest.raises(DeadlineError, match="节假日数据有误"):
        period_end(d("2026-01-01"), 5, broken)


def test_past_and_days_left_end_at_midnight_of_the_last_day():
    deadline = period_end(d("2026-03-09"), 7, CAL)  # Mon 03-16
    assert not deadline.is_past(d("2026-03-16"))
    assert deadline.is_past(d("2026-03-17"))
    assert deadline.days_left(d("2026-03-16")) == 1
    assert deadline.days_left(d("2026-03-10")) == 7
    assert deadline.days_left(d("2026-04-01")) == 0


def test_format_day():
    assert format_day(d("2026-10-08")) == "2026年10月8日（星期四）"


# --- properties --------------------------------------------------------------------


def _rest_days_between(first: date, last: date, calendar: HolidayCalendar) -> bool:
    day = first
    while day < last:
        if calendar.is_working_day(day):
            return False
        day += timedelta(days=1)
    return True


@given(start=starts, days=lengths)
def test_last_day_never_before_start_plus_days_and_first_working_day(start, days):
    deadline = period_end(start, days, CAL)
    nominal = start + timedelta(days=days)
    assert isinstance(deadline, Deadline)
    assert deadline.last_day >= nominal > start  # the start day is never counted
    assert CAL.is_working_day(deadline.last_day)
    # The *first* working day: every day from the nominal one to it rests.
    assert _rest_days_between(nominal, deadline.last_day, CAL)
    assert deadline.reasons[0].startswith(f"起算日 {format_day(start)} 当日不计入")


@given(start=known_starts, days=short_lengths)
def test_never_a_rest_day_in_a_known_year(start, days):
    deadline = period_end(start, days, CAL)
    assert deadline.certain
    last = deadline.last_day
    assert last not in CAL.holidays
    assert last.weekday() < 5 or last in CAL.adjusted_workdays


@given(start=starts, days=lengths)
def test_unknown_years_are_exactly_the_unpublished_years_reached(start, days):
    deadline = period_end(start, days, CAL)
    nominal = start + timedelta(days=days)
    years = set(range(nominal.year, deadline.last_day.year + 1))
    assert deadline.unknown_years == years - CAL.known_years
    assert deadline.certain == (deadline.last_day <= LAST_KNOWN)
    for year in deadline.unknown_years:
        assert (
            f"{year} 年的法定节假日尚未公布，期限可能顺延，请人工核对。"
            in deadline.reasons
        )


@given(start=starts, first=short_lengths, second=short_lengths)
def test_a_longer_period_never_ends_earlier(start, first, second):
    short, long = sorted((first, second))
    assert (
        period_end(start, short, CAL).last_day <= period_end(start, long, CAL).last_day
    )
    assert (
        working_days_end(start, short, CAL).last_day
        <= working_days_end(start, long, CAL).last_day
    )


@given(start=starts, days=st.integers(min_value=1, max_value=400))
def test_working_days_count_exactly_n_working_days_after_start(start, days):
    deadline = working_days_end(start, days, CAL)
    span = (deadline.last_day - start).days
    counted = sum(
        CAL.is_working_day(start + timedelta(days=i)) for i in range(1, span + 1)
    )
    assert counted == days
    assert CAL.is_working_day(deadline.last_day)
    assert deadline.last_day >= period_end(start, days, CAL).last_day


@given(
    start=st.dates(min_value=date(2030, 1, 1), max_value=date(2030, 3, 1)),
    days=st.integers(min_value=1, max_value=40),
    rest=st.sets(st.integers(min_value=0, max_value=120), max_size=40),
    work=st.sets(st.integers(min_value=0, max_value=120), max_size=10),
)
def test_any_calendar_matches_a_brute_force_count(start, days, rest, work):
    base = date(2030, 1, 1)
    holidays = {base + timedelta(days=i) for i in rest - work}
    workdays = {base + timedelta(days=i) for i in work}
    calendar = HolidayCalendar.build(holidays, workdays, [2030])
    expected = start + timedelta(days=days)
    while expected in holidays or (
        expected.weekday() >= 5 and expected not in workdays
    ):
        expected += timedelta(days=1)
    assert period_end(start, days, calendar).last_day == expected


def test_the_pure_modules_import_no_django():
    import subprocess
    import sys

    code = (
        "import sys, yishi.deadlines.domain, yishi.deadlines.package;"
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
