"""Days counted for disclosures by the shared deadline module (Civil Code Arts.
200–204, on the holiday calendar): review windows, display periods, reply due dates,
periodic due dates. The one place this capability asks `yishi.deadlines`."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from yishi.deadlines import calendar
from yishi.deadlines.domain import Deadline, period_end


def local_day(moment: datetime | None = None) -> date:
    """The day in Asia/Shanghai of `moment` (default: now)."""
    return timezone.localdate(moment or timezone.now())


def days_after(start: date, days: int) -> Deadline:
    """The last day of a period of `days` days from `start` (start not counted; a
    last day on a rest day moves to the next working day; unknown years flagged)."""
    return period_end(start, days, calendar())
