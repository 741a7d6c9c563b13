"""Writing the demo's people, households, residencies and ownerships.

The ID numbers of the plan reach only `services.person_create`, which keeps their
keyed hash and last four; rows are found again by that hash.
"""

from __future__ import annotations

from dataclasses import dataclass

from neighbourhoods import services
from neighbourhoods.models import Household, Ownership, Person, Residency
from yishi.privacy import id_number_hash

from ..plan.records import HouseholdKey, Plan
from .places import Places
from .writer import RegisterWriter


@dataclass
class People:
    """The written people (by the plan's ID number) and households (by key)."""

    by_id_number: dict[str, Person]
    households: dict[HouseholdKey, Household]


def write_people(writer: RegisterWriter, plan: Plan, places: Places) -> People:
    hashes = {p.id_number: id_number_hash(p.id_number) for p in plan.people}
    existing = {
        person.id_number_hash: person
        for person in Person.objects.filter(
            id_number_hash__in=hashes.values()
        ).select_related("home_community")
    }
    rows = {
        hashes[p.id_number]: {
            "community": places.communities[p.community],
            "full_name": p.full_name,
            "id_number": p.id_number,
            "birth_date": p.birth_date,
            "phone": p.phone,
        }
        for p in plan.people
    }
    people = writer.missing("居民", existing, rows, services.person_create)
    written = People({n: people[h] for n, h in hashes.items()}, {})
    written.households = _households(writer, plan, places)
    _residencies(writer, plan, written)
    _ownerships(writer, plan, places, written)
    return written


def _households(writer: RegisterWriter, plan: Plan, places: Places) -> dict:
    stored = Household.objects.filter(
        community__in=places.communities.values()
    ).select_related("community")
    existing = {(h.community.code, h.number): h for h in stored}
    rows = {
        h.key: {
            "community": places.communities[h.key[0]],
            "number": h.key[1],
            "residents_group": places.groups[h.key[0], h.group],
            "dwelling": places.parts[h.dwelling],
        }
        for h in plan.households
    }
    return writer.missing("户", existing, rows, services.household_create)


def _residencies(writer: RegisterWriter, plan: Plan, people: People) -> None:
    households = people.households
    stored = Residency.objects.filter(household__in=households.values())
    # An editor may have named another representative since: never a second one.
    represented = set(
        stored.filter(is_representative=True, end_date__isnull=True).values_list(
            "household_id", flat=True
        )
    )
    existing = dict.fromkeys(stored.values_list("person_id", "household_id"))
    rows = {}
    for r in plan.residencies:
        person, household = people.by_id_number[r.person], households[r.household]
        rows[person.pk, household.pk] = {
            "person": person,
            "household": household,
            "kind": r.kind,
            "is_representative": r.is_representative
            and household.pk not in represented,
            "is_group_representative": r.is_group_representative,
            "start_date": r.start_date,
        }
    writer.missing("居住关系", existing, rows, services.residency_create)


def _ownerships(
    writer: RegisterWriter, plan: Plan, places: Places, people: People
) -> None:
    parts = places.parts
    current = Ownership.objects.filter(part__in=parts.values(), end_date__isnull=True)
    # An editor may have nominated another voter since: never a second one.
    voted = set(current.filter(nominated_voter=True).values_list("part_id", flat=True))
    existing = dict.fromkeys(
        current.values_list("part_id", "person_id", "developer_id")
    )
    rows = {}
    for o in plan.ownerships:
        part = parts[o.part]
        person = people.by_id_number[o.person] if o.person else None
        developer = places.developers[o.developer] if o.developer else None
        key = (part.pk, person and person.pk, developer and developer.pk)
        rows[key] = {
            "part": part,
            "person": person,
            "developer": developer,
            "basis": o.basis,
            "nominated_voter": o.nominated_voter and part.pk not in voted,
            "start_date": o.start_date,
        }
    writer.missing("产权", existing, rows, services.ownership_create)
