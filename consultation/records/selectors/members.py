"""Who sits on a body on a day: the members expected at its meetings.

`voting_members(body)` is the one place that says who votes in a party members'
meeting: every current member of the party organisation except those without a vote.
Probationary members (预备党员) have no vote and are not counted (RULES.md §9a;
《中国共产党基层组织选举工作条例》第五条): any Membership role whose value starts with
"probationary" is left out, so the role, once the register adds it, is excluded here
without another change.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from neighbourhoods.models import Body, Membership

#: Seats that are not seats on the committee itself (the branch's rank and file).
RANK_AND_FILE = frozenset(
    {Membership.Role.PARTY_MEMBER, Membership.Role.REPRESENTATIVE}
)


def _non_voting_roles() -> frozenset[str]:
    return frozenset(
        value for value in Membership.Role.values if value.startswith("probationary")
    )


def _active(bodies, on: dt.date):
    return Membership.objects.filter(body__in=bodies).filter(
        (Q(term_start__isnull=True) | Q(term_start__lte=on))
        & (Q(term_end__isnull=True) | Q(term_end__gte=on))
    )


def _person_ids(memberships) -> list[int]:
    return sorted(set(memberships.values_list("person_id", flat=True)))


def voting_members(body: Body, *, on: dt.date | None = None) -> list[int]:
    """Person ids of the members with a vote on `on` (today by default), each once."""
    day = on or timezone.localdate()
    memberships = _active([body], day)
    # A person holding a probationary seat has no vote, whatever else they hold.
    non_voting = set(
        memberships.filter(role__in=_non_voting_roles()).values_list(
            "person_id", flat=True
        )
    )
    return [pid for pid in _person_ids(memberships) if pid not in non_voting]


def committee_members(bodies: list[Body], *, on: dt.date | None = None) -> list[int]:
    """Person ids of the committee seats (secretary, chair, members …) of `bodies`
    on `on`, each once: a joint meeting of two committees counts a person on both
    once (一肩挑)."""
    day = on or timezone.localdate()
    memberships = _active(bodies, day).exclude(role__in=RANK_AND_FILE)
    return _person_ids(memberships.exclude(role__in=_non_voting_roles()))


def all_members(body: Body, *, on: dt.date | None = None) -> list[int]:
    """Every current member of `body` (a residents' representatives' meeting)."""
    return _person_ids(_active([body], on or timezone.localdate()))


def expected_members(kind: str, bodies: list[Body], *, on: dt.date) -> list[int]:
    """Who a step's meeting expects: the party members with a vote (party members'
    meeting), every member (residents' representatives' meeting) or the committee
    seats of the bodies (committee meetings)."""
    if kind == "party_members":
        return voting_members(bodies[0], on=on)
    if kind == "representatives_meeting":
        return all_members(bodies[0], on=on)
    return committee_members(bodies, on=on)
