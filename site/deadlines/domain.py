"""Deadlines counted by the Civil Code, on a calendar of China's statutory holidays.

The one deadline module every capability uses (display periods, objection windows,
reply due dates, proposals' agenda dates, liaison request due dates). Pure Python: no
Django import; dates are passed in, never read from a clock.

Law encoded — 《中华人民共和国民法典》第一编第十章「期间计算」 [NATIONAL, NAT-LAW,
verified on the full text; RULES.md §9.1]:

* 第二百条: 民法所称的期间按照公历年、月、日、小时计算。
* 第二百零一条: 按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。
  → ``period_end`` and ``working_days_end`` never count the start day.
* 第二百零二条: 按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，
  月末日为期间的最后一日。 → ``months_end`` (a deputy's suggestion answered within
  3 or 6 months, 代表法第五十一条), then moved off a rest day as 第二百零三条 says.
* 第二百零三条: 期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。
  期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。
  → a last day on a rest day moves to the first working day after it. The last day
  ends at 24:00 (or when business stops where there are business hours): a deadline
  is past only from the day after ``last_day`` (``Deadline.is_past``).
* 第二百零四条: 期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。
  → a law that counts "N 个工作日" (e.g. 《信访工作条例》) uses ``working_days_end``.

法定休假日 are the weekends and the public holidays of 《全国年节及纪念日放假办法》
as scheduled each year by the State Council's notice (国务院办公厅关于某年部分节假日
安排的通知). A weekend day the notice makes a working day (调休上班日) is a working day.
The schedule of a year is published only late in the year before: a year the calendar
does not know is *flagged* in ``Deadline.unknown_years`` and explained in its reasons,
never guessed (weekends still count as rest days there).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "MAX_DAYS",
    "MIN_DAYS",
    "Deadline",
    "DeadlineError",
    "HolidayCalendar",
    "format_day",
    "months_end",
    "period_end",
    "working_days_end",
]

MIN_DAYS = 1
# Ten years of days: longer periods are counted in years (Art. 202), not in days.
MAX_DAYS = 3650
# No published schedule has a rest period longer than this; a calendar that rests
# longer is broken data, refused rather than looped over.
_MAX_REST_RUN = 60
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
_ONE_DAY = timedelta(days=1)


class DeadlineError(ValueError):
    """A period that cannot be counted; the message reads in Chinese, then English."""


def format_day(day: date) -> str:
    """2026年10月8日（星期四）: how a resident reads a date."""
    return f"{day.year}年{day.month}月{day.day}日（{_WEEKDAYS[day.weekday()]}）"


@dataclass(frozen=True)
class HolidayCalendar:
    """The State Council's published rest days and adjusted working days.

    ``holidays``: statutory rest days (法定休假日) that fall on any day of the week;
    ``adjusted_workdays``: weekend days that are working days (调休上班日);
    ``known_years``: the years whose schedule is published and entered here. Outside
    them only weekends are known, and a deadline says so.
    """

    holidays: frozenset[date] = field(default_factory=frozenset)
    adjusted_workdays: frozenset[date] = field(default_factory=frozenset)
    known_years: frozenset[int] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        both = self.holidays & self.adjusted_workdays
        if both:
            first = min(both)
            raise DeadlineError(
                f"{format_day(first)} 不能既是法定休假日又是调休上班日。"
                f" / {first.isoformat()} cannot be both a holiday and a working day."
            )

    @classmethod
    def build(
        cls,
        holidays: Iterable[date] = (),
        adjusted_workdays: Iterable[date] = (),
        known_years: Iterable[int] = (),
    ) -> HolidayCalendar:
        return cls(
            frozenset(holidays), frozenset(adjusted_workdays), frozenset(known_years)
        )

    def knows(self, year: int) -> bool:
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        if day in self.adjusted_workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def rest_kind(self, day: date) -> str:
        """Why `day` is a rest day, in Chinese ("" for a working day)."""
        if self.is_working_day(day):
            return ""
        return "法定节假日" if day in self.holidays else "周末"


@dataclass(frozen=True)
class Deadline:
    """The last day of a period and, in plain Chinese, how it was found.

    The period runs to 24:00 of ``last_day`` (民法典第二百零三条第二款).
    """

    start: date
    days: int
    last_day: date
    reasons: tuple[str, ...]
    unknown_years: frozenset[int] = frozenset()
    working_days: bool = False

    @property
    def certain(self) -> bool:
        """False when a year of the period has no published holiday schedule here."""
        return not self.unknown_years

    def is_past(self, today: date) -> bool:
        """The period has run out: `today` is after the last day (ends at 24:00)."""
        return today > self.last_day

    def days_left(self, today: date) -> int:
        """Days from `today` to the last day, both included; 0 once past."""
        return max(0, (self.last_day - today).days + 1)


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int):
        raise DeadlineError(
            "期限天数必须是整数。 / The number of days must be an integer."
        )
    if days < MIN_DAYS:
        raise DeadlineError(
            f"期限至少为 {MIN_DAYS} 天，收到 {days}。"
            f" / A period is at least {MIN_DAYS} day; got {days}."
        )
    if days > MAX_DAYS:
        raise DeadlineError(
            f"期限不能超过 {MAX_DAYS} 天，收到 {days}。"
            f" / A period is at most {MAX_DAYS} days; got {days}."
        )


def _next_working_day(day: date, calendar: HolidayCalendar) -> date:
    """The first working day after `day` (`day` itself not included)."""
    for _ in range(_MAX_REST_RUN):
        day += _ONE_DAY
        if calendar.is_working_day(day):
            return day
    raise DeadlineError(
        f"{format_day(day)} 前连续 {_MAX_REST_RUN} 天都是休息日，节假日数据有误。"
        f" / {_MAX_REST_RUN} rest days in a row before {day.isoformat()}: bad calendar."
    )


def _unknown_years(
    first: date, last: date, calendar: HolidayCalendar
) -> frozenset[int]:
    return frozenset(
        year for year in range(first.year, last.year + 1) if not calendar.knows(year)
    )


def _unknown_reasons(unknown: frozenset[int]) -> list[str]:
    return [
        f"{year} 年的法定节假日尚未公布，期限可能顺延，请人工核对。"
        for year in sorted(unknown)
    ]


_START_NOT_COUNTED = (
    "起算日 {start} 当日不计入，自次日 {next} 开始计算（民法典第二百零一条）。"
)
_ENDS_AT_MIDNIGHT = (
    "期间最后一日 {last} 的二十四时截止；有业务时间的，到停止业务活动的时间截止"
    "（民法典第二百零三条第二款）。"
)


def period_end(start: date, days: int, calendar: HolidayCalendar) -> Deadline:
    """The last day of a period of `days` calendar days starting on `start`.

    民法典第二百零一条: the start day is not counted, so the nominal last day is
    ``start + days``. 第二百零三条: if that day is a 法定休假日 (a weekend that is not
    an adjusted working day, or a public holiday), the period ends on the day after
    the rest days end.
    """
    _check_days(days)
    nominal = start + timedelta(days=days)
    reasons = [
        _START_NOT_COUNTED.format(
            start=format_day(start), next=format_day(start + _ONE_DAY)
        ),
        f"{days} 日期间的最后一日为 {format_day(nominal)}。",
    ]
    last = nominal
    if not calendar.is_working_day(nominal):
        last = _next_working_day(nominal, calendar)
        reasons.append(
            f"{format_day(nominal)} 是{calendar.rest_kind(nominal)}（法定休假日），"
            f"期限顺延至休假日结束的次日 {format_day(last)}（民法典第二百零三条）。"
        )
    elif nominal in calendar.adjusted_workdays:
        reasons.append(f"{format_day(nominal)} 是调休上班日，按工作日计算，不顺延。")
    unknown = _unknown_years(nominal, last, calendar)
    reasons += _unknown_reasons(unknown)
    reasons.append(_ENDS_AT_MIDNIGHT.format(last=format_day(last)))
    return Deadline(start, days, last, tuple(reasons), unknown)


def working_days_end(start: date, days: int, calendar: HolidayCalendar) -> Deadline:
    """The last day of a period of `days` working days (N 个工作日) after `start`.

    The start day is not counted (民法典第二百零一条); from the next day on only
    working days count: weekends and public holidays do not, adjusted weekend
    working days (调休上班日) do. The last day is a working day by construction.
    """
    _check_days(days)
    day, adjusted = start, 0
    for _ in range(days):
        day = _next_working_day(day, calendar)
        adjusted += day in calendar.adjusted_workdays
    skipped = (day - start).days - days
    reasons = [
        _START_NOT_COUNTED.format(
            start=format_day(start), next=format_day(start + _ONE_DAY)
        ),
        f"只计算工作日：不计周末和法定节假日 {skipped} 天"
        + (f"，计入调休上班日 {adjusted} 天" if adjusted else "")
        + f"；第 {days} 个工作日为 {format_day(day)}。",
    ]
    unknown = _unknown_years(start + _ONE_DAY, day, calendar)
    reasons += _unknown_reasons(unknown)
    reasons.append(_ENDS_AT_MIDNIGHT.format(last=format_day(day)))
    return Deadline(start, days, day, tuple(reasons), unknown, working_days=True)


MAX_MONTHS = 120


def _corresponding_day(start: date, months: int) -> date:
    """民法典第二百零二条: the day of the month `months` after `start` that
    corresponds to it, or that month's last day when it has none (Jan 31 + 1 → Feb 28
    or 29)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_of_month = date(year + (month == 12), month % 12 + 1, 1) - _ONE_DAY
    return date(year, month, min(start.day, last_of_month.day))


def months_end(start: date, months: int, calendar: HolidayCalendar) -> Deadline:
    """The last day of a period of `months` months starting on `start`.

    第二百零一条: the start day is not counted; 第二百零二条: the period ends on the
    corresponding day of the last month, or on that month's last day when it has
    none; 第二百零三条: a last day on a rest day moves to the day after the rest ends.
    ``Deadline.days`` holds the calendar days from `start` to the nominal last day.
    """
    if isinstance(months, bool) or not isinstance(months, int):
        raise DeadlineError(
            "月数必须是整数。 / The number of months must be an integer."
        )
    if not 1 <= months <= MAX_MONTHS:
        raise DeadlineError(
            f"期限应为 1 至 {MAX_MONTHS} 个月，收到 {months}。"
            f" / A period is 1 to {MAX_MONTHS} months; got {months}."
        )
    nominal = _corresponding_day(start, months)
    reasons = [
        _START_NOT_COUNTED.format(
            start=format_day(start), next=format_day(start + _ONE_DAY)
        ),
        f"{months} 个月期间到期月的对应日（没有对应日的为月末日）为"
        f" {format_day(nominal)}"
        "（民法典第二百零二条）。",
    ]
    last = nominal
    if not calendar.is_working_day(nominal):
        last = _next_working_day(nominal, calendar)
        reasons.append(
            f"{format_day(nominal)} 是{calendar.rest_kind(nominal)}（法定休假日），"
            f"期限顺延至休假日结束的次日 {format_day(last)}（民法典第二百零三条）。"
        )
    elif nominal in calendar.adjusted_workdays:
        reasons.append(f"{format_day(nominal)} 是调休上班日，按工作日计算，不顺延。")
    unknown = _unknown_years(nominal, last, calendar)
    reasons += _unknown_reasons(unknown)
    reasons.append(_ENDS_AT_MIDNIGHT.format(last=format_day(last)))
    return Deadline(start, (nominal - start).days, last, tuple(reasons), unknown)
