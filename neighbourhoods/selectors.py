"""Reads of the register, shaped for one page each, without N+1."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from yishi.privacy import id_number_hash

from . import page_selectors, permissions
from .models import (
    Community,
    Compound,
    Household,
    Membership,
    Ownership,
    Person,
    Representative,
    Residency,
)


def communities_for_home() -> list[Community]:
    communities = list(Community.objects.select_related("subdistrict"))
    page_urls = _community_page_urls()
    for community in communities:
        community.page_url = page_urls.get(community.pk)
    return communities


def _community_page_urls() -> dict[int, str]:
    return page_selectors.linked_page_urls("community")


def register_communities(user) -> list[Community]:
    """The communities whose register `user` may read, with their subdistrict."""
    return list(permissions.communities_for(user).select_related("subdistrict"))


def community_by_slug(slug: str) -> Community | None:
    return Community.objects.filter(slug=slug).first()


def person_record(person_id: int) -> Person | None:
    """A person with their community (for the permission check), or None."""
    return Person.objects.select_related("home_community").filter(pk=person_id).first()


def own_person_detail(user) -> Person | None:
    """The signed-in resident's own record, shaped like `person_detail`, or None."""
    person_id = Person.objects.filter(user=user).values_list("pk", flat=True).first()
    return person_detail(person_id) if person_id is not None else None


def compound_has_community(compound: Compound, community: Community) -> bool:
    """Whether `community` is one of the compound's (a building must be in one)."""
    return compound.communities.filter(pk=community.pk).exists()


def id_number_taken(id_number: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another person is registered with this (normalised) ID number."""
    taken = Person.objects.filter(id_number_hash=id_number_hash(id_number))
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return taken.exists()


def register_people(community: Community, *, query: str = "") -> QuerySet[Person]:
    people = Person.objects.filter(home_community=community).prefetch_related(
        Prefetch(
            "residencies",
            queryset=Residency.objects.select_related("household"),
        )
    )
    if query:
        people = people.filter(full_name__icontains=query)
    return people.order_by("full_name", "id")


def register_summary(community: Community) -> dict[str, int]:
    return {
        "people": Person.objects.filter(home_community=community).count(),
        "households": Household.objects.filter(community=community).count(),
        "buildings": community.buildings.count(),
        "parts": community.buildings.aggregate(n=Count("parts"))["n"] or 0,
    }


def person_detail(person_id: int) -> Person:
    return (
        Person.objects.select_related("home_community", "user")
        .prefetch_related(
            Prefetch(
                "residencies",
                queryset=Residency.objects.select_related(
                    "household__dwelling__building__compound"
                ),
            ),
            Prefetch(
                "ownerships",
                queryset=Ownership.objects.filter(end_date__isnull=True).select_related(
                    "part__building__compound", "part__entrance"
                ),
            ),
            Prefetch("memberships", queryset=Membership.objects.select_related("body")),
            Prefetch(
                "representative_roles",
                queryset=Representative.objects.prefetch_related("communities"),
            ),
        )
        .get(pk=person_id)
    )
