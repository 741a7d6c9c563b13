"""Rolls of a body (committee, Party branch, council…): members in their term.

A member counts when the date falls within the term, both ends inclusive and an open
end never excluding; a person who sits in several of the bodies counted, or holds
several roles, is one member.

Probationary party members (预备党员) have no vote: 《中国共产党章程》 Art. 7 gives a
probationary member the duties and the rights of a full member except the rights to
vote, to elect and to stand for election [NAT-NORM, Party regulation]; RULES.md §9a:
they are not in the denominator. Their seat (role ``probationary_member``) is kept in
the register and never puts them on a roll. A person recorded both as probationary
and as a full member on the same day (a 转正 whose old seat was not ended) counts as
a member and is flagged for review.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .facts import MemberFact
from .snapshot import (
    MEMBER_BASES,
    RollBasis,
    RollProblem,
    RollSnapshot,
    person_member,
    snapshot_of,
)

#: Seats that never put a person on a roll: a probationary party member has no vote.
NON_VOTING_ROLES = frozenset({"probationary_member"})


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
    probationary: set[int] = set()
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
        if not _term_active(fact, as_of):
            continue
        if fact.role in NON_VOTING_ROLES:
            probationary.add(fact.person_id)
        else:
            persons.add(fact.person_id)
    problems = [
        RollProblem(
            "probationary_and_full_member",
            f"person:{pid}",
            "seated both as probationary and as full member; counted as member",
        )
        for pid in persons & probationary
    ]
    return snapshot_of(basis, as_of, (person_member(p) for p in persons), problems)
