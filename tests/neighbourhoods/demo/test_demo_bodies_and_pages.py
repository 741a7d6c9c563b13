"""The demo's bodies and seats, the 两代表一委员, and the pages and articles."""

from collections import Counter

import pytest
from django.db.models import Q

from neighbourhoods.models import (
    Body,
    Community,
    Compound,
    Household,
    Membership,
    Ownership,
    Person,
    Representative,
)
from neighbourhoods.pages import CommunityPage, CompoundPage, RepresentativePage
from yishi.models import ArticlePage

from .helpers import TODAY, age

pytestmark = pytest.mark.django_db


def test_bodies_and_members(seeded):
    for community in Community.objects.all():
        kinds = set(
            community.bodies.filter(compound__isnull=True).values_list(
                "kind", flat=True
            )
        )
        assert kinds == {
            Body.Kind.RESIDENTS_COMMITTEE,
            Body.Kind.PARTY_ORGANISATION,
            Body.Kind.SUPERVISORY,
            Body.Kind.REPRESENTATIVES_MEETING,
            Body.Kind.COUNCIL,
        }
        party = community.bodies.get(kind=Body.Kind.PARTY_ORGANISATION)
        assert party.memberships.filter(role=Membership.Role.SECRETARY).count() == 1
        members = party.memberships.filter(role=Membership.Role.PARTY_MEMBER)
        adults = [
            b
            for b in Person.objects.filter(
                home_community=community, residencies__isnull=False
            ).values_list("birth_date", flat=True)
            if age(b) >= 18
        ]
        assert 0.06 <= members.count() / len(adults) <= 0.10
        committee = community.bodies.get(kind=Body.Kind.RESIDENTS_COMMITTEE)
        assert committee.memberships.filter(role=Membership.Role.CHAIR).count() == 1
        assert committee.memberships.filter(role=Membership.Role.MEMBER).count() >= 3
        # Supervisors neither sit on the committee nor live with a member of it.
        committee_homes = Household.objects.filter(
            residencies__person__memberships__body=committee
        )
        supervisors = Person.objects.filter(
            memberships__body__community=community,
            memberships__body__kind=Body.Kind.SUPERVISORY,
        )
        assert supervisors.count() == 3
        assert not supervisors.filter(
            residencies__household__in=committee_homes
        ).exists()
    for compound in Compound.objects.all():
        branch = compound.bodies.get(kind=Body.Kind.PARTY_BRANCH)
        assert branch.memberships.filter(role=Membership.Role.SECRETARY).count() == 1
    boards = Counter(
        Body.objects.filter(
            kind__in=[Body.Kind.OWNERS_COMMITTEE, Body.Kind.SELF_MANAGEMENT]
        ).values_list("kind", flat=True)
    )
    assert boards == {Body.Kind.OWNERS_COMMITTEE: 2, Body.Kind.SELF_MANAGEMENT: 1}
    # Owners' committees are owners of their compound.
    for member in Membership.objects.filter(body__kind=Body.Kind.OWNERS_COMMITTEE):
        assert Ownership.objects.filter(
            person=member.person_id, part__building__compound=member.body.compound
        ).exists()
    # Seats have terms that cover today; party membership has none.
    seats = Membership.objects.exclude(role=Membership.Role.PARTY_MEMBER)
    assert not seats.filter(Q(term_start__gt=TODAY) | Q(term_end__lt=TODAY)).exists()
    assert not Membership.objects.filter(
        role=Membership.Role.PARTY_MEMBER, term_start__isnull=False
    ).exists()


def test_three_representatives(seeded):
    reps = Representative.objects.prefetch_related("communities")
    assert reps.count() == 3
    assert set(reps.values_list("kind", flat=True)) == set(Representative.Kind.values)
    assert set(reps.values_list("level", flat=True)) == {Representative.Level.DISTRICT}
    assert all(rep.communities.exists() for rep in reps)
    assert (
        Community.objects.filter(representatives__isnull=False).distinct().count() == 2
    )


def test_pages_and_articles(seeded, client):
    assert CommunityPage.objects.count() == 2
    assert CompoundPage.objects.count() == 3
    assert RepresentativePage.objects.count() == 3
    articles = ArticlePage.objects.live()
    assert set(articles.values_list("title", flat=True)) >= {"加装电梯工作方案"}
    assert articles.filter(title__contains="居务公开").exists()
    response = client.get("/search/", {"q": "电梯"})
    assert "加装电梯工作方案" in response.content.decode()
