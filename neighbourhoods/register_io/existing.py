"""The community's register as it stands, loaded once per import in a few queries.

The planner looks records up here by their natural keys (building number, 户号, the
keyed hash of an ID number…) instead of asking the database row by row.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import (
    Building,
    Community,
    Entrance,
    ExclusivePart,
    Household,
    Ownership,
    Person,
    Residency,
)

_CHUNK = 500


def _chunks(items: list, size: int = _CHUNK):
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ExistingRegister:
    """Places, households, people, residencies and current ownerships of a community."""

    def __init__(self, community: Community):
        self.community = community
        self.people: dict[int, Person] = {}
        self.by_hash: dict[str, Person] = {}
        self._load_places()
        self._load_residencies()
        self._load_ownerships()

    def _load_places(self) -> None:
        c = self.community
        self.compounds = list(c.compounds.all())
        self.buildings = {
            (b.compound_id, b.number): b
            for b in Building.objects.filter(compound__in=self.compounds)
        }
        self.entrances = {
            (e.building_id, e.number): e
            for e in Entrance.objects.filter(building__community=c)
        }
        self.parts = {
            (p.building_id, p.entrance.number if p.entrance_id else "", p.number): p
            for p in ExclusivePart.objects.filter(building__community=c).select_related(
                "entrance"
            )
        }
        self.households = {h.number: h for h in Household.objects.filter(community=c)}
        self.groups = list(c.residents_groups.all())

    def _load_residencies(self) -> None:
        c = self.community
        self.residencies: dict[tuple[int, int], Residency] = {}
        self.by_household_name: dict[tuple[int, str], list[Person]] = {}
        self.current_reps: dict[int, list[Residency]] = {}
        for residency in Residency.objects.filter(
            household__community=c
        ).select_related("person"):
            person = self.people.setdefault(residency.person_id, residency.person)
            self.residencies[residency.person_id, residency.household_id] = residency
            if person.home_community_id == c.pk:
                key = (residency.household_id, person.full_name)
                self.by_household_name.setdefault(key, []).append(person)
            if residency.is_representative and residency.end_date is None:
                self.current_reps.setdefault(residency.household_id, []).append(
                    residency
                )

    def _load_ownerships(self) -> None:
        c = self.community
        self.ownerships: dict[tuple[int, int], Ownership] = {}
        self.by_part_name: dict[tuple[int, str], list[Person]] = {}
        self.current_voters: dict[int, list[Ownership]] = {}
        for ownership in Ownership.objects.filter(
            part__building__community=c, end_date__isnull=True, person__isnull=False
        ).select_related("person"):
            person = self.people.setdefault(ownership.person_id, ownership.person)
            self.ownerships[ownership.person_id, ownership.part_id] = ownership
            if person.home_community_id == c.pk:
                key = (ownership.part_id, person.full_name)
                self.by_part_name.setdefault(key, []).append(person)
            if ownership.nominated_voter:
                self.current_voters.setdefault(ownership.part_id, []).append(ownership)

    def load_hashes(self, hashes: Iterable[str]) -> None:
        """The people (of any community) whose ID-number hash the file names."""
        for chunk in _chunks(sorted(set(hashes))):
            for person in Person.objects.filter(id_number_hash__in=chunk):
                person = self.people.setdefault(person.pk, person)
                self.by_hash[person.id_number_hash] = person
