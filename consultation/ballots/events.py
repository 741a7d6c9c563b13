"""Live ballot updates: the group, the payload built once, and the announcement.

A service announces `ballot_tally_schedule(ballot_id)` after its change commits; the
site's fan-out (yishi.fanout) sends at most one broadcast per ballot per window from
the websocket processes, built by `ballot_broadcast`. Two payloads are built once per
broadcast: the full tally, and a public one (just participation) for viewers who may
not see a hidden tally yet.
"""

from __future__ import annotations

from yishi import fanout

from . import permissions
from .models import Ballot
from .selectors import ballot_tally, tally_as_dict

TOPIC = "ballot"


def ballot_group(ballot_id: int) -> str:
    return f"ballot.{ballot_id}"


def ballot_tally_schedule(ballot_id: int) -> None:
    """After commit: the ballot's live tally will be broadcast shortly."""
    fanout.schedule(TOPIC, ballot_id)


def ballot_payloads(ballot_id: int) -> dict:
    """The message for the group: full and public variants, built once."""
    ballot = Ballot.objects.get(pk=ballot_id)
    full = tally_as_dict(ballot, ballot_tally(ballot))
    public = {
        "ballot": ballot.pk,
        "status": ballot.status,
        "participation": full["participation"],
        "roll": full["roll"],
    }
    return {
        "type": "ballot.tally",
        "ballot": ballot.pk,
        "hidden": permissions.tally_hidden_while_open(ballot),
        "full": full,
        "public": public,
    }


def ballot_broadcast(key: str) -> tuple[str, dict] | None:
    ballot_id = int(key)
    if not Ballot.objects.filter(pk=ballot_id).exists():
        return None
    return ballot_group(ballot_id), ballot_payloads(ballot_id)


fanout.register(TOPIC, ballot_broadcast)
