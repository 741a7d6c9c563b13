"""A residents' meeting (居民会议) or an owners' assembly (业主大会) held in a room:
who is seated from the roll snapshot of its basis, and how its quorum is counted.

RULES.md §3.1 (居组法 第九条): a residents' meeting is attended by all residents aged
18 or more, or one representative per household, or the residents' groups'
representatives; it is quorate when MORE THAN HALF (过半数, strict) of that
constituency is present. Its count is heads (adults, group representatives) or
households (one representative each) — the roll's ``heads`` either way.

RULES.md §2.2 (民法典 第二百七十八条第二款): the owners' quorum is owners present
holding AT LEAST TWO THIRDS (三分之二以上, inclusive) of all exclusive area AND being
at least two thirds of all owners — both by area (0.01 m² integers) and by count.

The room keeps the roll's totals as its denominators (frozen when it is created) and
one seat per voter: a person casting the vote of several roll members (a household
representative of two households, an owner who is also the nominated voter of a
co-owned flat) holds one seat carrying all their heads and area. Members without a
voter (a household without a representative, co-owners without a nominee, a
developer) are seated without a login, for the secretary to mark present in the hall.

The quorum is the rule's own (``ballots.domain.rules``), evaluated with exact
integer arithmetic. No Django import here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from consultation.ballots.domain.rules import Rule, evaluate, format_area
from neighbourhoods.rolls.domain import RollBasis, RollSnapshot
from neighbourhoods.rolls.domain.snapshot import RESIDENT_BASES


class AssemblyKind(enum.StrEnum):
    RESIDENTS_MEETING = "residents_meeting"  # 居民会议
    OWNERS_ASSEMBLY = "owners_assembly"  # 业主大会


#: The rule family whose quorum applies (the owners' quorum is the same for ordinary
#: and major matters: the ordinary family stands for both).
ASSEMBLY_FAMILY = {
    AssemblyKind.RESIDENTS_MEETING: "residents-meeting",
    AssemblyKind.OWNERS_ASSEMBLY: "owners-ordinary",
}

#: The roll bases each kind of assembly may be drawn on.
ASSEMBLY_BASES = {
    AssemblyKind.RESIDENTS_MEETING: frozenset(RESIDENT_BASES),
    AssemblyKind.OWNERS_ASSEMBLY: frozenset({RollBasis.OWNERS}),
}


class Counting(enum.StrEnum):
    """What the room counts for its quorum."""

    MEMBERS = "members"  # a body's members, one each
    HEADS = "heads"  # adult residents or group representatives
    HOUSEHOLDS = "households"  # one representative per household
    OWNERS = "owners"  # owners by count AND by exclusive area


def counting_for(basis: str) -> Counting:
    if basis == RollBasis.OWNERS:
        return Counting.OWNERS
    if basis == RollBasis.HOUSEHOLD_REPRESENTATIVES:
        return Counting.HOUSEHOLDS
    if basis in RESIDENT_BASES:
        return Counting.HEADS
    return Counting.MEMBERS


@dataclass(frozen=True)
class Seat:
    """One seat of an assembly: a voter (``person_id``) or, without one, the roll
    member's key; with the heads and area it carries."""

    person_id: int | None
    key: str
    heads: int
    area: int


def seats_from_roll(roll: RollSnapshot) -> list[Seat]:
    """One seat per voter (their members' heads and area summed), then one per
    member without a voter; the totals equal the roll's."""
    by_voter: dict[int, list[int]] = {}
    keys: dict[int, str] = {}
    loose: list[Seat] = []
    for member in roll.members:
        voter = member.voter_person_id
        if voter is None:
            loose.append(Seat(None, member.key, member.heads, member.area))
            continue
        weight = by_voter.setdefault(voter, [0, 0])
        weight[0] += member.heads
        weight[1] += member.area
        keys.setdefault(voter, member.key)
    seats = [Seat(pid, keys[pid], h, a) for pid, (h, a) in by_voter.items()]
    return seats + loose


@dataclass(frozen=True)
class Weight:
    heads: int
    area: int = 0


def present_weight(
    weights: Mapping[int, Weight], online: Iterable[int], in_hall: Iterable[int]
) -> Weight:
    """The seats present (connected or marked in the hall, each once) summed; only
    seats in `weights` (those with a vote) count."""
    present = (set(online) | set(in_hall)) & set(weights)
    return Weight(
        sum(weights[i].heads for i in present), sum(weights[i].area for i in present)
    )


@dataclass(frozen=True)
class RollQuorum:
    counting: Counting
    expected: int
    present: int
    met: bool
    expected_area: int = 0
    present_area: int = 0

    def as_dict(self) -> dict:
        found = {
            "expected": self.expected,
            "present": self.present,
            "met": self.met,
            "counting": self.counting.value,
        }
        if self.counting is Counting.OWNERS:
            found["expected_area"] = format_area(self.expected_area)
            found["present_area"] = format_area(self.present_area)
        return found


def _owner_values(expected: Weight, present: Weight) -> dict[str, int]:
    return {
        "total_area": expected.area,
        "total_owners": expected.heads,
        "participating_area": present.area,
        "participating_owners": present.heads,
        "yes_area": 0,
        "yes_owners": 0,
    }


def _whole_input(rule: Rule) -> str:
    for part, whole in rule.bounds:
        if part == "present":
            return whole
    raise ValueError(f"{rule.id} has no bound on 'present'")


def roll_quorum(
    rule: Rule, counting: Counting, *, expected: Weight, present: Weight
) -> RollQuorum:
    """The rule's quorum condition for the seats present (no vote yet: yes = 0).

    For owners the rule's inputs are area and owners (民法典 第二百七十八条); for
    residents the constituency and those present (居组法 第九条). Present is capped
    at expected; nobody expected is never quorate.
    """
    heads = min(present.heads, expected.heads)
    area = min(present.area, expected.area)
    if expected.heads == 0:
        return RollQuorum(counting, 0, 0, False, expected.area, 0)
    if counting is Counting.OWNERS:
        values = _owner_values(expected, Weight(heads, area))
    else:
        values = {_whole_input(rule): expected.heads, "present": heads, "yes": 0}
    met = evaluate(rule, values).quorum_met
    return RollQuorum(counting, expected.heads, heads, met, expected.area, area)
