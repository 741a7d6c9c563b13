"""Rolls of a residents' meeting (居民会议): adults, household or group representatives.

城市居民委员会组织法 (2018 Arts. 8–9; revised 2025-10-28, in force 2026-01-01)
[NAT-LAW]: the residents' meeting is formed by residents aged 18 or over, or by one
representative per household, or by representatives of the residents' groups (居民小组).
Which residents are "of the community" (户籍 vs 常住, the 2025 revision's habitual
residents) is a per-law-version choice made by the caller through ``residence_kinds``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from .adults import adult_residents
from .facts import RESIDENCE_KINDS, ResidentFact
from .households import household_representatives
from .snapshot import (
    RESIDENT_BASES,
    RollBasis,
    RollSnapshot,
    person_member,
    snapshot_of,
)


def build_resident_roll(
    basis: RollBasis,
    residents: Iterable[ResidentFact],
    as_of: date,
    *,
    residence_kinds: Collection[str] | None = None,
) -> RollSnapshot:
    """Roll of a residents' meeting (居民会议), per 居民委员会组织法.

    ``residence_kinds`` restricts which residencies count (e.g. only
    ``{"registered"}``); None counts every kind. Inactive residencies are
    ignored, and a person with several residencies appears once.
    """
    if basis not in RESIDENT_BASES:
        raise ValueError(f"build_resident_roll cannot build a {basis!s} roll")
    active = _active_residents(residents, residence_kinds)
    if basis is RollBasis.RESIDENTS_ADULT:
        members, problems = adult_residents(active, as_of)
    elif basis is RollBasis.HOUSEHOLD_REPRESENTATIVES:
        members, problems = household_representatives(active, as_of)
    else:
        members = [
            person_member(pid)
            for pid in {f.person_id for f in active if f.is_group_representative}
        ]
        problems = []
    return snapshot_of(basis, as_of, members, problems)


def _active_residents(
    residents: Iterable[ResidentFact], residence_kinds: Collection[str] | None
) -> list[ResidentFact]:
    kinds = None if residence_kinds is None else frozenset(residence_kinds)
    if kinds is not None and not kinds <= RESIDENCE_KINDS:
        raise ValueError(f"unknown residence kinds: {sorted(kinds - RESIDENCE_KINDS)}")
    active: list[ResidentFact] = []
    for fact in residents:
        if fact.residence_kind not in RESIDENCE_KINDS:
            raise ValueError(
                f"person {fact.person_id}: unknown residence_kind "
                f"{fact.residence_kind!r}"
            )
        if fact.active and (kinds is None or fact.residence_kind in kinds):
            active.append(fact)
    return active
