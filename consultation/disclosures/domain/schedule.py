"""Which periodic disclosures are due or late (村民委员会组织法 第三十条 [NAT-LAW, the
national template RULES.md §4.1 applies to urban communities]: finances monthly,
general affairs at least quarterly, major matters at once).

A period's disclosure is due within PERIODIC_DUE_DAYS after the period's last day
(the due date is counted by the deadline module, passed in as `due_of`). Pure Python.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Cadence(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class PeriodState(StrEnum):
    ON_TIME = "on_time"  # published by the due date
    PUBLISHED_LATE = "published_late"
    DUE = "due"  # not yet published, due date not passed
    LATE = "late"  # not published and past due


@dataclass(frozen=True)
class Period:
    key: str  # "2026-10" or "2026-Q3"
    first_day: date
    last_day: date


def _month(year: int, month: int) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(f"{year:04d}-{month:02d}", first, following - timedelta(days=1))


def _quarter(year: int, quarter: int) -> Period:
    first = date(year, 3 * quarter - 2, 1)
    last = _month(year, 3 * quarter).last_day
    return Period(f"{year:04d}-Q{quarter}", first, last)


def period_of(cadence: Cadence, day: date) -> Period:
    if cadence == Cadence.MONTHLY:
        return _month(day.year, day.month)
    return _quarter(day.year, (day.month - 1) // 3 + 1)


def parse_period(cadence: Cadence, key: str) -> Period:
    """The period named by `key`; ValueError when it is not one of this cadence."""
    try:
        year_text, rest = key.split("-")
        year = int(year_text)
        if cadence == Cadence.MONTHLY and len(rest) == 2:
            period = _month(year, int(rest))
        elif cadence == Cadence.QUARTERLY and rest[:1] == "Q" and len(rest) == 2:
            period = _quarter(year, int(rest[1]))
        else:
            raise ValueError(key)
    except (ValueError, IndexError):
        raise ValueError(f"not a {cadence} period: {key!r}") from None
    if period.key != key or not 2000 <= year <= 2999:
        raise ValueError(f"not a {cadence} period: {key!r}")
    return period


def completed_periods(cadence: Cadence, today: date, count: int) -> list[Period]:
    """The `count` periods that ended before `today`, latest first."""
    periods, day = [], period_of(cadence, today).first_day - timedelta(days=1)
    for _ in range(count):
        period = period_of(cadence, day)
        periods.append(period)
        day = period.first_day - timedelta(days=1)
    return periods


@dataclass(frozen=True)
class ScheduleRow:
    cadence: Cadence
    period: Period
    due: date
    due_certain: bool
    published_on: date | None
    state: PeriodState


def period_state(*, due: date, published_on: date | None, today: date) -> PeriodState:
    if published_on is not None:
        return (
            PeriodState.ON_TIME if published_on <= due else PeriodState.PUBLISHED_LATE
        )
    return PeriodState.LATE if today > due else PeriodState.DUE


def schedule(
    *,
    today: date,
    published: Mapping[tuple[Cadence, str], date],
    due_of: Callable[[Period], tuple[date, bool]],
    months: int = 3,
    quarters: int = 2,
) -> list[ScheduleRow]:
    """Rows for the last `months` months and `quarters` quarters, latest first.

    `published` maps (cadence, period key) to the day its first disclosure was
    published; `due_of(period)` gives (due date, whether the calendar knew it).
    """
    rows = []
    for cadence, count in ((Cadence.MONTHLY, months), (Cadence.QUARTERLY, quarters)):
        for period in completed_periods(cadence, today, count):
            due, certain = due_of(period)
            on = published.get((cadence, period.key))
            state = period_state(due=due, published_on=on, today=today)
            rows.append(ScheduleRow(cadence, period, due, certain, on, state))
    return rows
