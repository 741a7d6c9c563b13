"""Reads for the public register pages: community, compound, party, representative.

Everything here is shaped for a public page: the selectors hand the templates small
frozen records that carry names and roles only, so a phone number, ID number or birth
date can never reach a public template by accident (PIPL Arts. 28–29; RULES.md §9.6).
A grid worker's work phone and the community office's number are posted publicly by
practice (RULES.md §8.3): shown in full only where staff flagged the number public
(`worker_phone_public`, `office_phone_public`), masked otherwise.
Each selector runs a fixed number of queries, whatever the size of the community.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page

from yishi.privacy import official_phone

# The defining modules, not the `models` package, which imports the pages that
# import this module.
from .models.bodies import Body, Membership, Representative
from .models.places import Community, Compound, Grid

# How a Wagtail page reaches the register object it presents (the page models link
# one-to-one); read through Wagtail's base Page, so reading needs no page class.
PAGE_LINKS = {
    "community": "communitypage__community_id",
    "compound": "compoundpage__compound_id",
    "body": "partybranchpage__body_id",
    "representative": "representativepage__representative_id",
}
# Public order of roles on a page: leaders first, then members.
ROLE_ORDER = {role: index for index, role in enumerate(Membership.Role.values)}
# Ordinary party members are counted, not named: the branch committee is what is
# posted publicly; a list of every member's political affiliation is more than a page
# needs.
COUNTED_ROLES = frozenset(
    {Membership.Role.PARTY_MEMBER, Membership.Role.PROBATIONARY_MEMBER}
)


@dataclass(frozen=True)
class PublicMember:
    name: str
    role: str
    role_label: str


@dataclass(frozen=True)
class PublicBody:
    id: int
    name: str
    kind: str
    kind_label: str
    members: tuple[PublicMember, ...]
    counted_members: int = 0
    compound_name: str = ""
    page_url: str | None = None


@dataclass(frozen=True)
class PublicGrid:
    name: str
    code: str
    worker_name: str
    worker_phone: str  # in full when flagged public, else masked
    worker_phone_public: bool = False


@dataclass(frozen=True)
class PublicLink:
    name: str
    page_url: str | None = None
    note: str = ""


@dataclass(frozen=True)
class PublicRepresentative:
    id: int
    name: str
    kind: str
    kind_label: str
    level_label: str
    title: str
    page_url: str | None = None


@dataclass(frozen=True)
class CommunityRegister:
    community: Community
    compounds: tuple[PublicLink, ...]
    grids: tuple[PublicGrid, ...]
    bodies: tuple[PublicBody, ...]
    representatives: tuple[PublicRepresentative, ...]
    office_phone: str = ""  # in full when flagged public, else masked


@dataclass(frozen=True)
class CompoundRegister:
    compound: Compound
    communities: tuple[PublicLink, ...]
    building_count: int
    bodies: tuple[PublicBody, ...]
    party_branches: tuple[PublicBody, ...] = field(default=())


@dataclass(frozen=True)
class PartyBodyRegister:
    body: PublicBody
    community: PublicLink
    compound: PublicLink | None
    leaders: tuple[PublicMember, ...]
    members: tuple[PublicMember, ...]


@dataclass(frozen=True)
class RepresentativeRegister:
    representative: PublicRepresentative
    term_start: dt.date | None
    term_end: dt.date | None
    communities: tuple[PublicLink, ...]


# Party-committee roles shown as the branch's leadership; everyone else is a member.
LEADER_ROLES = frozenset(
    {
        Membership.Role.SECRETARY,
        Membership.Role.DEPUTY_SECRETARY,
        Membership.Role.CHAIR,
        Membership.Role.VICE_CHAIR,
    }
)


def current_memberships(today: dt.date | None = None) -> QuerySet[Membership]:
    """Seats held today (terms are inclusive; an open end means still serving)."""
    today = today or timezone.localdate()
    return (
        Membership.objects.filter(
            Q(term_start__isnull=True) | Q(term_start__lte=today),
            Q(term_end__isnull=True) | Q(term_end__gte=today),
        )
        .select_related("person")
        .only("id", "body_id", "role", "person__id", "person__full_name")
    )


def _bodies_with_members(bodies: QuerySet[Body]) -> QuerySet[Body]:
    """Bodies with their named members loaded and the counted ones only counted (a
    community party committee may have a thousand members)."""
    today = timezone.localdate()
    serving = Q(
        Q(memberships__term_start__isnull=True) | Q(memberships__term_start__lte=today),
        Q(memberships__term_end__isnull=True) | Q(memberships__term_end__gte=today),
    )
    named = current_memberships(today).exclude(role__in=COUNTED_ROLES)
    return (
        bodies.select_related("compound")
        .annotate(
            n_counted=Count(
                "memberships",
                filter=serving & Q(memberships__role__in=COUNTED_ROLES),
            )
        )
        .prefetch_related(Prefetch("memberships", queryset=named, to_attr="current"))
    )


def _public_body(body: Body, page_urls: dict[int, str]) -> PublicBody:
    named = sorted(
        body.current,
        key=lambda m: (ROLE_ORDER.get(m.role, 99), m.person.full_name, m.pk),
    )
    return PublicBody(
        id=body.pk,
        name=body.name,
        kind=body.kind,
        kind_label=body.get_kind_display(),
        members=tuple(
            PublicMember(
                name=m.person.full_name, role=m.role, role_label=m.get_role_display()
            )
            for m in named
        ),
        counted_members=body.n_counted,
        compound_name=body.compound.name if body.compound_id else "",
        page_url=page_urls.get(body.pk),
    )


def _public_representative(
    rep: Representative, page_urls: dict[int, str]
) -> PublicRepresentative:
    return PublicRepresentative(
        id=rep.pk,
        name=rep.person.full_name,
        kind=rep.kind,
        kind_label=rep.get_kind_display(),
        level_label=rep.get_level_display(),
        title=rep.title,
        page_url=page_urls.get(rep.pk),
    )


def _representatives(queryset: QuerySet[Representative]) -> QuerySet[Representative]:
    return queryset.select_related("person").only(
        "id", "kind", "level", "title", "person__id", "person__full_name"
    )


def _private_q():
    """One query for the site's view restrictions, reused by every lookup of a page."""
    return Page.objects.all().private_q()


def linked_page_urls(
    model_name: str, ids: Iterable[int] | None = None, *, private_q=None
) -> dict[int, str]:
    """{register object id: url} of the live, public pages of one register page type.

    Pass `private_q` (from `_private_q()`) when looking up several page types at once,
    so the view restrictions are read only once.
    """
    link = PAGE_LINKS[model_name]
    if private_q is None:
        private_q = _private_q()
    queryset = Page.objects.live().exclude(private_q)
    queryset = queryset.filter(**{f"{link}__isnull": False})
    if ids is not None:
        queryset = queryset.filter(**{f"{link}__in": list(ids)})
    queryset = queryset.annotate(register_id=F(link))
    return {
        page.register_id: page.url for page in queryset.only("url_path", "locale_id")
    }


def community_register(community_id: int) -> CommunityRegister:
    community = Community.objects.select_related("subdistrict").get(pk=community_id)
    compounds = list(
        community.compounds.annotate(n_buildings=Count("buildings")).order_by("name")
    )
    bodies = list(_bodies_with_members(community.bodies.filter(compound__isnull=True)))
    reps = list(_representatives(community.representatives.all()))
    private_q = _private_q()
    compound_urls = linked_page_urls(
        "compound", [c.pk for c in compounds], private_q=private_q
    )
    body_urls = linked_page_urls("body", [b.pk for b in bodies], private_q=private_q)
    rep_urls = linked_page_urls(
        "representative", [r.pk for r in reps], private_q=private_q
    )
    return CommunityRegister(
        community=community,
        compounds=tuple(
            PublicLink(
                name=c.name,
                page_url=compound_urls.get(c.pk),
                note=c.address,
            )
            for c in compounds
        ),
        grids=tuple(
            PublicGrid(
                name=g.name,
                code=g.code,
                worker_name=g.worker_name,
                worker_phone=official_phone(
                    g.worker_phone, public=g.worker_phone_public
                ),
                worker_phone_public=g.worker_phone_public,
            )
            for g in Grid.objects.filter(community=community).order_by("name", "pk")
        ),
        bodies=tuple(_public_body(b, body_urls) for b in bodies),
        representatives=tuple(_public_representative(r, rep_urls) for r in reps),
        office_phone=official_phone(
            community.office_phone, public=community.office_phone_public
        ),
    )


def compound_register(compound_id: int) -> CompoundRegister:
    compound = Compound.objects.select_related("subdistrict").get(pk=compound_id)
    communities = list(compound.communities.order_by("code"))
    bodies = list(_bodies_with_members(compound.bodies.all()))
    private_q = _private_q()
    community_urls = linked_page_urls(
        "community", [c.pk for c in communities], private_q=private_q
    )
    party_ids = [b.pk for b in bodies if b.kind in Body.PARTY_KINDS]
    body_urls = linked_page_urls("body", party_ids, private_q=private_q)
    public_bodies = tuple(_public_body(b, body_urls) for b in bodies)
    return CompoundRegister(
        compound=compound,
        communities=tuple(
            PublicLink(name=c.name, page_url=community_urls.get(c.pk))
            for c in communities
        ),
        building_count=compound.buildings.count(),
        bodies=tuple(b for b in public_bodies if b.kind not in Body.PARTY_KINDS),
        party_branches=tuple(b for b in public_bodies if b.kind in Body.PARTY_KINDS),
    )


def party_body_register(body_id: int) -> PartyBodyRegister:
    body = _bodies_with_members(
        Body.objects.select_related("community").filter(pk=body_id)
    ).get()
    public = _public_body(body, {})
    private_q = _private_q()
    community_urls = linked_page_urls(
        "community", [body.community_id], private_q=private_q
    )
    compound = None
    if body.compound_id:
        compound_urls = linked_page_urls(
            "compound", [body.compound_id], private_q=private_q
        )
        compound = PublicLink(
            name=body.compound.name, page_url=compound_urls.get(body.compound_id)
        )
    return PartyBodyRegister(
        body=public,
        community=PublicLink(
            name=body.community.name, page_url=community_urls.get(body.community_id)
        ),
        compound=compound,
        leaders=tuple(m for m in public.members if m.role in LEADER_ROLES),
        members=tuple(m for m in public.members if m.role not in LEADER_ROLES),
    )


def representative_register(representative_id: int) -> RepresentativeRegister:
    rep = (
        Representative.objects.select_related("person")
        .only(
            "id",
            "kind",
            "level",
            "title",
            "term_start",
            "term_end",
            "person__id",
            "person__full_name",
        )
        .get(pk=representative_id)
    )
    communities = list(rep.communities.order_by("code"))
    community_urls = linked_page_urls("community", [c.pk for c in communities])
    return RepresentativeRegister(
        representative=_public_representative(rep, {}),
        term_start=rep.term_start,
        term_end=rep.term_end,
        communities=tuple(
            PublicLink(name=c.name, page_url=community_urls.get(c.pk))
            for c in communities
        ),
    )


def representative_index(
    rep_pages: QuerySet,
) -> list[tuple[str, list[PublicRepresentative]]]:
    """The live, public representative pages of an index (`rep_pages`, the index's
    RepresentativePage children) grouped by kind, in kind order."""
    pages = (
        rep_pages.live()
        .public()
        .filter(representative__isnull=False)
        .select_related("representative__person")
        .order_by("representative__kind", "representative__person__full_name")
    )
    groups: dict[str, list[PublicRepresentative]] = {
        kind: [] for kind in Representative.Kind.values
    }
    for page in pages:
        rep = page.representative
        groups[rep.kind].append(_public_representative(rep, {rep.pk: page.url}))
    labels = dict(Representative.Kind.choices)
    return [(labels[kind], reps) for kind, reps in groups.items() if reps]
