"""What a ballot service refuses with: each error carries the HTTP status a view
answers and a message in Chinese then English."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


class BallotError(Exception):
    """A refused ballot action. `status` is the HTTP status a view should answer."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class BallotStateError(BallotError):
    status = 409
    code = "wrong_state"


class BallotNotFound(BallotError):
    status = 404
    code = "not_found"


class BallotForbidden(BallotError):
    status = 403
    code = "forbidden"


class NotOnRoll(BallotError):
    status = 403
    code = "not_on_roll"


class AlreadyVoted(BallotError):
    status = 409
    code = "already_voted"
    conflict = None  # the VoteConflict to keep for staff


class InvalidSelection(BallotError):
    status = 422
    code = "invalid_selection"


class ProxyRefused(BallotError):
    status = 403
    code = "proxy_refused"


class IdempotencyMismatch(BallotError):
    status = 422
    code = "idempotency_key_reused"


def forbidden() -> BallotForbidden:
    return BallotForbidden(_("您无权管理这项投票。 You may not manage this ballot."))


def no_such_ballot() -> BallotNotFound:
    return BallotNotFound(_("没有这项投票。 No such ballot."))


@dataclass(frozen=True)
class VoteResult:
    participation_id: int
    receipt: str | None  # secret ballots only, shown once
    replayed: bool = False
