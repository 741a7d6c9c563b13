"""Builders for ballots over a small register."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from neighbourhoods.models import ExclusivePart, Ownership, Person
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from tests.neighbourhoods.factories import (
    BuildingFactory,
    StaffAssignmentFactory,
    UserFactory,
)

_counter = itertools.count(1)


def owners_compound(n: int, *, with_users: bool = True, area=lambda i: 9000 + i):
    """A compound of `n` dwellings, each held by one owner (with a login if asked)."""
    building = BuildingFactory()
    community = building.community
    users = UserFactory.create_batch(n) if with_users else [None] * n
    people = Person.objects.bulk_create(
        Person(
            full_name=f"业主{next(_counter)}",
            home_community=community,
            user=users[i],
        )
        for i in range(n)
    )
    parts = ExclusivePart.objects.bulk_create(
        ExclusivePart(
            building=building,
            kind=ExclusivePart.Kind.DWELLING,
            number=str(1000 + i),
            area_register=area(i),
        )
        for i in range(n)
    )
    Ownership.objects.bulk_create(
        Ownership(part=part, person=person, basis=Ownership.Basis.REGISTERED)
        for part, person in zip(parts, people, strict=True)
    )
    staff = StaffAssignmentFactory(community=community).user
    return building.compound, community, people, staff


def owners_ballot(compound, community, staff, **kwargs):
    from consultation.ballots import services

    defaults = {
        "community": community,
        "compound": compound,
        "title": "关于加装电梯的业主表决",
        "kind": "motion",
        "options": None,
        "basis": RollBasis.OWNERS,
        "scope": RollScope(ScopeKind.COMPOUND, compound.pk),
        "actor": staff,
        "rule_id": "owners-ordinary",
    }
    if kwargs.get("secrecy") == "secret":
        # A secret ballot counts heads only (area would identify the voter).
        defaults.update(weighted_by_area=False, rule_id="")
    defaults.update(kwargs)
    return noticed(services.ballot_create(**defaults))


NOTICE_DAYS_AHEAD = 30  # more than any rule requires (an owners' assembly: 15)


def noticed(ballot, *, days_ago: int = NOTICE_DAYS_AHEAD):
    """The draft ballot with its notice (公告) recorded `days_ago` days before today,
    so that it may open at once (物业管理条例 Art. 14 asks 15 days)."""
    from consultation.ballots import services

    services.notice_record(
        ballot_id=ballot.pk,
        channels=["notice_board", "wechat_group"],
        actor=None,
        published_on=timezone.localdate() - dt.timedelta(days=days_ago),
    )
    return ballot


def option_ids(ballot) -> dict[str, int]:
    return {
        o.role if o.role != "choice" else o.label: o.pk for o in ballot.options.all()
    }
