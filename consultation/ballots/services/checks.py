"""What ballot services check first: the lock, the state, the roll, the selection.

A vote takes a SHARE lock on its ballot row (PostgreSQL `FOR SHARE`), so votes run
side by side while state changes (an exclusive `FOR UPDATE`) wait for every vote in
flight. SQLite serialises writers itself (IMMEDIATE transactions).
"""

from __future__ import annotations

from django.db import connection, transaction
from django.utils.translation import gettext as _

from neighbourhoods.models import Person

from .. import events, permissions
from ..domain.ballots import INVALID_PAPER, SelectionError, normalise_selection
from ..models import Ballot, RollEntry
from ..selectors import ballot_spec
from .errors import (
    BallotStateError,
    InvalidSelection,
    NotOnRoll,
    forbidden,
    no_such_ballot,
)


def lock_ballot(ballot_id: int, *, exclusive: bool) -> Ballot:
    """Lock the ballot row: shared for votes, exclusive for state changes."""
    if exclusive or connection.vendor != "postgresql":
        found = Ballot.objects.select_for_update().filter(pk=ballot_id).first()
    else:
        table = connection.ops.quote_name(Ballot._meta.db_table)
        query = f"SELECT * FROM {table} WHERE id = %s FOR SHARE"
        found = next(iter(Ballot.objects.raw(query, [ballot_id])), None)
    if found is None:
        raise no_such_ballot()
    return found


def lock_managed_ballot(ballot_id: int, *, actor, exclusive: bool = True) -> Ballot:
    """The ballot locked, once `actor` may manage it (None: the system itself)."""
    ballot = lock_ballot(ballot_id, exclusive=exclusive)
    if actor is not None and not permissions.can_manage_ballot(actor, ballot):
        raise forbidden()
    return ballot


def require_open(ballot: Ballot) -> None:
    if ballot.status != Ballot.Status.OPEN:
        raise BallotStateError(
            _("投票未在进行中，不能投票。 This ballot is not open for voting.")
        )


def entry_for_voter(ballot: Ballot, voter: Person) -> RollEntry:
    entry = RollEntry.objects.filter(ballot=ballot, voter=voter).order_by("key").first()
    if entry is None:
        raise NotOnRoll(
            _("您不在本次投票的表决人名册中。 You are not on this ballot's roll.")
        )
    return entry


def lock_open_ballot_for(ballot_id: int, voter: Person) -> tuple[Ballot, RollEntry]:
    """The open ballot under a shared lock, and the voter's roll entry.

    Refused in this order: no ballot (404), not open (409), not on the roll (403).
    """
    ballot = lock_ballot(ballot_id, exclusive=False)
    require_open(ballot)
    return ballot, entry_for_voter(ballot, voter)


def announce(ballot_id: int) -> None:
    # robust: a failed announcement must not turn a recorded vote into an error page.
    transaction.on_commit(lambda: events.ballot_tally_schedule(ballot_id), robust=True)


def normalise(ballot: Ballot, raw) -> dict:
    """The selection in its one stored shape, or a refusal (400 / 422)."""
    try:
        return normalise_selection(ballot_spec(ballot), raw)
    except SelectionError as error:
        status = 400 if error.code in ("unknown_option", "bad_shape") else 422
        raise InvalidSelection(str(error), code=error.code, status=status) from error


def _marks_anything(raw) -> bool:
    if not raw:
        return False
    if isinstance(raw, dict):
        return any(_marks_anything(value) for value in raw.values())
    return True


def paper_selection(ballot: Ballot, raw, *, invalid: bool) -> dict:
    """What a paper sheet says: its normalised selection, or, for a sheet staff mark
    invalid (废票), the invalid marker; a sheet marked invalid AND with choices
    entered is a contradiction (422), never half-recorded."""
    if not invalid:
        return normalise(ballot, raw)
    if _marks_anything(raw):
        raise InvalidSelection(
            _(
                "标为废票的选票不能同时录入选择。"
                " A sheet marked invalid cannot also carry choices."
            ),
            code="invalid_with_choices",
            status=422,
        )
    return dict(INVALID_PAPER)
