"""Voter rolls: who counts, once, with which head and area, on a given date.

A roll is frozen into a ``RollSnapshot`` when a vote or meeting is prepared, so
that quorum and majority are later computed against the same denominator that
was published (RULES.md §9.5, evidence). This module only *computes* rolls from
plain facts; loading the facts and storing the snapshot is the service layer's
job. No Django imports, exact integers only, and the date is always passed in.

Laws and rules encoded
----------------------
- 民法典 Art. 278 ¶2 (2021) [NAT-LAW]: owners decide by BOTH exclusive-part area
  and owner head-count, so an owner roll carries ``heads`` and ``area`` for
  every member (``head_count`` and ``total_area`` are the two denominators).
- 最高人民法院《关于审理建筑物区分所有权纠纷案件适用法律若干问题的解释》
  法释〔2009〕7号 (2020修正) ("SPI") [NAT-LAW]:
  - Art. 1: who is an owner. The caller decides that when it builds the
    ``OwnershipFact`` list (registered owners, Arts. 229–231 acquirers, and
    buyers lawfully in possession under a developer contract).
  - Art. 8: an exclusive part's area is the register area, else the surveyed
    area, else the sale-contract area (``counted_area``).
  - Art. 9: one exclusive part is one owner; all unsold or sold-but-undelivered
    developer parts together are one owner; one buyer of several parts is one
    owner (``build_owner_roll``).
- 业主大会和业主委员会指导规则 (建房〔2009〕274号) Art. 24 [NAT-NORM; article
  number UNVERIFIED]: co-owners of a part are one owner and nominate one of
  themselves to vote; whether parking spaces count is left to the assembly's
  rules (``OwnerCountingOptions.count_parking``).
- 城市居民委员会组织法 (2018 Arts. 8–9; revised 2025-10-28, in force
  2026-01-01) [NAT-LAW]: the residents' meeting is formed by residents aged 18
  or over, or by one representative per household, or by representatives of
  the residents' groups (居民小组) (``build_resident_roll``). Which residents are
  "of the community" (户籍 vs 常住, the 2025 revision's habitual residents) is a
  per-law-version choice made by the caller through ``residence_kinds``.
- 民法典 Art. 1259: "以上" includes the number itself, so "18周岁以上" is
  age >= 18; 民法典 Arts. 201–203 give the month-end rule used for Feb 29
  birthdays (``is_adult``).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "AREA_SOURCES",
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

RESIDENCE_KINDS = frozenset({"registered", "habitual"})  # 户籍 | 常住
PART_KINDS = frozenset({"dwelling", "parking", "commercial"})
# SPI Art. 8 order of precedence; the first source with a value wins.
AREA_SOURCES = ("register", "survey", "contract")

VOTING_AGE = 18


# --- Facts (inputs) ---------------------------------------------------------


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


# --- Results ------------------------------------------------------------------


@dataclass(frozen=True)
class RollMember:
    key: str  # stable identity key: "p:12", "co:3,7", "dev:1", "hh:9"
    person_ids: tuple[int, ...]  # sorted
    # Who casts the vote; None for a developer, for co-owners without a single
    # nominee, and for a household without a representative.
    voter_person_id: int | None
    heads: int  # always 1 for a member
    area: int  # 0.01 m²; 0 for non-owner bases
    part_ids: tuple[int, ...]  # sorted; empty for non-owner bases


@dataclass(frozen=True)
class RollProblem:
    # One of: "birth_date_missing", "birth_date_conflict",
    # "no_household_representative", "several_household_representatives",
    # "representative_without_household", "representative_of_several_households",
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


@dataclass(frozen=True)
class OwnerCountingOptions:
    # Whether parking spaces count (head and area). The assembly's rules decide
    # (指导规则 Art. 24), so this is a per-community setting, default off.
    count_parking: bool = False


# --- Age ----------------------------------------------------------------------


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


# --- Area -----------------------------------------------------------------------


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


# --- Shared helpers -------------------------------------------------------------


def _person_member(person_id: int) -> RollMember:
    return RollMember(
        key=f"p:{person_id}",
        person_ids=(person_id,),
        voter_person_id=person_id,
        heads=1,
        area=0,
        part_ids=(),
    )


def _snapshot(
    basis: RollBasis,
    as_of: date,
    members: Iterable[RollMember],
    problems: Iterable[RollProblem],
) -> RollSnapshot:
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


def _ids(ids: Iterable[int]) -> str:
    return ",".join(str(i) for i in sorted(ids))


# --- Residents ------------------------------------------------------------------


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

    if basis is RollBasis.RESIDENTS_ADULT:
        members, problems = _adult_residents(active, as_of)
    elif basis is RollBasis.HOUSEHOLD_REPRESENTATIVES:
        members, problems = _household_representatives(active)
    else:
        members = [
            _person_member(pid)
            for pid in {f.person_id for f in active if f.is_group_representative}
        ]
        problems = []
    return _snapshot(basis, as_of, members, problems)


def _adult_residents(
    active: list[ResidentFact], as_of: date
) -> tuple[list[RollMember], list[RollProblem]]:
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
            members.append(_person_member(pid))
    return members, problems


def _household_representatives(
    active: list[ResidentFact],
) -> tuple[list[RollMember], list[RollProblem]]:
    reps: dict[int, set[int]] = {}
    problems: list[RollProblem] = []
    for fact in active:
        if fact.household_id is None:
            if fact.is_household_representative:
                problems.append(
                    RollProblem(
                        "representative_without_household",
                        f"person:{fact.person_id}",
                        "flagged as household representative without a household",
                    )
                )
            continue
        # setdefault: every active household is on the roll, represented or not
        household_reps = reps.setdefault(fact.household_id, set())
        if fact.is_household_representative:
            household_reps.add(fact.person_id)

    members: list[RollMember] = []
    households_of_voter: dict[int, set[int]] = defaultdict(set)
    for hh, rep_ids in reps.items():
        subject = f"household:{hh}"
        if not rep_ids:
            # The household is still part of the constituency (居民委员会组织法
            # 2018 Art. 9 counts 户的代表 against all households); leaving it out would
            # shrink the quorum denominator. Nobody can vote for it until a
            # representative is recorded.
            problems.append(
                RollProblem("no_household_representative", subject, "no representative")
            )
            members.append(
                RollMember(f"hh:{hh}", (), None, heads=1, area=0, part_ids=())
            )
            continue
        voter = min(rep_ids)
        if len(rep_ids) > 1:
            # One household, one vote: pick a deterministic voter and flag it.
            problems.append(
                RollProblem(
                    "several_household_representatives",
                    subject,
                    f"representatives {_ids(rep_ids)}; person {voter} counted",
                )
            )
        households_of_voter[voter].add(hh)
        members.append(
            RollMember(f"hh:{hh}", (voter,), voter, heads=1, area=0, part_ids=())
        )
    for voter, households in households_of_voter.items():
        if len(households) > 1:
            problems.append(
                RollProblem(
                    "representative_of_several_households",
                    f"person:{voter}",
                    f"represents households {_ids(households)}",
                )
            )
    return members, problems


# --- Bodies ---------------------------------------------------------------------


def _term_active(fact: MemberFact, as_of: date) -> bool:
    # Both ends inclusive; an open end (None) never excludes.
    if fact.term_start is not None and as_of < fact.term_start:
        return False
    return fact.term_end is None or as_of <= fact.term_end


def build_member_roll(
    basis: RollBasis,
    members: Iterable[MemberFact],
    as_of: date,
    body_ids: Iterable[int] | None = None,
) -> RollSnapshot:
    """Roll of a body (committee, Party branch…): members whose term covers as_of.

    ``body_ids`` limits the roll to those bodies (None = every body given); a
    person who sits in several of them, or holds several roles, counts once.
    """
    if basis not in MEMBER_BASES:
        raise ValueError(f"build_member_roll cannot build a {basis!s} roll")
    wanted = None if body_ids is None else frozenset(body_ids)
    persons: set[int] = set()
    for fact in members:
        if (
            fact.term_start is not None
            and fact.term_end is not None
            and fact.term_end < fact.term_start
        ):
            raise ValueError(
                f"person {fact.person_id} in body {fact.body_id}: "
                "term_end is before term_start"
            )
        if wanted is not None and fact.body_id not in wanted:
            continue
        if _term_active(fact, as_of):
            persons.add(fact.person_id)
    return _snapshot(basis, as_of, (_person_member(p) for p in persons), ())


# --- Owners ---------------------------------------------------------------------


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
    part_by_id: dict[int, PartFact] = {}
    for part in parts:
        if part.kind not in PART_KINDS:
            raise ValueError(f"part {part.part_id}: unknown kind {part.kind!r}")
        counted_area(part)  # validates every recorded area
        known = part_by_id.setdefault(part.part_id, part)
        if known != part:
            raise ValueError(f"part {part.part_id} is described twice, differently")

    persons_of: dict[int, set[int]] = defaultdict(set)
    nominees_of: dict[int, set[int]] = defaultdict(set)
    developers_of: dict[int, set[int]] = defaultdict(set)
    for own in ownerships:
        if (own.person_id is None) == (own.developer_id is None):
            raise ValueError(
                f"ownership of part {own.part_id}: exactly one of person_id and "
                "developer_id must be set"
            )
        if own.part_id not in part_by_id:
            raise ValueError(f"ownership refers to unknown part {own.part_id}")
        if own.developer_id is not None:
            developers_of[own.part_id].add(own.developer_id)
        else:
            assert own.person_id is not None  # narrowed by the check above
            persons_of[own.part_id].add(own.person_id)
            if own.nominated_voter:
                nominees_of[own.part_id].add(own.person_id)
    for pid in developers_of:
        # A developer holds a part only while it is unsold or undelivered, and
        # then no buyer counts for it (SPI Art. 9); both at once is bad data.
        if persons_of.get(pid):
            raise ValueError(f"part {pid} is held by a developer and by persons")
        if len(developers_of[pid]) > 1:
            raise ValueError(f"part {pid} is held by several developers")

    holdings: dict[str, _Holding] = {}
    problems: list[RollProblem] = []
    for pid in sorted(part_by_id):
        part = part_by_id[pid]
        if part.kind == "parking" and not options.count_parking:
            # Neither head nor area: the assembly's rules have not opted in.
            continue
        developers = developers_of.get(pid, set())
        holders = persons_of.get(pid, set())
        if not developers and not holders:
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
        if developers:
            (developer,) = developers
            key = f"dev:{developer}"
            holding = holdings.setdefault(key, _Holding((), developer))
        else:
            key = (
                f"p:{next(iter(holders))}"
                if len(holders) == 1
                else f"co:{_ids(holders)}"
            )
            holding = holdings.setdefault(key, _Holding(tuple(sorted(holders)), None))
            holding.nominees |= nominees_of.get(pid, set())
        holding.part_ids.append(pid)
        holding.area += area

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
    return _snapshot(RollBasis.OWNERS, as_of, members, problems)


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
                f"nominated: {_ids(holding.nominees)}",
            )
        )
    return None
