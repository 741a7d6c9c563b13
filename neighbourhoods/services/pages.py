"""Creating the register's Wagtail pages from the register (the demo calls it).

The register stays the truth; a page adds the editors' text. Once a page exists,
Wagtail's editor is its writer: this service only adds the pages that are missing.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page

from yishi.audit import audit_record
from yishi.home import home_page_ensure

from .. import permissions
from ..models import Body, Community, Compound, Representative
from ..pages import (
    CommunityPage,
    CompoundPage,
    PartyBranchPage,
    RepresentativeIndexPage,
    RepresentativePage,
)
from .common import require

COUNTS = (
    "communities",
    "compounds",
    "party_branches",
    "representatives",
    "indexes",
    "skipped",
)


def _free_slug(parent: Page, base: str) -> str:
    """`base`, or `base-2`, `base-3`, … whichever no sibling under `parent` uses."""
    taken = set(parent.get_children().values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _add(parent: Page, page: Page, slug: str) -> Page:
    page.slug = _free_slug(parent, slug)
    return parent.add_child(instance=page)


def _community_pages(home: Page, created: dict) -> dict[int, Page]:
    pages = {
        p.community_id: p for p in CommunityPage.objects.filter(community__isnull=False)
    }
    for community in Community.objects.exclude(pk__in=list(pages)):
        page = CommunityPage(title=community.name, community=community)
        pages[community.pk] = _add(home, page, community.slug)
        created["communities"] += 1
    return pages


def _compound_pages(community_pages: dict, created: dict) -> dict[int, Page]:
    """A compound spanning communities lives under the first by statistical code."""
    pages = {
        p.compound_id: p for p in CompoundPage.objects.filter(compound__isnull=False)
    }
    compounds = Compound.objects.exclude(pk__in=list(pages)).prefetch_related(
        "communities"
    )
    for compound in compounds:
        spanned = sorted(compound.communities.all(), key=lambda c: c.code)
        if not spanned:
            created["skipped"] += 1
            continue
        page = CompoundPage(title=compound.name, compound=compound)
        pages[compound.pk] = _add(community_pages[spanned[0].pk], page, compound.slug)
        created["compounds"] += 1
    return pages


def _party_pages(community_pages: dict, compound_pages: dict, created: dict) -> None:
    linked = PartyBranchPage.objects.filter(body__isnull=False).values("body_id")
    bodies = Body.objects.filter(kind__in=Body.PARTY_KINDS).exclude(pk__in=linked)
    for body in bodies:
        parent = (
            compound_pages.get(body.compound_id) or community_pages[body.community_id]
        )
        _add(parent, PartyBranchPage(title=body.name, body=body), f"party-{body.pk}")
        created["party_branches"] += 1


def _representative_pages(home: Page, created: dict) -> None:
    linked = RepresentativePage.objects.filter(representative__isnull=False).values(
        "representative_id"
    )
    reps = Representative.objects.exclude(pk__in=linked).select_related("person")
    if not reps:
        return
    index_page = RepresentativeIndexPage.objects.first()
    if index_page is None:
        index_page = _add(
            home, RepresentativeIndexPage(title="两代表一委员"), "representatives"
        )
        created["indexes"] += 1
    for rep in reps:
        title = (
            f"{rep.person.full_name}（{rep.get_level_display()}"
            f"{rep.get_kind_display()}）"
        )
        page = RepresentativePage(title=title, representative=rep)
        _add(index_page, page, f"representative-{rep.pk}")
        created["representatives"] += 1


@transaction.atomic
def register_pages_sync(*, actor) -> dict[str, int]:
    """Make sure every community, compound, party body and representative has a page.

    Idempotent: objects that already have a page (live or not) are left alone, titles
    included, since editors may have changed them. New pages are created live. Returns
    how many pages of each kind were created; `skipped` counts register objects that
    had nowhere to go (a compound in no community). One audit line when any page was
    created. `actor`: a superuser, or None for the system.
    """
    require(permissions.can_sync_pages(actor))
    home = home_page_ensure()
    # Lock the home page row: two syncs at once would otherwise both create the
    # missing pages (and race for the same tree paths).
    Page.objects.select_for_update().only("pk").get(pk=home.pk)
    created = dict.fromkeys(COUNTS, 0)
    community_pages = _community_pages(home, created)
    compound_pages = _compound_pages(community_pages, created)
    _party_pages(community_pages, compound_pages, created)
    _representative_pages(home, created)
    if any(n for kind, n in created.items() if kind != "skipped"):
        audit_record(
            actor=actor, action="register_pages_sync", target=home, detail=created
        )
    return created
