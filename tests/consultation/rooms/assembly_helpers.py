"""A community written in bulk for the assembly tests: `n` households, each of one
adult who is its representative and owns one flat of the compound (area 90.00 m²
plus i × 0.01 m²); the first `logins` of them have a login; staff; an observer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from consultation.rooms import services
from consultation.rooms.models import Room, RoomParticipant
from neighbourhoods.models import (
    ExclusivePart,
    Household,
    Ownership,
    Person,
    Residency,
)
from tests.neighbourhoods.factories import (
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    StaffAssignmentFactory,
    UserFactory,
)

BIRTH = dt.date(1980, 1, 1)


@dataclass
class Register:
    community: object
    compound: object
    people: list  # Person, in order
    users: list  # the logins of the first people
    staff: object
    outsider: object

    def area(self, i: int) -> int:
        return 9000 + i


def build_register(n: int, *, logins: int = 4) -> Register:
    community = CommunityFactory()
    compound = CompoundFactory(communities=[community])
    building = BuildingFactory(compound=compound, community=community)
    people = Person.objects.bulk_create(
        Person(full_name=f"居民{i}", birth_date=BIRTH, home_community=community)
        for i in range(n)
    )
    households = Household.objects.bulk_create(
        Household(community=community, number=f"H{i:05d}") for i in range(n)
    )
    Residency.objects.bulk_create(
        Residency(
            person=p,
            household=h,
            kind=Residency.Kind.REGISTERED,
            is_representative=True,
        )
        for p, h in zip(people, households, strict=True)
    )
    parts = ExclusivePart.objects.bulk_create(
        ExclusivePart(
            building=building,
            kind=ExclusivePart.Kind.DWELLING,
            number=str(1000 + i),
            area_register=9000 + i,
        )
        for i in range(n)
    )
    Ownership.objects.bulk_create(
        Ownership(part=part, person=p, basis=Ownership.Basis.REGISTERED)
        for part, p in zip(parts, people, strict=True)
    )
    users = []
    for person in people[:logins]:
        person.user = UserFactory()
        person.save(update_fields=["user"])
        users.append(person.user)
    return Register(
        community=community,
        compound=compound,
        people=people,
        users=users,
        staff=StaffAssignmentFactory(community=community).user,
        outsider=UserFactory(),
    )


def assembly_room(reg: Register, kind: str, basis: str, **extra) -> Room:
    scope = (
        {"scope_kind": "compound", "scope_id": reg.compound.pk}
        if kind == "owners_assembly"
        else {"scope_kind": "community", "scope_id": reg.community.pk}
    )
    extra.setdefault("chair_ids", (reg.people[0].pk,))
    extra.setdefault("secretary_id", reg.people[1].pk)
    return services.room_create(
        community=reg.community,
        actor=reg.staff,
        title="业主大会" if kind == "owners_assembly" else "居民会议",
        place="社区广场",
        kind=kind,
        roll={"basis": basis, **scope},
        **extra,
    )


def seat(room: Room, user) -> RoomParticipant:
    return RoomParticipant.objects.get(room=room, user=user)


def observer_login():
    return get_user_model().objects.create_user(username="observer-x", password="x")
