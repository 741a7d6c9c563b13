"""Who may review residents' link requests and print sign-in slips.

Linking a login to a register record is otherwise for superusers only
(`neighbourhoods.permissions.can_link_login`); here the resident asks for it and the
editors of the claimed community, who can check who lives where, decide. Viewers
and staff of other communities may not. `None` is the system (the demo).
"""

from __future__ import annotations

from django.db.models import QuerySet

from ..models.people import Person
from ..models.places import Community
from ..permissions import can_change_person, can_change_register, communities_for


def review_communities(user) -> QuerySet[Community]:
    """Communities whose link requests `user` reviews: those whose register
    they edit."""
    return communities_for(user, edit=True)


def can_review_links(user, community: Community) -> bool:
    return can_change_register(user, community)


def can_issue_slip(user, person: Person) -> bool:
    """Open an account for a resident and print their one-time sign-in slip."""
    return user is None or can_change_person(user, person)


def is_linked(user) -> bool:
    """Whether a signed-in user's account is linked to a register record."""
    return Person.objects.filter(user=user).exists()
