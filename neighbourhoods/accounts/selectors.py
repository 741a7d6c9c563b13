"""Reads of residents' accounts, shaped for one page each, without N+1."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q

from yishi.privacy import normalise_mobile

from ..models.people import Ownership, Person, Residency
from ..models.places import Community, ExclusivePart
from . import permissions
from .models import AccountLinkRequest, ResidentAccount

QUEUE_SIZE = 50


def username_for_signin(typed: str) -> str:
    """The login name to try for what someone typed on the password form: the
    account of a mobile number typed in any form (+86, spaces), else the text."""
    phone = normalise_mobile(typed)
    if phone is None:
        return typed
    name = (
        ResidentAccount.objects.filter(phone=phone)
        .values_list("user__username", flat=True)
        .first()
    )
    return name or phone


def account_of(user) -> ResidentAccount | None:
    return ResidentAccount.objects.filter(user=user).first()


def claim_communities() -> list[Community]:
    return list(Community.objects.select_related("subdistrict").order_by("code"))


def community_by_id(community_id) -> Community | None:
    try:
        community_id = int(community_id)
    except (TypeError, ValueError):
        return None
    if not 0 < community_id < 2**63:
        return None
    return Community.objects.filter(pk=community_id).first()


@dataclass(frozen=True)
class LinkStatus:
    person: Person | None
    latest: AccountLinkRequest | None


def link_status(user) -> LinkStatus:
    """The signed-in user's register record, if linked, and their latest claim."""
    person = Person.objects.select_related("home_community").filter(user=user).first()
    latest = (
        AccountLinkRequest.objects.select_related("community")
        .filter(user=user)
        .order_by("-created_at", "-id")
        .first()
    )
    return LinkStatus(person=person, latest=latest)


def part_label(part: ExclusivePart) -> str:
    """3栋2单元501室 (or 3栋501室 without an entrance)."""
    entrance = f"{part.entrance.number}单元" if part.entrance_id else ""
    return f"{part.building.number}栋{entrance}{part.number}室"


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    units: tuple[str, ...]
    birth_year: int | None
    linked: bool


@dataclass(frozen=True)
class QueueItem:
    request: AccountLinkRequest
    candidates: tuple[Candidate, ...]


def _candidate(person: Person) -> Candidate:
    units = [
        part_label(r.household.dwelling)
        for r in person.residencies.all()
        if r.household.dwelling_id
    ]
    units += [part_label(o.part) for o in person.ownerships.all()]
    return Candidate(
        person_id=person.pk,
        name=person.full_name,
        units=tuple(dict.fromkeys(units)),
        birth_year=person.birth_date.year if person.birth_date else None,
        linked=person.user_id is not None,
    )


def _candidates(requests: list[AccountLinkRequest]) -> dict[tuple, list[Candidate]]:
    """People of the claimed community with the claimed name, in one query."""
    wanted = Q(pk__in=[])
    for r in requests:
        wanted |= Q(home_community_id=r.community_id, full_name=r.claimed_name)
    parts = ("building", "entrance")
    people = Person.objects.filter(wanted).prefetch_related(
        Prefetch(
            "residencies",
            Residency.objects.filter(end_date__isnull=True).select_related(
                *(f"household__dwelling__{p}" for p in parts)
            ),
        ),
        Prefetch(
            "ownerships",
            Ownership.objects.filter(end_date__isnull=True).select_related(
                *(f"part__{p}" for p in parts)
            ),
        ),
    )
    found: dict[tuple, list[Candidate]] = {}
    for person in people.order_by("pk"):
        key = (person.home_community_id, person.full_name)
        found.setdefault(key, []).append(_candidate(person))
    return found


def link_queue(user) -> list[QueueItem]:
    """Pending claims in the communities `user` reviews, oldest first, each with the
    register's people of that name in that community and their units."""
    requests = list(
        AccountLinkRequest.objects.filter(
            status=AccountLinkRequest.Status.PENDING,
            community__in=permissions.review_communities(user),
        )
        .select_related("community")
        .order_by("created_at", "id")[:QUEUE_SIZE]
    )
    found = _candidates(requests)
    return [
        QueueItem(r, tuple(found.get((r.community_id, r.claimed_name), ())))
        for r in requests
    ]


def link_request_by_id(request_id: int) -> AccountLinkRequest | None:
    return (
        AccountLinkRequest.objects.select_related("community", "user")
        .filter(pk=request_id)
        .first()
    )


def person_by_id(person_id) -> Person | None:
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        return None
    if not 0 < person_id < 2**63:
        return None
    return Person.objects.select_related("home_community").filter(pk=person_id).first()


def slip_state(person: Person) -> str:
    """What a slip would do for this person: "create" an account, "reprint" one
    staff made, or "none" (they have an account of their own)."""
    if person.user_id is None:
        return "create"
    made = ResidentAccount.objects.filter(user_id=person.user_id, staff_made=True)
    return "reprint" if made.exists() else "none"
