"""Reception days (接待日, RULES.md §5.2 [LOCAL practice]): when one has taken place.

A reception day's summary (接待日小结 — who came, what was raised, what was answered
on the spot) records what happened, so it is written only once the day's reception
has ended: on a later day, or on the day itself once its closing time has passed
(times are Asia/Shanghai wall-clock times, passed in).

A reception day is announced at most ANNOUNCE_HORIZON_DAYS ahead: stations publish
their schedule month by month or for the coming year, and a day further off is a
mistyped year (2207 for 2027) that would stay on the public schedule for ever.
"""

from __future__ import annotations

from datetime import date, time, timedelta

SUMMARY_LIMIT = 2000
ANNOUNCE_HORIZON_DAYS = 366


def latest_day(today: date) -> date:
    """The last day a reception may be announced for on `today` (inclusive)."""
    return today + timedelta(days=ANNOUNCE_HORIZON_DAYS)


def has_taken_place(day: date, ends: time, today: date, now: time) -> bool:
    """Whether the reception held on `day` until `ends` is over at `today` `now`."""
    return day < today or (day == today and now >= ends)
