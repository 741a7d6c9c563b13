"""What the ballot page shows, in a number of queries that does not grow with the
roll (issue 8).

For a signed-in resident on an open ballot's roll: the ballot with its community,
notice and published tally (one query, joined); the user with their resident record
(the authentication backend); the user's staff assignments, read once for every
permission the page asks (`permissions`); their roll entry with whether it has voted
(one query); the units it votes for (one); the proxies they hold (one, on an open
ballot where the ballot's query found that they hold any); the co-owners they
represent (one, only where there are any). The options of
an opened ballot come from the process's memory (`selectors._options`: fixed once
a ballot opens).

Imported as `selectors.page` (not re-exported by the package, which it reads).
"""

from __future__ import annotations

import dataclasses
import uuid

from django.db.models import Exists, OuterRef

from .. import permissions
from ..models import Ballot, Participation, Proxy, RollEntry
from . import (
    _options,
    ballot_counting_rows,
    ballot_law,
    ballot_view_tally,
    not_on_roll_reason,
    proxies_to_cast,
    voter_capacity,
)
from .opening import notice_facts


@dataclasses.dataclass(frozen=True)
class PageOption:
    """An option as the vote form shows it."""

    pk: int
    label: str


def ballot_for_page(ballot_id: int, person=None) -> Ballot | None:
    """The ballot with what every visitor's page reads of it: its community (every
    permission asks for it), its notice and its published tally; and, for a
    resident, whether they hold a proxy on it (`holds_proxy`); or None."""
    ballots = Ballot.objects.select_related("community", "notice", "published_tally")
    if person is not None:
        held = Proxy.objects.filter(ballot=OuterRef("pk"), holder=person)
        ballots = ballots.annotate(holds_proxy=Exists(held))
    return ballots.filter(pk=ballot_id).first()


def page_options(ballot: Ballot) -> list[PageOption]:
    return [PageOption(pk=pk, label=label) for pk, _role, label in _options(ballot)]


def voter_entry(ballot: Ballot, person) -> tuple[RollEntry | None, bool]:
    """This person's roll entry on the ballot, and whether it has voted: one query."""
    if person is None:
        return None, False
    voted = Participation.objects.filter(ballot=ballot, entry=OuterRef("pk"))
    entry = (
        RollEntry.objects.filter(ballot=ballot, voter=person)
        .annotate(has_voted=Exists(voted))
        .first()
    )
    return entry, bool(entry is not None and entry.has_voted)


def _joined(ballot: Ballot, name: str):
    """A one-to-one row joined by `ballot_for_page` (None where there is none)."""
    return getattr(ballot, name, None)


def ballot_page_context(ballot: Ballot, user) -> dict:
    """Everything the ballot page shows to `user`, who may view the ballot."""
    person = permissions.person_of(user)
    is_open = ballot.status == Ballot.Status.OPEN
    entry, voted = voter_entry(ballot, person)
    return {
        "ballot": ballot,
        "options": page_options(ballot) if is_open else [],
        "entry": entry,
        "voted": voted,
        "capacity": voter_capacity(ballot, entry) if entry else None,
        "not_on_roll": not_on_roll_reason(ballot, person)
        if person is not None and entry is None and is_open
        else None,
        "idempotency_key": uuid.uuid4().hex,
        "tally": ballot_view_tally(ballot)
        if permissions.can_see_tally(user, ballot)
        else None,
        "can_manage": permissions.can_manage_ballot(user, ballot),
        "proxies_held": proxies_to_cast(ballot, person)
        if person and getattr(ballot, "holds_proxy", True)
        else [],
        "law": ballot_law(ballot),
        "counting": ballot_counting_rows(ballot),
        "notice": notice_facts(ballot, _joined(ballot, "notice")),
    }
