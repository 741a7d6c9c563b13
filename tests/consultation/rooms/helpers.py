"""A council (议事会) of five members with logins, staff, and a room with three
agenda items, for the room tests."""

from __future__ import annotations

from dataclasses import dataclass

from consultation.rooms import services
from consultation.rooms.models import Room, RoomParticipant
from neighbourhoods.models import Body, Membership
from tests.neighbourhoods.factories import (
    CommunityFactory,
    MembershipFactory,
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)


@dataclass
class Hall:
    room: Room
    staff: object
    chair: object  # users
    secretary: object
    members: list  # users of the other members
    outsider: object
    community: object

    def seat(self, user) -> RoomParticipant:
        return RoomParticipant.objects.get(room=self.room, user=user)


def build_hall(*, members: int = 5) -> Hall:
    community = CommunityFactory()
    staff = StaffAssignmentFactory(community=community).user
    council = Body.objects.create(
        community=community, kind=Body.Kind.COUNCIL, name="居民议事会"
    )
    people = []
    for i in range(members):
        user = UserFactory()
        person = PersonFactory(home_community=community, user=user)
        role = Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER
        MembershipFactory(body=council, person=person, role=role)
        people.append(person)
    room = services.room_create(
        community=community,
        body_id=council.pk,
        actor=staff,
        title="居民议事会第三次会议",
        place="社区会议室",
        chair_ids=(people[0].pk,),
        secretary_id=people[1].pk,
    )
    for title in ("加装电梯", "停车管理", "绿化改造"):
        services.agenda_item_add(room_id=room.pk, actor=staff, title=title)
    room.refresh_from_db()
    users = [p.user for p in people]
    return Hall(
        room=room,
        staff=staff,
        chair=users[0],
        secretary=users[1],
        members=users[2:],
        outsider=UserFactory(),
        community=community,
    )


def session_cookie(user) -> str:
    """The Cookie header of a fresh login of `user` (for a real server's socket)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}"


def compound_council_room(members: int = 3, **ballot_options):
    """A compound's council (its first member chairs), an owners' ballot of the
    compound in draft, and a room of the council with no agenda yet:
    (room, people, staff, ballot)."""
    from tests.consultation.factories import owners_ballot, owners_compound

    compound, community, people, staff = owners_compound(members)
    council = Body.objects.create(
        community=community, kind=Body.Kind.COUNCIL, name="议事会"
    )
    for i, person in enumerate(people):
        role = Membership.Role.CHAIR if i == 0 else Membership.Role.MEMBER
        Membership.objects.create(body=council, person=person, role=role)
    ballot = owners_ballot(compound, community, staff, **ballot_options)
    room = services.room_create(
        community=community,
        body_id=council.pk,
        actor=staff,
        title="临时会议",
        place="活动室",
        chair_ids=(people[0].pk,),
    )
    return room, people, staff, ballot
