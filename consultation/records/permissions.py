"""Who may do what with decision records.

- Editors of a community's register (its staff, its subdistrict's staff) manage its
  matters: open them, record steps and meetings, upload files, put a residents'
  proposal on the agenda, enter paper signatures.
- A matter's page, its step records and the proposals are public: community affairs
  are disclosed (居务公开). Names shown are those of bodies' members, already public
  on the register pages; a residents' meeting shows counts only.
- Attachments are read by the register's readers, the community's residents (a
  linked login) and its supervisory committee; scanned sign-in sheets carry
  signatures and are read by the register's readers and the supervisory committee.
- A supervision opinion is recorded by a current member of the community's
  supervisory committee (居务监督委员会) on their account, or by an editor naming one.
- A member present at a meeting confirms (signs) on their own account only.
- A resident supports a proposal on their own account; the counting rules (who is
  an adult resident, an owner) are the service's.
- `None` as the user is the system (the demo, a command): always allowed.
"""

from __future__ import annotations

from django.utils import timezone

from neighbourhoods.models import Body, Membership
from neighbourhoods.permissions import can_change_register, can_view_register

from .models import Matter, Meeting


def person_of(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_manage_matters(user, community) -> bool:
    return can_change_register(user, community)


def is_supervisor(person, community, *, on=None) -> bool:
    """A current member of the community's supervisory committee."""
    if person is None:
        return False
    day = on or timezone.localdate()
    return (
        Membership.objects.filter(
            person=person,
            body__community=community,
            body__kind=Body.Kind.SUPERVISORY,
        )
        .exclude(term_start__gt=day)
        .exclude(term_end__lt=day)
        .exists()
    )


def can_record_supervision(user, community) -> bool:
    if user is None or can_change_register(user, community):
        return True
    return is_supervisor(person_of(user), community)


def can_read_attachments(user, matter: Matter) -> bool:
    if user is None or can_view_register(user, matter.community):
        return True
    person = person_of(user)
    if person is None:
        return False
    return person.home_community_id == matter.community_id or is_supervisor(
        person, matter.community
    )


def can_read_sign_in_sheet(user, meeting: Meeting) -> bool:
    if user is None or can_view_register(user, meeting.community):
        return True
    return is_supervisor(person_of(user), meeting.community)


def can_read_sign_in_sheet_of_community(user, community) -> bool:
    """The scanned sign-in sheets of a community's meetings (as above, without a
    meeting in hand: the dossier's ZIP)."""
    if user is None or can_view_register(user, community):
        return True
    return is_supervisor(person_of(user), community)
