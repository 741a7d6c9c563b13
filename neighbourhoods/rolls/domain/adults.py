"""Residents aged 18 or over on a date: the first roll of a residents' meeting.

- 城市居民委员会组织法 (2018 Arts. 8–9; revised 2025-10-28, in force 2026-01-01)
  [NAT-LAW]: the residents' meeting may be formed by the residents aged 18 or over.
- 民法典 Art. 1259: "以上" includes the number itself, so "18周岁以上" is age >= 18.
- 民法典 Arts. 201–203: a period counted in years ends on the corresponding day or,
  failing one, on the last day of that month (Feb 29 birthdays, ``anniversary``).
"""

from __future__ import annotations

import datetime as dt
from datetime import date

from .facts import ResidentFact
from .snapshot import RollMember, RollProblem, person_member

VOTING_AGE = 18


def anniversary(birth_date: date, years: int) -> date | None:
    """The date on which a person born on ``birth_date`` turns ``years`` old.

    Returns None when that date lies beyond ``date.max``.
    """
    year = birth_date.year + years
    if year > dt.MAXYEAR:
        return None
    try:
        return birth_date.replace(year=year)
    except ValueError:
        # Only Feb 29 has no corresponding day. 民法典 Art. 202 ends a period
        # counted in years on the corresponding day or, failing one, on the last
        # day of that month, so a leapling turns 18 on Feb 28 of a common year.
        # NEEDS LEGAL REVIEW: practice also knows Mar 1.
        return date(year, 2, 28)


def is_adult(birth_date: date, as_of: date, age: int = VOTING_AGE) -> bool:
    """Whether the person is aged ``age`` or over on ``as_of`` (以上 = inclusive).

    The person counts from the anniversary day itself, as voter registration
    does for elections. NEEDS LEGAL REVIEW: 民法典 Art. 201 does not count the
    first day, and the criminal-law interpretation 法释〔2006〕1号 Art. 2 counts
    "周岁" only from the day after the birthday; neither is applied here.
    """
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    reached = anniversary(birth_date, age)
    return reached is not None and as_of >= reached


def adult_residents(
    active: list[ResidentFact], as_of: date
) -> tuple[list[RollMember], list[RollProblem]]:
    """One member per adult among the active residents, and the people to review."""
    births: dict[int, set[date]] = {}
    for fact in active:
        # setdefault registers the person even when no birth date is known
        dates = births.setdefault(fact.person_id, set())
        if fact.birth_date is not None:
            dates.add(fact.birth_date)
    members: list[RollMember] = []
    problems: list[RollProblem] = []
    for pid, known in births.items():
        subject = f"person:{pid}"
        if not known:
            # Age cannot be shown, so the person cannot be put on the roll.
            problems.append(
                RollProblem("birth_date_missing", subject, "no birth date recorded")
            )
            continue
        if len(known) > 1:
            problems.append(
                RollProblem(
                    "birth_date_conflict",
                    subject,
                    "different birth dates recorded: "
                    + ", ".join(d.isoformat() for d in sorted(known)),
                )
            )
        # Count only if adult under every recorded date (i.e. the latest one):
        # the conflict is flagged, and the roll never includes a possible minor.
        if is_adult(max(known), as_of):
            members.append(person_member(pid))
    return members, problems
