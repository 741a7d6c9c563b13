"""The holiday calendar read from its table, kept built in each process.

`holiday_calendar()` is called wherever a deadline is shown (boards, lists of
objections, proposals), often many times per request, so the built
`HolidayCalendar` (~1,300 rows) is kept in the process and rebuilt only when the
table changed. Changes are seen across processes through a version counter in the
Django cache (Redis in production): any save or deletion of a row increments it (the
receivers below, and `calendar_changed()` after bulk writes, which send no signal),
once at once and again when the transaction commits — a calendar built between the
two from data read before the commit carries a version already gone. A warm call
costs one cache read (docs/architecture.md gives the measured numbers).
"""

from __future__ import annotations

import threading

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .domain import HolidayCalendar
from .models import HolidayCalendarDay

VERSION_KEY = "holiday-calendar:version"

_lock = threading.Lock()
_built: tuple[int, HolidayCalendar] | None = None


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        value = cache.get(VERSION_KEY, 1)
    return value


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value is a new version
        cache.add(VERSION_KEY, 1, timeout=None)
        cache.incr(VERSION_KEY)


def calendar_changed() -> None:
    """Make every process rebuild its calendar, now and when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def calendar_from_table() -> HolidayCalendar:
    """The calendar as the table holds it now (one query, uncached)."""
    rows = HolidayCalendarDay.objects.values_list("day", "kind")
    holidays, workdays = [], []
    for day, kind in rows:
        (holidays if kind == HolidayCalendarDay.Kind.HOLIDAY else workdays).append(day)
    return HolidayCalendar.build(holidays, workdays, {day.year for day in holidays})


def holiday_calendar() -> HolidayCalendar:
    """The calendar from the table, rebuilt only after the table changed."""
    global _built
    current = version()
    built = _built
    if built is not None and built[0] == current:
        return built[1]
    with _lock:
        if _built is None or _built[0] != current:
            _built = (current, calendar_from_table())
        return _built[1]


def known_years() -> list[int]:
    return sorted(holiday_calendar().known_years)


def _on_change(sender, **kwargs) -> None:
    if not kwargs.get("raw"):
        calendar_changed()


def connect() -> None:
    """Called once from the app's `ready()`."""
    post_save.connect(
        _on_change, sender=HolidayCalendarDay, dispatch_uid="holiday-calendar-save"
    )
    post_delete.connect(
        _on_change, sender=HolidayCalendarDay, dispatch_uid="holiday-calendar-delete"
    )
