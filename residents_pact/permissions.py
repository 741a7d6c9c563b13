"""Who may do what with a pact.

The drafting group is the community's register editors (staff of the community or
its subdistrict); `None` is the system. Residents of the pact's scope (the
community, the compound or the building, by a current residency in the register)
comment and pledge; anyone reads.
"""

from __future__ import annotations

from django.db.models import Q

from neighbourhoods.models import Residency
from neighbourhoods.permissions import can_change_register


def can_manage(user, page) -> bool:
    return can_change_register(user, page.community)


def person_of(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def _scope_filter(page) -> Q:
    if page.building_id:
        return Q(household__dwelling__building_id=page.building_id)
    if page.compound_id:
        return Q(household__dwelling__building__compound_id=page.compound_id)
    return Q(household__community_id=page.community_id)


def residencies_in_scope(person, page):
    return Residency.objects.filter(_scope_filter(page), person=person).filter(
        end_date__isnull=True
    )


def lives_in_scope(user, page) -> bool:
    person = person_of(user)
    if person is None:
        return False
    if residencies_in_scope(person, page).exists():
        return True
    # A community pact: the register's home community counts too.
    return not (page.compound_id or page.building_id) and (
        person.home_community_id == page.community_id
    )


def can_comment(user, page) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return lives_in_scope(user, page) or can_manage(user, page)


def can_change_register_of(user, community) -> bool:
    return can_change_register(user, community)
