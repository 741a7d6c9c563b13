"""Extending a petition's conclusion date (延期) — 《信访工作条例》(2022) 第三十四条
[NAT-NORM, verified; RULES.md §5.3–5.4]: a petition is concluded within 60 days; for a
complex one, with the approval of the handling body's responsible person, the period
may be extended by **at most 30 days**, and the petitioner is told the reason.

So an extension here is:
* only for the ``petition`` profile (a deputy's suggestion has its own 3/6 months,
  a community promise its own setting);
* **once** per request — the 30 days are the whole allowance, and a request that
  was reopened and referred again does not get a second one;
* only while the request is still being handled (referred, in progress or
  supervised) and **before its conclusion date has passed**: a period that has run
  out is not extended afterwards (民法典第二百零三条 — the last day ends at 24:00);
* with a reason, which the petitioner is told.

The new date is the 60 + 30 days counted from the same referral day by the shared
deadline module (so a holiday at the end moves it on, as for the first date).
"""

from __future__ import annotations

from datetime import date

from yishi.deadlines.domain import Deadline, HolidayCalendar

from .due import Profile, due_dates
from .lifecycle import LifecycleError, State

# Where a conclusion date runs and can still be extended.
EXTENDABLE = frozenset({State.REFERRED, State.IN_PROGRESS, State.SUPERVISED})


def extended_due(
    profile: str,
    state: State,
    *,
    referred_on: date | None,
    due: date | None,
    today: date,
    already_extended: bool,
    calendar: HolidayCalendar,
) -> Deadline:
    """The extended conclusion date, or LifecycleError saying why not (zh / en)."""
    if profile != Profile.PETITION:
        raise LifecycleError(
            "只有信访类诉求（60 日办结）可以延期。"
            " / Only a petition-like request (60 days) is extended.",
            code="not_petition",
        )
    if already_extended:
        raise LifecycleError(
            "这件诉求已经延期过一次，不能再延期。"
            " / This request was already extended once.",
            code="already_extended",
        )
    if state not in EXTENDABLE or due is None or referred_on is None:
        raise LifecycleError(
            "只有正在办理的诉求可以延期。 / Only a request being handled is extended.",
            code="wrong_state",
        )
    if today > due:
        raise LifecycleError(
            f"办理期限 {due:%Y-%m-%d} 已过，不能再延期。"
            f" / The due date {due} has passed; it cannot be extended.",
            code="due_passed",
        )
    return due_dates(Profile.PETITION, referred_on, calendar, extended=True).reply
