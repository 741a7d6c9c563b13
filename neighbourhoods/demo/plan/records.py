"""The demo plan's records: every row of the demo register, in memory.

The plan is built from `SEED` and never looks at the clock: ages, purchase and move-in
dates count from `REFERENCE_DATE`, so a run next year writes the same rows as a run
today. ID numbers exist only here; the database gets their keyed hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

SEED = 20260101
REFERENCE_DATE = dt.date(2026, 1, 1)
TERM_START = dt.date(2024, 1, 1)
TERM_END = dt.date(2028, 12, 31)

PartKey = tuple[str, str, str | None, str]  # compound slug, building, entrance, room
HouseholdKey = tuple[str, str]  # community code, household number
BodyKey = tuple[str, str | None, str]  # community code, compound slug, body kind


@dataclass
class PartSpec:
    key: PartKey
    kind: str
    community: str
    area_register: int | None = None
    area_survey: int | None = None
    area_contract: int | None = None
    unit_code: str = ""
    developer_held: bool = False


@dataclass
class PersonSpec:
    id_number: str
    full_name: str
    sex: str  # "M" | "F"
    birth_date: dt.date
    phone: str
    community: str  # home community code
    # Not stored as such; used to choose people for roles.
    compound: str | None = None  # where they live; None for owners living elsewhere
    household: HouseholdKey | None = None
    tenant: bool = False
    party_member: bool = False
    # A probationary party member (预备党员): seated, without a vote.
    probationary: bool = False

    @property
    def age(self) -> int:
        b, r = self.birth_date, REFERENCE_DATE
        return r.year - b.year - ((r.month, r.day) < (b.month, b.day))


@dataclass
class HouseholdSpec:
    key: HouseholdKey
    group: int
    dwelling: PartKey


@dataclass
class ResidencySpec:
    person: str  # ID number
    household: HouseholdKey
    kind: str
    is_representative: bool
    start_date: dt.date
    is_group_representative: bool = False


@dataclass
class OwnershipSpec:
    part: PartKey
    person: str | None  # ID number
    developer: str | None  # developer name
    basis: str
    nominated_voter: bool
    start_date: dt.date | None


@dataclass(frozen=True)
class BodySpec:
    key: BodyKey
    name: str


@dataclass(frozen=True)
class MembershipSpec:
    body: BodyKey
    person: str
    role: str
    term_start: dt.date | None
    term_end: dt.date | None


@dataclass(frozen=True)
class RepresentativeSpec:
    person: str
    kind: str
    level: str
    title: str
    communities: tuple[str, ...]


@dataclass(frozen=True)
class LoginSpec:
    username: str
    who_zh: str
    who_en: str
    person: str | None = None  # ID number of the linked Person
    superuser: bool = False
    staff_community: str | None = None  # community code: editor there
    staff_subdistrict: str | None = None  # subdistrict code: viewer there
    first_name: str = ""


@dataclass
class Plan:
    parts: list[PartSpec] = field(default_factory=list)
    people: list[PersonSpec] = field(default_factory=list)
    households: list[HouseholdSpec] = field(default_factory=list)
    residencies: list[ResidencySpec] = field(default_factory=list)
    ownerships: list[OwnershipSpec] = field(default_factory=list)
    bodies: list[BodySpec] = field(default_factory=list)
    memberships: list[MembershipSpec] = field(default_factory=list)
    representatives: list[RepresentativeSpec] = field(default_factory=list)
    grid_workers: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    logins: list[LoginSpec] = field(default_factory=list)

    def digest(self) -> str:
        """A fingerprint of the whole plan (the test compares it across processes)."""
        sha = hashlib.sha256()
        for name in (
            "parts",
            "people",
            "households",
            "residencies",
            "ownerships",
            "bodies",
            "memberships",
            "representatives",
            "grid_workers",
            "logins",
        ):
            sha.update(repr(getattr(self, name)).encode())
        return sha.hexdigest()
