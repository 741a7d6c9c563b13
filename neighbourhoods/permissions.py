"""Who may read or change which part of the register.

- Subdistrict staff see and (as editors) change every community of their subdistrict.
- Community staff see and (as editors) change their own community only.
- Django superusers may do everything.
- A resident sees only what is public plus their own data (`can_view_person` on
  themself); nobody changes their own record by being themself.
Views and services ask these functions with the object in hand; none trusts a URL.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Community, Person, StaffAssignment


def _assignments(user) -> QuerySet[StaffAssignment]:
    return StaffAssignment.objects.filter(user=user)


def communities_for(user, *, edit: bool = False) -> QuerySet[Community]:
    """Communities whose register `user` may read (or change, with edit=True)."""
    if not user.is_authenticated or not user.is_active:
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


def can_view_register(user, community: Community) -> bool:
    return communities_for(user).filter(pk=community.pk).exists()


def can_change_register(user, community: Community) -> bool:
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
