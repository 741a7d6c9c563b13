"""Deadlines and the holiday calendar shared by every capability.

``yishi.deadlines.domain`` is pure (no Django): import it anywhere. ``calendar()``
returns the HolidayCalendar built from the HolidayCalendarDay table (cached in
process, rebuilt when the table changes); the Django parts are imported only when
it is called, so importing the domain module never loads Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .domain import HolidayCalendar


def calendar() -> HolidayCalendar:
    """The holiday calendar from the table (see ``yishi.deadlines.selectors``)."""
    from .selectors import holiday_calendar

    return holiday_calendar()
