"""Advance notice before a consultation session (协商前通报, RULES.md §6.1 step 2).

The number of days is a per-community setting (default 5) [LOCAL/UNVERIFIED: RULES.md
§6.2 gives 3–7 days as local practice; needs legal review].

Reading: the notice day is not counted and a period whose last day is a rest day
ends on the next working day (民法典第二百零一条、第二百零三条, through
``yishi.deadlines.domain.period_end``); the session may be held on the period's last
day at the earliest, so participants have the whole period to prepare. A year the
calendar does not know is flagged (``Deadline.certain``), never guessed. No Django
import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from yishi.deadlines.domain import Deadline, HolidayCalendar, period_end

DEFAULT_NOTICE_DAYS = 5
MIN_NOTICE_DAYS = 1
MAX_NOTICE_DAYS = 60


@dataclass(frozen=True)
class NoticeCheck:
    deadline: Deadline

    @property
    def earliest_session(self) -> date:
        return self.deadline.last_day

    def allows(self, session_day: date) -> bool:
        return session_day >= self.deadline.last_day


def notice_check(notice_day: date, days: int, calendar: HolidayCalendar) -> NoticeCheck:
    """The notice period from `notice_day`: its last day is the earliest session day."""
    return NoticeCheck(period_end(notice_day, days, calendar))
