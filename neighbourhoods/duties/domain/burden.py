"""The burden board's arithmetic: months and series (社区减负 monitoring).

Law: the Panzhihua opinion [LOCAL]: fewer tasks, meetings, ledgers and
certificates pushed onto communities; this module counts them per month. A month
is "YYYY-MM"; series are exact integer counts. Pure Python.
"""

from __future__ import annotations

from datetime import date

SERIES = (
    "admitted",
    "refused",
    "meetings",
    "ledgers",
    "certificates_issued",
    "certificates_refused",
)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def last_months(today: date, count: int) -> list[str]:
    """The `count` months ending with today's, oldest first."""
    if count < 1:
        raise ValueError("count >= 1")
    year, month = today.year, today.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return keys[::-1]


def month_bounds(key: str) -> tuple[date, date]:
    """First day of the month and first day of the next."""
    year, month = (int(part) for part in key.split("-"))
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following


def table(months: list[str], counts: dict[tuple[str, str], int]) -> dict:
    """{series: [count per month]} from {(series, month): count}, zeros filled."""
    return {name: [counts.get((name, key), 0) for key in months] for name in SERIES}
