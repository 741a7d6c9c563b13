"""Due dates of a referred request: the profiles of RULES.md §5.3–5.4, counted by the
shared deadline module (民法典 Arts. 201–203 on the holiday calendar).

* ``deputy_suggestion`` — 代表法第五十一条 [NAT-LAW, verified]: the bodies a deputy's
  suggestion is referred to reply within **3 months** of referral, or **6 months**
  for a complex or wide-ranging one.
* ``petition`` — 《信访工作条例》(2022) [NAT-NORM, verified]: acceptance within
  **15 days** (第二十二条、第二十三条), conclusion within **60 days** (第三十四条),
  extendable by at most **30 days** with notice to the petitioner.
* ``community_local`` — the community's own promise [LOCAL]: a number of days set by
  `YISHI_LIAISON_COMMUNITY_DAYS` (default 15), 1–3650.

Every period starts on the day of referral, which is not counted (第二百零一条).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from yishi.deadlines.domain import (
    Deadline,
    HolidayCalendar,
    months_end,
    period_end,
)


class Profile(StrEnum):
    DEPUTY_SUGGESTION = "deputy_suggestion"
    PETITION = "petition"
    COMMUNITY_LOCAL = "community_local"


SUGGESTION_MONTHS = 3  # 代表法第五十一条
SUGGESTION_COMPLEX_MONTHS = 6  # 代表法第五十一条: 办理复杂、涉及面广的
PETITION_ACCEPT_DAYS = 15  # 《信访工作条例》第二十三条
PETITION_CONCLUDE_DAYS = 60  # 《信访工作条例》第三十四条
PETITION_EXTENSION_DAYS = 30  # 《信访工作条例》第三十四条: 延长不超过三十日
COMMUNITY_DEFAULT_DAYS = 15  # LOCAL: a setting


@dataclass(frozen=True)
class DueDates:
    """The reply due date and, for a petition, the date acceptance is due by."""

    reply: Deadline
    accept: Deadline | None = None
    law: str = ""


def due_dates(
    profile: Profile,
    referred_on: date,
    calendar: HolidayCalendar,
    *,
    complex_case: bool = False,
    extended: bool = False,
    community_days: int = COMMUNITY_DEFAULT_DAYS,
) -> DueDates:
    """The due dates of a request referred on `referred_on` under `profile`."""
    profile = Profile(profile)
    if profile is Profile.DEPUTY_SUGGESTION:
        months = SUGGESTION_COMPLEX_MONTHS if complex_case else SUGGESTION_MONTHS
        return DueDates(
            months_end(referred_on, months, calendar),
            law=f"代表法第五十一条：交办之日起 {months} 个月内答复",
        )
    if profile is Profile.PETITION:
        days = PETITION_CONCLUDE_DAYS + (PETITION_EXTENSION_DAYS if extended else 0)
        return DueDates(
            period_end(referred_on, days, calendar),
            accept=period_end(referred_on, PETITION_ACCEPT_DAYS, calendar),
            law=(
                "《信访工作条例》第二十三条、第三十四条："
                f"{PETITION_ACCEPT_DAYS} 日内告知受理，"
                f"{days} 日内办结"
            ),
        )
    return DueDates(
        period_end(referred_on, community_days, calendar),
        law=f"社区承诺：{community_days} 日内答复",
    )


def profile_for_route(route: str) -> Profile:
    """The default profile of a route: a deputy's suggestion for one taken up as
    such, the petition rules for one referred to another body, else the community's."""
    if route == "deputy_suggestion":
        return Profile.DEPUTY_SUGGESTION
    if route == "referred":
        return Profile.PETITION
    return Profile.COMMUNITY_LOCAL
