"""Who may do what on the disclosure board.

- Editors of a community's register (its staff, its subdistrict's staff) draft,
  submit, publish, correct and redact its disclosures and reply to objections; a
  compound-level entry (an owners' committee's) is run by the staff of the
  community whose chain it is in (the publishing body's community).
- Members of the community's supervisory committee (居务监督委员会, a `Body` of kind
  supervisory, with a seat today) review drafts and see escalations.
- Subdistrict staff (and superusers) see every escalation of their communities.
- A resident (a login linked to a person) whose home is one of the entry's board
  communities files an objection while it is displayed.
- Everybody reads published entries, their objections (pseudonymised), the schedule
  and the chain's verification. Drafts are seen by staff and reviewers only.
- `None` as the user is the system (the demo, a management command).
"""

from __future__ import annotations

from neighbourhoods.models import Community
from neighbourhoods.permissions import (
    can_change_register,
    can_view_register,
    supervised_communities,
)

from .models import DisclosureEntry


def person_of(user):
    if user is None or not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_draft(user, community: Community) -> bool:
    return can_change_register(user, community)


def can_manage(user, entry: DisclosureEntry) -> bool:
    return can_change_register(user, entry.community)


def is_reviewer(user, community: Community) -> bool:
    if user is None:
        return True
    return supervised_communities(user).filter(pk=community.pk).exists()


def can_review(user, entry: DisclosureEntry) -> bool:
    return is_reviewer(user, entry.community)


def can_see_drafts(user, community: Community) -> bool:
    return can_view_register(user, community) or is_reviewer(user, community)


def can_view_entry(user, entry: DisclosureEntry) -> bool:
    return entry.published or can_see_drafts(user, entry.community)


def board_community_ids(entry: DisclosureEntry) -> set[int]:
    """The boards an entry shows on: its chain's community, and for a compound's
    entry every community the compound touches."""
    ids = {entry.community_id}
    if entry.compound_id:
        ids |= set(entry.compound.communities.values_list("pk", flat=True))
    return ids


def can_object(user, entry: DisclosureEntry) -> bool:
    person = person_of(user)
    return person is not None and person.home_community_id in board_community_ids(entry)


def can_see_escalations(user, community: Community) -> bool:
    """The supervisory committee, and staff of the community or its subdistrict
    (register readers: `communities_for` covers subdistrict assignments)."""
    return can_see_drafts(user, community)


def can_see_objector(user, entry: DisclosureEntry) -> bool:
    """The objector's name is for staff of the entry's community only."""
    return can_view_register(user, entry.community) if user is not None else True
