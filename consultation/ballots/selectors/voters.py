"""Reads of the roll for people: in what capacity a voter votes, why a resident is
not on a roll, what waits for a resident (我的事项), and the voters staff look up by
unit when they enter a stack of paper sheets."""

from __future__ import annotations

import dataclasses

from django.db.models import Q

from neighbourhoods.models import ExclusivePart, Membership, Person
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import ScopeKind

from ..domain.finding import unit_label, unit_matches, unit_parts, unit_query
from ..domain.units import format_area
from ..models import Ballot, Participation, Proxy, RollEntry

PAPER_CANDIDATES_SHOWN = 50


@dataclasses.dataclass(frozen=True)
class RollCandidate:
    """A roll entry as staff see it when entering a paper sheet."""

    entry_id: int
    name: str
    units: tuple[str, ...]  # 3栋2单元501室 …
    area: str  # "89.68㎡", or "" for a roll counted by heads
    has_voted: bool


def _unit_texts(entries: list[RollEntry]) -> dict[int, tuple[str, tuple[str, ...]]]:
    """part id → (its label, its number parts), in one query for the whole roll."""
    ids = {pid for entry in entries for pid in entry.part_ids}
    parts = ExclusivePart.objects.filter(pk__in=ids).values_list(
        "pk", "building__number", "entrance__number", "number"
    )
    found = {}
    for pk, building, entrance, number in parts:
        entrance = entrance or ""  # a part without an entrance
        found[pk] = (
            unit_label(building, entrance, number),
            unit_parts(building, entrance, number),
        )
    return found


def paper_entry_candidates(ballot: Ballot, query: str) -> list[RollCandidate]:
    """Roll entries matching a unit ("3-2-501") or a name, with their units shown;
    at most PAPER_CANDIDATES_SHOWN, in roll order. An empty query finds nobody."""
    query = query.strip()
    if not query:
        return []
    entries = list(
        RollEntry.objects.filter(ballot=ballot).select_related("voter").order_by("key")
    )
    units = _unit_texts(entries)
    voted = set(
        Participation.objects.filter(ballot=ballot).values_list("entry_id", flat=True)
    )
    wanted = unit_query(query)
    found = []
    for entry in entries:
        name = entry.voter.full_name if entry.voter else entry.key
        mine = [units[pid] for pid in entry.part_ids if pid in units]
        if query in name or any(unit_matches(wanted, parts) for _l, parts in mine):
            found.append(
                RollCandidate(
                    entry_id=entry.pk,
                    name=name,
                    units=tuple(label for label, _p in mine),
                    area=format_area(entry.area) + "㎡" if entry.area else "",
                    has_voted=entry.pk in voted,
                )
            )
        if len(found) >= PAPER_CANDIDATES_SHOWN:
            break
    return found


def voter_capacity(ballot: Ballot, entry: RollEntry) -> dict:
    """In what capacity this roll entry votes: its units, area and co-owners."""
    units = _unit_texts([entry])
    voter_id = entry.voter_id
    co_owners = list(
        Person.objects.filter(
            pk__in=[pid for pid in entry.person_ids if pid != voter_id]
        )
        .order_by("full_name")
        .values_list("full_name", flat=True)
    )
    return {
        "units": [units[pid][0] for pid in entry.part_ids if pid in units],
        "area": format_area(entry.area) + "㎡" if entry.area else "",
        "heads": entry.heads,
        "co_owners": co_owners,
    }


def _represented_by(ballot: Ballot, person) -> str | None:
    """The co-owner who votes for a unit this person owns too (owners' ballots)."""
    for person_ids, name in RollEntry.objects.filter(ballot=ballot).values_list(
        "person_ids", "voter__full_name"
    ):
        if person.pk in person_ids:
            return name
    return None


def not_on_roll_reason(ballot: Ballot, person) -> dict:
    """Why a signed-in resident is not on this ballot's roll, in plain words."""
    basis = ballot.basis
    if basis == RollBasis.OWNERS:
        name = _represented_by(ballot, person) if person is not None else None
        if name:
            return {"code": "co_owner_represented", "name": name}
        return {"code": "not_an_owner"}
    if basis in (RollBasis.BODY_MEMBERS, RollBasis.PARTY_MEMBERS):
        if person is not None and _probationary(ballot, person):
            return {"code": "probationary_member"}
        return {"code": "not_a_member"}
    if basis == RollBasis.HOUSEHOLD_REPRESENTATIVES and person is not None:
        flagged = {p["subject"]: p["code"] for p in ballot.roll_problems}
        code = flagged.get(f"person:{person.pk}")
        if code in ("representative_under_18", "representative_birth_date_missing"):
            return {"code": code}
    return {"code": basis}


def _probationary(ballot: Ballot, person) -> bool:
    """Whether the person held a probationary party seat (预备党员, no vote) in the
    ballot's bodies on the roll's date."""
    seats = Membership.objects.filter(
        person=person, role=Membership.Role.PROBATIONARY_MEMBER
    )
    as_of = ballot.roll_as_of
    if as_of is not None:
        seats = seats.filter(
            Q(term_start__isnull=True) | Q(term_start__lte=as_of),
            Q(term_end__isnull=True) | Q(term_end__gte=as_of),
        )
    if ballot.scope_kind == ScopeKind.BODY:
        return seats.filter(body_id=ballot.scope_id).exists()
    if ballot.scope_kind == ScopeKind.COMPOUND:
        return seats.filter(body__compound_id=ballot.scope_id).exists()
    return seats.filter(body__community_id=ballot.scope_id).exists()


def ballots_waiting_for(person) -> dict[str, list]:
    """我的事项: open ballots this person can vote on now, proxies they hold, and
    the open ones they have voted on."""
    if person is None:
        return {"to_vote": [], "proxies": [], "voted": []}
    entries = (
        RollEntry.objects.filter(voter=person, ballot__status=Ballot.Status.OPEN)
        .select_related("ballot", "ballot__community")
        .order_by("ballot__closes_at", "ballot__pk")
    )
    voted = set(
        Participation.objects.filter(entry__in=entries).values_list(
            "entry_id", flat=True
        )
    )
    proxies = (
        Proxy.objects.filter(holder=person, ballot__status=Ballot.Status.OPEN)
        .exclude(principal_id__in=Participation.objects.values("entry_id"))
        .select_related("ballot", "principal__voter")
    )
    return {
        "to_vote": [e.ballot for e in entries if e.pk not in voted],
        "proxies": list(proxies),
        "voted": [e.ballot for e in entries if e.pk in voted],
    }
