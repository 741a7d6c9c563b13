"""Owners' rolls for an owners' assembly: one head per owner, and the owner's area.

- 民法典 Art. 278 ¶2 (2021) [NAT-LAW]: owners decide by BOTH exclusive-part area and
  owner head-count, so each member carries ``heads`` and ``area``.
- 最高人民法院《关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》
  法释〔2009〕7号 (2020修正) ("SPI") [NAT-LAW]:
  - Art. 1: who is an owner; decided by the caller when it builds the
    ``OwnershipFact`` list.
  - Art. 8: an exclusive part's area is the register area, else the surveyed area,
    else the sale-contract area (``counted_area``).
  - Art. 9: one exclusive part is one owner; all unsold or sold-but-undelivered
    developer parts together are one owner; one buyer of several parts is one owner
    (``build_owner_roll``).
- 业主大会和业主委员会指导规则 (建房〔2009〕274号) Art. 24 [NAT-NORM; article number
  UNVERIFIED]: co-owners of a part are one owner and nominate one of themselves to
  vote; whether parking spaces count is left to the assembly's rules
  (``OwnerCountingOptions.count_parking``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .facts import PART_KINDS, OwnershipFact, PartFact
from .snapshot import (
    RollBasis,
    RollMember,
    RollProblem,
    RollSnapshot,
    joined_ids,
    snapshot_of,
)

# SPI Art. 8 order of precedence; the first source with a value wins.
AREA_SOURCES = ("register", "survey", "contract")


@dataclass(frozen=True)
class OwnerCountingOptions:
    # Whether parking spaces count (head and area). The assembly's rules decide
    # (指导规则 Art. 24), so this is a per-community setting, default off.
    count_parking: bool = False


# --- Area (SPI Art. 8) --------------------------------------------------------------


def _check_area(part: PartFact, source: str, value: int | None) -> None:
    if value is None:
        return
    # bool is an int subclass; a float or Decimal would break exact tallies.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"part {part.part_id}: area_{source} must be an int in 0.01 m² units, "
            f"got {type(value).__name__}"
        )
    if value < 0:
        raise ValueError(f"part {part.part_id}: area_{source} is negative ({value})")


def counted_area(part: PartFact) -> tuple[int | None, str | None]:
    """The area counted for a part and its source, per SPI Art. 8.

    Register area, else surveyed area, else contract area; ``(None, None)`` if
    none is known. Every recorded area is validated, not only the one used.
    """
    candidates = (
        ("register", part.area_register),
        ("survey", part.area_survey),
        ("contract", part.area_contract),
    )
    for source, value in candidates:
        _check_area(part, source, value)
    for source, value in candidates:
        if value is not None:
            return value, source
    return None, None


# --- Owners (SPI Art. 9) ------------------------------------------------------------


@dataclass
class _Holders:
    """Who holds each part, as the ownership facts say."""

    persons_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    nominees_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    developers_of: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


@dataclass
class _Holding:
    """Accumulates the parts of one owner identity while the roll is built."""

    person_ids: tuple[int, ...]
    developer_id: int | None
    part_ids: list[int] = field(default_factory=list)
    area: int = 0
    nominees: set[int] = field(default_factory=set)


def build_owner_roll(
    parts: Iterable[PartFact],
    ownerships: Iterable[OwnershipFact],
    as_of: date,
    options: OwnerCountingOptions = OwnerCountingOptions(),
) -> RollSnapshot:
    """Owners' roll for an owners' assembly, per SPI Arts. 8–9.

    Identities: a sole owner is ``p:<person>`` (all their sole parts merged);
    a set of co-owners is ``co:<sorted persons>`` (parts with the same set
    merged); a developer is ``dev:<developer>`` (all its parts merged). Each
    identity is one head and carries the summed area of its parts.

    Raises ValueError for invalid facts: a negative area, an unknown part kind,
    one part id with two different descriptions, an ownership of an unknown part,
    an ownership with both or neither of person_id and developer_id, or a part
    held by a developer together with persons or with another developer.
    """
    part_by_id = _parts_by_id(parts)
    holders = _holders(ownerships, part_by_id)
    problems: list[RollProblem] = []
    holdings = _holdings(part_by_id, holders, options, problems)
    members = _owner_members(holdings, problems)
    return snapshot_of(RollBasis.OWNERS, as_of, members, problems)


def _parts_by_id(parts: Iterable[PartFact]) -> dict[int, PartFact]:
    part_by_id: dict[int, PartFact] = {}
    for part in parts:
        if part.kind not in PART_KINDS:
            raise ValueError(f"part {part.part_id}: unknown kind {part.kind!r}")
        counted_area(part)  # validates every recorded area
        known = part_by_id.setdefault(part.part_id, part)
        if known != part:
            raise ValueError(f"part {part.part_id} is described twice, differently")
    return part_by_id


def _holders(
    ownerships: Iterable[OwnershipFact], part_by_id: dict[int, PartFact]
) -> _Holders:
    holders = _Holders()
    for own in ownerships:
        if (own.person_id is None) == (own.developer_id is None):
            raise ValueError(
                f"ownership of part {own.part_id}: exactly one of person_id and "
                "developer_id must be set"
            )
        if own.part_id not in part_by_id:
            raise ValueError(f"ownership refers to unknown part {own.part_id}")
        if own.developer_id is not None:
            holders.developers_of[own.part_id].add(own.developer_id)
        else:
            assert own.person_id is not None  # narrowed by the check above
            holders.persons_of[own.part_id].add(own.person_id)
            if own.nominated_voter:
                holders.nominees_of[own.part_id].add(own.person_id)
    for pid in holders.developers_of:
        # A developer holds a part only while it is unsold or undelivered, and
        # then no buyer counts for it (SPI Art. 9); both at once is bad data.
        if holders.persons_of.get(pid):
            raise ValueError(f"part {pid} is held by a developer and by persons")
        if len(holders.developers_of[pid]) > 1:
            raise ValueError(f"part {pid} is held by several developers")
    return holders


def _holdings(
    part_by_id: dict[int, PartFact],
    holders: _Holders,
    options: OwnerCountingOptions,
    problems: list[RollProblem],
) -> dict[str, _Holding]:
    """Each counted part added to its owner identity's holding (SPI Art. 9)."""
    holdings: dict[str, _Holding] = {}
    for pid in sorted(part_by_id):
        part = part_by_id[pid]
        if part.kind == "parking" and not options.count_parking:
            # Neither head nor area: the assembly's rules have not opted in.
            continue
        developers = holders.developers_of.get(pid, set())
        persons = holders.persons_of.get(pid, set())
        if not developers and not persons:
            problems.append(
                RollProblem("part_without_owner", f"part:{pid}", "no holder recorded")
            )
            continue
        area, _source = counted_area(part)
        if area is None:
            # Still one owner (SPI Art. 9 counts parts, not square metres), but
            # area totals are understated until an area is recorded.
            problems.append(
                RollProblem(
                    "area_missing", f"part:{pid}", "no register/survey/contract area"
                )
            )
            area = 0
        holding = _holding_for(holdings, developers, persons)
        holding.nominees |= holders.nominees_of.get(pid, set())
        holding.part_ids.append(pid)
        holding.area += area
    return holdings


def _holding_for(
    holdings: dict[str, _Holding], developers: set[int], persons: set[int]
) -> _Holding:
    """The holding of the part's owner identity: the developer, one person or a set."""
    if developers:
        (developer,) = developers
        return holdings.setdefault(f"dev:{developer}", _Holding((), developer))
    key = (
        f"p:{next(iter(persons))}" if len(persons) == 1 else f"co:{joined_ids(persons)}"
    )
    return holdings.setdefault(key, _Holding(tuple(sorted(persons)), None))


def _owner_members(
    holdings: dict[str, _Holding], problems: list[RollProblem]
) -> list[RollMember]:
    members: list[RollMember] = []
    keys_of_person: dict[int, set[str]] = defaultdict(set)
    for key, holding in holdings.items():
        voter: int | None
        if holding.developer_id is not None:
            # The developer is an organisation; its representative is not a
            # person on this roll.
            voter = None
        elif len(holding.person_ids) == 1:
            voter = holding.person_ids[0]
        else:
            voter = _co_owner_voter(key, holding, problems)
        for person in holding.person_ids:
            keys_of_person[person].add(key)
        members.append(
            RollMember(
                key=key,
                person_ids=holding.person_ids,
                voter_person_id=voter,
                heads=1,
                area=holding.area,
                part_ids=tuple(sorted(holding.part_ids)),
            )
        )
    for person, keys in keys_of_person.items():
        if len(keys) > 1:
            # SPI Art. 9 says neither whether a person who owns one part alone
            # and shares another is one owner or two, nor how two co-owner sets
            # overlap; keep the holdings apart and ask for manual review.
            problems.append(
                RollProblem(
                    "mixed_holding",
                    f"person:{person}",
                    "holds as " + ", ".join(sorted(keys)),
                )
            )
    return members


def _co_owner_voter(
    key: str, holding: _Holding, problems: list[RollProblem]
) -> int | None:
    # Co-owners are one owner and must nominate ONE of themselves (指导规则
    # Art. 24). No nominee, or more than one, means nobody may vote for them yet.
    if len(holding.nominees) == 1:
        return next(iter(holding.nominees))
    if not holding.nominees:
        problems.append(
            RollProblem("co_owner_not_nominated", key, "co-owners nominated no voter")
        )
    else:
        problems.append(
            RollProblem(
                "several_nominated_voters",
                key,
                f"nominated: {joined_ids(holding.nominees)}",
            )
        )
    return None
