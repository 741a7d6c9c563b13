"""A small community with the bodies of 四议两公开, for the records tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from consultation.ballots.services import voting_settings_update
from consultation.records import services
from neighbourhoods.models import Body, Membership, Person
from tests.neighbourhoods.factories import (
    CommunityFactory,
    HouseholdFactory,
    MembershipFactory,
    PersonFactory,
    ResidencyFactory,
    StaffAssignmentFactory,
    UserFactory,
)

Role = Membership.Role


@dataclass
class Place:
    community: object
    staff: object
    party: Body
    committee: Body
    reps: Body
    supervisory: Body
    committee_ids: list[int]  # party committee seats
    party_ids: list[int]  # every party member (with a vote)
    supervisor: Person
    residents: list[Person]  # adults, one per household


def _seat(body, person, role):
    return MembershipFactory(body=body, person=person, role=role)


def build_place(*, residents: int = 10) -> Place:
    community = CommunityFactory()
    staff = StaffAssignmentFactory(community=community).user
    kinds = Body.Kind
    party = Body.objects.create(
        community=community, kind=kinds.PARTY_ORGANISATION, name="党委"
    )
    committee = Body.objects.create(
        community=community, kind=kinds.RESIDENTS_COMMITTEE, name="居委会"
    )
    reps = Body.objects.create(
        community=community, kind=kinds.REPRESENTATIVES_MEETING, name="代表会议"
    )
    supervisory = Body.objects.create(
        community=community, kind=kinds.SUPERVISORY, name="监委会"
    )
    people = [PersonFactory(home_community=community) for _ in range(12)]
    committee_people = people[:5]
    for i, person in enumerate(committee_people):
        _seat(party, person, Role.SECRETARY if i == 0 else Role.MEMBER)
    for person in people[:9]:
        _seat(party, person, Role.PARTY_MEMBER)
    _seat(committee, people[0], Role.CHAIR)  # 一肩挑
    for person in people[9:12]:
        _seat(committee, person, Role.MEMBER)
    adults = []
    for _ in range(residents):
        person = PersonFactory(home_community=community)
        household = HouseholdFactory(community=community)
        ResidencyFactory(person=person, household=household, is_representative=True)
        adults.append(person)
    for person in adults[:5]:
        _seat(reps, person, Role.REPRESENTATIVE)
    supervisor = adults[-1]
    _seat(supervisory, supervisor, Role.CHAIR)
    return Place(
        community,
        staff,
        party,
        committee,
        reps,
        supervisory,
        [p.pk for p in committee_people],
        [p.pk for p in people[:9]],
        supervisor,
        adults,
    )


@pytest.fixture
def place(db):
    found = build_place()
    voting_settings_update(community=found.community, actor=None, siyi_enabled=True)
    return found


def open_matter(place, **kwargs):
    defaults = {
        "community": place.community,
        "actor": place.staff,
        "title": "社区健身广场改造",
        "description": "拟改造东侧空地。",
        "source": "committee_proposal",
        "category": "public_welfare",
    }
    return services.matter_create(**(defaults | kwargs))


def held(days_ago: int = 1):
    return timezone.now() - dt.timedelta(days=days_ago)


def show_of_hands(step, kind, *, body, present, yes, co_body=None, **extra):
    return services.MeetingInput(
        step=step,
        kind=kind,
        held_at=held(),
        place="社区会议室",
        text="审议改造方案。",
        vote_method="show_of_hands",
        body_id=body.pk if body else None,
        co_body_id=co_body.pk if co_body else None,
        present_ids=tuple(present),
        yes=yes,
        **extra,
    )


def linked_user(person):
    user = UserFactory()
    person.user = user
    person.save(update_fields=["user"])
    return user


def hold_all_meetings(place, matter) -> None:
    """Steps 1–4 (merged or not), each passed by a show of hands."""
    present = place.committee_ids[:4]
    meetings = [
        ("party_proposal", "party_committee", place.party, None, present),
        (
            "two_committees",
            "two_committees",
            place.party,
            place.committee,
            [*place.committee_ids, place.committee.memberships.last().person_id],
        ),
        ("party_members_review", "party_members", place.party, None, place.party_ids),
        (
            "residents_resolution",
            "representatives_meeting",
            place.reps,
            None,
            [p.pk for p in place.residents[:4]],
        ),
    ]
    for step, kind, body, co_body, people in meetings:
        services.meeting_record(
            matter_id=matter.pk,
            actor=place.staff,
            data=show_of_hands(
                step, kind, body=body, co_body=co_body, present=people, yes=len(people)
            ),
        )
