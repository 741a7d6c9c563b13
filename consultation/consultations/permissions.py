"""Who may do what with consultations.

- A consultation's page is public: community affairs are disclosed (居务公开), and
  participants are named as the notice names them.
- Editors of the community's register (its staff, its subdistrict's staff) run a
  consultation: confirm the topic, give notice, record the session, the opinion,
  the implementation and the result.
- A resident of the community (a login linked to a person whose home community it
  is) leaves feedback on a published result, on their own account.
- `None` as the user is the system (the demo, a command): always allowed.
"""

from __future__ import annotations

from neighbourhoods.permissions import can_change_register


def person_of(user):
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)


def can_manage(user, community) -> bool:
    return user is None or can_change_register(user, community)


def can_give_feedback(user, community) -> bool:
    person = person_of(user)
    return person is not None and person.home_community_id == community.pk
