"""Who may do what with a ballot.

- Staff who may change a community's register manage its ballots (open, enter paper
  ballots and proxies, close, publish) and see the roll and conflicts.
- A person on the ballot's roll may see the ballot and vote while it is open; other
  residents of its community see the page (and why they are not on the roll).
- A published ballot's tally is public.
- A tally hidden until close is shown to nobody — staff included — while it is open.
"""

from __future__ import annotations

from neighbourhoods.permissions import can_change_register, can_view_register

from .models import Ballot, RollEntry


def person_of(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


def can_manage_ballot(user, ballot: Ballot) -> bool:
    return can_change_register(user, ballot.community)


def is_on_roll(user, ballot: Ballot) -> bool:
    person = person_of(user)
    if person is None or ballot.status == Ballot.Status.DRAFT:
        return False
    return RollEntry.objects.filter(ballot=ballot, voter=person).exists()


def can_view_ballot(user, ballot: Ballot) -> bool:
    if ballot.status == Ballot.Status.PUBLISHED:
        return True
    if ballot.status == Ballot.Status.DRAFT:
        return can_manage_ballot(user, ballot)
    return (
        can_view_register(user, ballot.community)
        or is_on_roll(user, ballot)
        or is_resident_of(user, ballot)
    )


def is_resident_of(user, ballot: Ballot) -> bool:
    """A resident of the ballot's community sees an open or closed ballot's page —
    and, if not on its roll, why not — but votes only if on the roll."""
    person = person_of(user)
    return person is not None and person.home_community_id == ballot.community_id


def tally_hidden_while_open(ballot: Ballot) -> bool:
    """The one home of the hidden-tally rule: shown to nobody until the close."""
    return (
        ballot.status == Ballot.Status.OPEN
        and ballot.results_visibility == Ballot.ResultsVisibility.AFTER_CLOSE
    )


def can_see_tally(user, ballot: Ballot) -> bool:
    if ballot.status == Ballot.Status.PUBLISHED:
        return True
    if ballot.status == Ballot.Status.DRAFT or tally_hidden_while_open(ballot):
        return False
    return can_view_ballot(user, ballot)
