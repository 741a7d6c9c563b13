"""The facts a roll is counted from: plain frozen records, loaded by the caller.

Who is a resident, a member or an owner is decided when these are built (SPI Art. 1
for owners: registered owners, Arts. 229–231 acquirers and buyers lawfully in
possession under a developer contract); the counting rules only read them.
Areas are integers in 0.01 m².
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

RESIDENCE_KINDS = frozenset({"registered", "habitual"})  # 户籍 | 常住
PART_KINDS = frozenset({"dwelling", "parking", "commercial"})


@dataclass(frozen=True)
class ResidentFact:
    person_id: int
    birth_date: date | None
    household_id: int | None
    is_household_representative: bool = False
    is_group_representative: bool = False
    residence_kind: str = "registered"  # "registered" (户籍) | "habitual" (常住)
    active: bool = True  # residency current on as_of


@dataclass(frozen=True)
class MemberFact:
    person_id: int
    body_id: int
    role: str
    term_start: date | None = None
    term_end: date | None = None  # inclusive


@dataclass(frozen=True)
class PartFact:
    part_id: int
    kind: str  # "dwelling" | "parking" | "commercial"
    # 0.01 m² units; source order register > survey > contract (SPI Art. 8)
    area_register: int | None = None
    area_survey: int | None = None
    area_contract: int | None = None


@dataclass(frozen=True)
class OwnershipFact:
    part_id: int
    person_id: int | None  # None when the holder is the developer
    # Set when the developer holds the part (unsold or sold-but-undelivered).
    developer_id: int | None = None
    # Among co-owners of a part, the one they nominated to vote.
    nominated_voter: bool = False
