"""What a roll is: its basis, its members, its two denominators and its problems.

A ``RollSnapshot`` is evidence for a vote (RULES.md §9.5): it refuses to exist in an
inconsistent state, and the same facts always give an equal snapshot. 民法典 Art. 278
¶2 (2021) [NAT-LAW] has owners decide by both area and head-count, so every member
carries ``heads`` and ``area`` and the snapshot both totals.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class RollBasis(StrEnum):
    RESIDENTS_ADULT = "residents_adult"  # residents aged >= 18 on as_of
    HOUSEHOLD_REPRESENTATIVES = "household_representatives"  # one per household
    GROUP_REPRESENTATIVES = "group_representatives"  # 居民小组 representatives
    BODY_MEMBERS = "body_members"  # members of one body, term active on as_of
    PARTY_MEMBERS = "party_members"  # members of a party body, active on as_of
    OWNERS = "owners"  # owners counted per SPI Arts. 8–9


RESIDENT_BASES = frozenset(
    {
        RollBasis.RESIDENTS_ADULT,
        RollBasis.HOUSEHOLD_REPRESENTATIVES,
        RollBasis.GROUP_REPRESENTATIVES,
    }
)
MEMBER_BASES = frozenset({RollBasis.BODY_MEMBERS, RollBasis.PARTY_MEMBERS})


@dataclass(frozen=True)
class RollMember:
    key: str  # stable identity key: "p:12", "co:3,7", "dev:1", "hh:9"
    person_ids: tuple[int, ...]  # sorted
    # Who casts the vote; None for a developer, for co-owners without a single
    # nominee, and for a household without a representative.
    voter_person_id: int | None
    # 1 for a member; 0 only for an owner of parking spaces alone whose head the
    # community does not count but whose parking area it does (owners.py).
    heads: int
    area: int  # 0.01 m²; 0 for non-owner bases
    part_ids: tuple[int, ...]  # sorted; empty for non-owner bases


@dataclass(frozen=True)
class RollProblem:
    # One of: "birth_date_missing", "birth_date_conflict",
    # "no_household_representative", "several_household_representatives",
    # "representative_without_household", "representative_of_several_households",
    # "representative_under_18", "representative_birth_date_missing",
    # "probationary_and_full_member",
    # "area_missing", "part_without_owner", "co_owner_not_nominated",
    # "several_nominated_voters", "mixed_holding".
    code: str
    subject: str  # "part:5", "household:9", "person:3", or an owner key "co:3,7"
    detail: str  # English, short


@dataclass(frozen=True)
class RollSnapshot:
    basis: RollBasis
    as_of: date
    members: tuple[RollMember, ...]  # sorted by key
    head_count: int
    total_area: int
    problems: tuple[RollProblem, ...]

    def __post_init__(self) -> None:
        # A snapshot is evidence for a vote: refuse an internally inconsistent one
        # rather than let a wrong denominator reach a tally.
        keys = tuple(m.key for m in self.members)
        if list(keys) != sorted(set(keys)):
            raise ValueError("roll members must have unique keys, sorted by key")
        if self.head_count != sum(m.heads for m in self.members):
            raise ValueError("head_count must equal the members' heads")
        if self.total_area != sum(m.area for m in self.members):
            raise ValueError("total_area must equal the members' areas")

    def member(self, key: str) -> RollMember | None:
        # Members are sorted by key (checked above), so a binary search suffices.
        i = bisect.bisect_left(self.members, key, key=lambda m: m.key)
        if i < len(self.members) and self.members[i].key == key:
            return self.members[i]
        return None

    def members_for_voter(self, person_id: int) -> tuple[RollMember, ...]:
        """The members whose vote this person casts (usually zero or one)."""
        return tuple(m for m in self.members if m.voter_person_id == person_id)


# --- Helpers shared by the kinds of roll -------------------------------------------


def person_member(person_id: int) -> RollMember:
    """A member who is one person voting for themself."""
    return RollMember(
        key=f"p:{person_id}",
        person_ids=(person_id,),
        voter_person_id=person_id,
        heads=1,
        area=0,
        part_ids=(),
    )


def snapshot_of(
    basis: RollBasis,
    as_of: date,
    members: Iterable[RollMember],
    problems: Iterable[RollProblem],
) -> RollSnapshot:
    """The snapshot of these members, with both totals, independent of input order."""
    # Sorting both tuples makes the snapshot independent of input order, so the
    # same facts always give an equal (and equally hashed) snapshot.
    ordered = tuple(sorted(members, key=lambda m: m.key))
    return RollSnapshot(
        basis=basis,
        as_of=as_of,
        members=ordered,
        head_count=sum(m.heads for m in ordered),
        total_area=sum(m.area for m in ordered),
        problems=tuple(
            sorted(set(problems), key=lambda p: (p.code, p.subject, p.detail))
        ),
    )


def joined_ids(ids: Iterable[int]) -> str:
    """Ids sorted and comma-joined, as identity keys and problem details show them."""
    return ",".join(str(i) for i in sorted(ids))
