"""Voter rolls in pure Python: plain facts and a date in, an immutable snapshot out.

A roll is frozen into a ``RollSnapshot`` when a vote or meeting is prepared, so that
quorum and majority are later computed against the same denominator that was published
(RULES.md §9.5, evidence). This package only *computes* rolls from plain facts; loading
the facts (``neighbourhoods.rolls.selectors``) and storing the snapshot (the ballot's
services) happen elsewhere. No Django imports, exact integers only, the date passed in.

- ``facts``: the inputs (residents, members, exclusive parts, ownerships).
- ``snapshot``: the result (members, head count, area, problems to review).
- ``adults``: residents aged 18 or over (民法典 Arts. 201–203, 1259).
- ``households``: one representative per household (居民委员会组织法 Art. 9).
- ``residents``: the residents' meeting rolls (居民委员会组织法 Arts. 8–9).
- ``bodies``: members of a body whose term covers the date (预备党员 have no vote).
- ``owners``: owners per SPI Arts. 8–9 and 民法典 Art. 278.
"""

from .adults import anniversary, is_adult
from .bodies import NON_VOTING_ROLES, build_member_roll
from .facts import (
    PART_KINDS,
    RESIDENCE_KINDS,
    MemberFact,
    OwnershipFact,
    PartFact,
    ResidentFact,
)
from .owners import AREA_SOURCES, OwnerCountingOptions, build_owner_roll, counted_area
from .residents import build_resident_roll
from .snapshot import RollBasis, RollMember, RollProblem, RollSnapshot

__all__ = [
    "AREA_SOURCES",
    "NON_VOTING_ROLES",
    "PART_KINDS",
    "RESIDENCE_KINDS",
    "MemberFact",
    "OwnerCountingOptions",
    "OwnershipFact",
    "PartFact",
    "ResidentFact",
    "RollBasis",
    "RollMember",
    "RollProblem",
    "RollSnapshot",
    "anniversary",
    "build_member_roll",
    "build_owner_roll",
    "build_resident_roll",
    "counted_area",
    "is_adult",
]
