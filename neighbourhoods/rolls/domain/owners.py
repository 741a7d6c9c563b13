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
- 业主大会和业主委员会指导规则 (建房〔2009〕274号) [NAT-NORM]: Art. 24 counts owners as
  SPI Art. 9 does; Art. 25 leaves to the assembly's rules (议事规则) whether the AREA
  of parking spaces and stalls counts, and has co-owners of a part count as one owner
  who nominate one of themselves to vote (article numbers from secondary copies of
  the text: needs legal review before citing in a decision).
- Parking: area and heads are two questions (``OwnerCountingOptions``). Whether
  parking AREA counts is the assembly's choice (指导规则 Art. 25) [LOCAL setting,
  default off]. Whether owners who hold ONLY parking spaces count as HEADS follows
  SPI Art. 9 (one head per exclusive part, and parking spaces are exclusive parts,
  SPI Art. 2) [default yes; UNVERIFIED "needs legal review": at least one court
  excluded parking-only right-holders from both area and heads on matters that do
  not concern parking]. On a matter that concerns parking both always count.
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
    """How parking spaces count on an owners' roll (see the module docstring).

    A parking space is always an exclusive part held by its owner; these options
    decide only what it adds: its area, and a head for an owner holding nothing else.
    """

    # 指导规则 Art. 25: the assembly's rules say whether parking area counts [LOCAL].
    count_parking_area: bool = False
    # SPI Art. 9: one head per exclusive part [default yes; needs legal review].
    count_parking_only_owners: bool = True
    # The matter itself concerns parking: both always count, whatever the settings.
    matter_concerns_parking: bool = False

    @property
    def parking_area_counts(self) -> bool:
        return self.count_parking_area or self.matter_concerns_parking

    @property
    def parking_only_owners_count(self) -> bool:
        return self.count_parking_only_owners or self.matter_concerns_parking

    @property
    def parking_counts_at_all(self) -> bool:
        """Whether a parking space can add anything (a head or area) to a roll."""
        return self.parking_area_counts or self.parking_only_owners_count


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
    parking_only: bool = True  # until a part of another kind is added


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
    members = _owner_members(holdings, options, problems)
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
    """Each held part added to its owner identity's holding (SPI Art. 9).

    A parking space whose area does not count still belongs to its holding (it may
    be its owner's only part, which may count as a head) but adds no area.
    """
    holdings: dict[str, _Holding] = {}
    for pid in sorted(part_by_id):
        part = part_by_id[pid]
        parking = part.kind == "parking"
        developers = holders.developers_of.get(pid, set())
        persons = holders.persons_of.get(pid, set())
        if not developers and not persons:
            if not parking or options.parking_counts_at_all:
                problems.append(
                    RollProblem(
                        "part_without_owner", f"part:{pid}", "no holder recorded"
                    )
                )
            continue
        counts_area = not parking or options.parking_area_counts
        area = _part_area(part, pid, problems) if counts_area else 0
        holding = _holding_for(holdings, developers, persons)
        holding.nominees |= holders.nominees_of.get(pid, set())
        holding.part_ids.append(pid)
        holding.area += area
        holding.parking_only = holding.parking_only and parking
    return holdings


def _part_area(part: PartFact, pid: int, problems: list[RollProblem]) -> int:
    area, _source = counted_area(part)
    if area is None:
        # Still one owner (SPI Art. 9 counts parts, not square metres), but area
        # totals are understated until an area is recorded.
        problems.append(
            RollProblem(
                "area_missing", f"part:{pid}", "no register/survey/contract area"
            )
        )
        return 0
    return area


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


def _heads(
    holding: _Holding, options: OwnerCountingOptions, counted_elsewhere: set[int]
) -> int:
    """One head per owner identity (SPI Art. 9), except for parking spaces alone:

    - held by persons who all hold a dwelling or shop as well (in another identity,
      e.g. a co-owned flat): no head of its own, since one buyer of several parts is
      one owner (SPI Art. 9) and they are counted there already;
    - held by an owner of parking spaces only: a head unless the community's setting
      leaves such owners out (never on a matter that concerns parking).
    """
    if not holding.parking_only:
        return 1
    if holding.person_ids and counted_elsewhere.issuperset(holding.person_ids):
        return 0
    return 1 if options.parking_only_owners_count else 0


def _owner_members(
    holdings: dict[str, _Holding],
    options: OwnerCountingOptions,
    problems: list[RollProblem],
) -> list[RollMember]:
    members: list[RollMember] = []
    keys_of_person: dict[int, set[str]] = defaultdict(set)
    counted_elsewhere = {
        person
        for holding in holdings.values()
        if not holding.parking_only
        for person in holding.person_ids
    }
    for key, holding in holdings.items():
        heads = _heads(holding, options, counted_elsewhere)
        if heads == 0 and not options.parking_area_counts:
            # Counted for neither heads nor area: not on the roll at all.
            continue
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
                heads=heads,
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
    # Art. 25 ¶2). No nominee, or more than one, means nobody may vote for them yet.
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
