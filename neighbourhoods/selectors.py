"""Reads of the register, shaped for one page each, without N+1."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from .models import (
    Community,
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
    try:
        from .pages import CommunityPage
    except ImportError:  # pages not installed yet
        return {}
    return {
        page.community_id: page.url
        for page in CommunityPage.objects.live().public().only("community", "url_path")
    }


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
