"""Who may read or change which part of the register, and read its audit log.

- Subdistrict staff see and (as editors) change every community of their subdistrict.
- Community staff see and (as editors) change their own community only.
- Django superusers may do everything.
- A resident sees only what is public plus their own data (`can_view_person` on
  themself); nobody changes their own record by being themself.
- Codes (街道, 社区), staff rights and the import record are changed by superusers
  only; a developer (建设单位) may be added by any editor, changed by superusers.
- `None` as the user is the system (the demo, a management command): always allowed.
- The audit log of a community is read by those who may read its register and by the
  members of its residents' supervisory committee (居务监督委员会); lines of no
  community by subdistrict staff and superusers only.
Views and services ask these functions with the object in hand; none trusts a URL.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from .models import (
    Body,
    Building,
    City,
    Community,
    Compound,
    Developer,
    District,
    Entrance,
    ExclusivePart,
    Grid,
    Household,
    ImportBatch,
    Membership,
    Ownership,
    Person,
    Representative,
    Residency,
    ResidentsGroup,
    StaffAssignment,
    Subdistrict,
)

# How each register model reaches its community, as a query lookup; "" is the
# community itself. The same path, read as attributes, gives an object's community.
COMMUNITY_PATHS: dict[type[Model], str] = {
    Subdistrict: "communities",
    Community: "",
    ResidentsGroup: "community",
    Grid: "community",
    Compound: "communities",
    Building: "community",
    Entrance: "building__community",
    ExclusivePart: "building__community",
    Person: "home_community",
    Household: "community",
    Residency: "household__community",
    Ownership: "part__building__community",
    Body: "community",
    Membership: "body__community",
    Representative: "communities",
    StaffAssignment: "community",
    ImportBatch: "community",
}
# Paths through a many-to-many field (or a reverse foreign key).
MANY_PATHS = frozenset({"communities"})
# Writes that would change codes or widen someone's rights.
# City and District (above every community) are in no community's scope: their
# names are public, and only superusers change them.
SUPERUSER_ONLY: tuple[type[Model], ...] = (
    City,
    District,
    Subdistrict,
    Community,
    StaffAssignment,
    ImportBatch,
)


def _assignments(user) -> QuerySet[StaffAssignment]:
    if getattr(user, "has_staff_assignment", None) is False:
        return StaffAssignment.objects.none()  # known from the login (backends)
    return StaffAssignment.objects.filter(user=user)


def _active(user) -> bool:
    return user.is_authenticated and user.is_active


def known_staff(user) -> bool | None:
    """Whether the user is staff anywhere, when that is known without a query:
    False for an inactive or anonymous user or a login our backend loaded with no
    staff assignment (`has_staff_assignment`), True for a superuser; None when only
    the database can tell. Known-False answers only deny, never grant."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if getattr(user, "has_staff_assignment", None) is False:
        return False
    return None


def communities_for(user, *, edit: bool = False) -> QuerySet[Community]:
    """Communities whose register `user` may read (or change, with edit=True)."""
    if not _active(user):
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    assignments = _assignments(user)
    if edit:
        assignments = assignments.filter(role=StaffAssignment.Role.EDITOR)
    return Community.objects.filter(
        Q(id__in=assignments.filter(community__isnull=False).values("community_id"))
        | Q(
            subdistrict_id__in=assignments.filter(subdistrict__isnull=False).values(
                "subdistrict_id"
            )
        )
    ).distinct()


_GRANTS = "_yishi_staff_grants"


def staff_grants(user, *, edit: bool = False) -> tuple[set[int], set[int]]:
    """The communities and subdistricts of an active user's staff assignments (the
    editor ones with `edit`), read once per user object — a request's — however many
    questions a page asks. The same rule as `communities_for`, in memory."""
    rows = getattr(user, _GRANTS, None)
    if rows is None:
        rows = tuple(
            _assignments(user).values_list("community_id", "subdistrict_id", "role")
        )
        setattr(user, _GRANTS, rows)
    chosen = [row for row in rows if not edit or row[2] == StaffAssignment.Role.EDITOR]
    return {c for c, _s, _r in chosen if c}, {s for _c, s, _r in chosen if s}


def is_staff_for(user, community: Community, *, edit: bool = False) -> bool:
    """`can_view_register` (`can_change_register` with `edit`) for a signed-in
    user, from `staff_grants`: for pages that ask it many times in one request."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    communities, subdistricts = staff_grants(user, edit=edit)
    return community.pk in communities or community.subdistrict_id in subdistricts


def can_view_register(user, community: Community) -> bool:
    return communities_for(user).filter(pk=community.pk).exists()


def can_change_register(user, community: Community) -> bool:
    if user is None:
        return True
    return communities_for(user, edit=True).filter(pk=community.pk).exists()


def is_self(user, person: Person) -> bool:
    return user.is_authenticated and person.user_id == user.pk


def can_view_person(user, person: Person) -> bool:
    """A person's full (still masked) record: themself, or staff of their community."""
    return is_self(user, person) or can_view_register(user, person.home_community)


def can_change_person(user, person: Person) -> bool:
    return can_change_register(user, person.home_community)


def is_register_staff(user) -> bool:
    return communities_for(user).exists()


# ---- Writing register records (the services ask these) ----


def record_community_ids(record: Model) -> set[int]:
    """The communities a saved or unsaved register row belongs to, read in memory.

    Many-to-many links (a compound's, a representative's communities) are read from
    the database, so they are those of the stored row; the services add the new ones.
    """
    path = COMMUNITY_PATHS.get(type(record))
    if path is None:
        return set()
    if path == "":
        return {record.pk} if record.pk else set()
    *hops, last = path.split("__")
    for hop in hops:
        record = getattr(record, hop, None)
        if record is None:
            return set()
    if last in MANY_PATHS:
        if record.pk is None:
            return set()
        return set(getattr(record, last).values_list("pk", flat=True))
    community_id = getattr(record, f"{last}_id", None)
    return {community_id} if community_id else set()


def can_write_record(
    user, model: type[Model], community_ids: Collection[int], *, creating: bool
) -> bool:
    """Whether `user` may create (or change or delete) a `model` row of these
    communities: every one of them must be a community the user edits."""
    if user is None:
        return True
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if model in SUPERUSER_ONLY:
        return False
    editable = communities_for(user, edit=True)
    if model is Developer:
        # Shared by every community: any editor adds one, superusers change it.
        return creating and editable.exists()
    if not community_ids:
        return False
    allowed = editable.filter(pk__in=list(community_ids)).values_list("pk", flat=True)
    return set(community_ids) <= set(allowed)


def can_link_login(user) -> bool:
    """Linking a person to a login account, or granting rights: superusers only."""
    return user is None or (_active(user) and user.is_superuser)


def can_sync_pages(user) -> bool:
    """Creating the register's Wagtail pages is done by the system or a superuser."""
    return can_link_login(user)


# ---- Reading the audit log ----


def supervised_communities(user) -> QuerySet[Community]:
    """Communities whose residents' supervisory committee `user` sits on today."""
    if not _active(user):
        return Community.objects.none()
    today = timezone.localdate()
    seats = Membership.objects.filter(
        person__user=user, body__kind=Body.Kind.SUPERVISORY
    ).filter(
        Q(term_start__isnull=True) | Q(term_start__lte=today),
        Q(term_end__isnull=True) | Q(term_end__gte=today),
    )
    return Community.objects.filter(pk__in=seats.values("body__community_id"))


def audit_community_ids(user) -> set[int]:
    """Communities whose audit lines `user` may read."""
    readable = communities_for(user).values_list("pk", flat=True)
    supervised = supervised_communities(user).values_list("pk", flat=True)
    return set(readable) | set(supervised)


def can_read_subdistrict_audit(user) -> bool:
    """Audit lines of no single community: subdistrict staff and superusers."""
    if not _active(user):
        return False
    return (
        user.is_superuser
        or _assignments(user).filter(subdistrict__isnull=False).exists()
    )


def can_read_audit(user) -> bool:
    return bool(audit_community_ids(user)) or can_read_subdistrict_audit(user)
