"""Small builders shared by the roll domain tests (no database).

The property tests compare the domain against deliberately naive reference
computations (quadratic scans, tuple comparisons), so a bug in the domain's grouping,
age or area logic shows up as a disagreement.
"""

from __future__ import annotations

import calendar
from datetime import date

from hypothesis import strategies as st

from neighbourhoods.rolls.domain import OwnershipFact, PartFact, RollSnapshot

AS_OF = date(2026, 6, 15)

dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def codes(snapshot: RollSnapshot) -> list[tuple[str, str]]:
    return [(p.code, p.subject) for p in snapshot.problems]


def keys(snapshot: RollSnapshot) -> list[str]:
    return [m.key for m in snapshot.members]


def owner(part_id: int, person_id: int, *, nominated: bool = False) -> OwnershipFact:
    return OwnershipFact(part_id, person_id, nominated_voter=nominated)


def developer(part_id: int, developer_id: int) -> OwnershipFact:
    return OwnershipFact(part_id, None, developer_id=developer_id)


def dwelling(part_id: int, area: int | None = 10_000) -> PartFact:
    return PartFact(part_id, "dwelling", area_register=area)


def reference_age(birth: date, on: date) -> int:
    """Completed years by plain month/day comparison, Feb 29 -> Feb 28 in common
    years; written independently of the module's anniversary()."""
    birth_md = (birth.month, birth.day)
    if birth_md == (2, 29) and not calendar.isleap(on.year):
        birth_md = (2, 28)
    return on.year - birth.year - ((on.month, on.day) < birth_md)
