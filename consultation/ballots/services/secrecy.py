"""Secret ballots: anonymous papers, kept apart from who voted, and mixed.

The database keeps "this roll member has voted" (`Participation`) and the anonymous
paper (`SecretPaper`) with no link between them. Papers are re-inserted in shuffled
batches of MIX_BATCH while the ballot is open, and all at once at close, so neither
insertion order, primary key nor writing transaction ties a paper to its voter.
"""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from ..domain.receipts import receipt_hash
from ..models import Ballot, Participation, SecretPaper
from .checks import (
    announce,
    lock_ballot,
    lock_managed_ballot,
    paper_selection,
    require_open,
)
from .errors import BallotError

MIX_BATCH = 10


def mix_papers(ballot: Ballot, *, everything: bool) -> int:
    """Re-insert papers in shuffled order with new random keys (unlinks them)."""
    papers = SecretPaper.objects.filter(ballot=ballot)
    if not everything:
        papers = papers.filter(mixed=False)
    rows = list(
        papers.select_for_update(skip_locked=not everything).values(
            "pk", "selection", "heads", "area", "receipt_hash"
        )
    )
    if not rows or (not everything and len(rows) < MIX_BATCH):
        return 0
    SecretPaper.objects.filter(pk__in=[row["pk"] for row in rows]).delete()
    secrets.SystemRandom().shuffle(rows)
    SecretPaper.objects.bulk_create(
        (
            SecretPaper(
                ballot=ballot,
                selection=row["selection"],
                heads=row["heads"],
                area=row["area"],
                receipt_hash=row["receipt_hash"],
                mixed=True,
            )
            for row in rows
        ),
        batch_size=1000,
    )
    return len(rows)


@transaction.atomic
def secret_papers_mix(*, ballot_id: int) -> int:
    """Mix a full batch of unmixed papers (called after each secret vote commits).

    Locks the ballot before the papers, in the same order as `ballot_close`, so the
    two never deadlock; after close there is nothing left to do here.
    """
    ballot = lock_ballot(ballot_id, exclusive=False)
    if ballot.status != Ballot.Status.OPEN:
        return 0
    return mix_papers(ballot, everything=False)


def secret_paper_add(ballot: Ballot, selection: dict, receipt_digest: str) -> None:
    """An anonymous paper: one head, no area, no channel, nothing about the voter."""
    SecretPaper.objects.create(
        ballot=ballot, selection=selection, heads=1, area=0, receipt_hash=receipt_digest
    )
    ballot_id = ballot.pk
    # Looked up when it runs, so that a test can stand in for it.
    transaction.on_commit(lambda: _mix_after_commit(ballot_id), robust=True)


def _mix_after_commit(ballot_id: int) -> None:
    secret_papers_mix(ballot_id=ballot_id)


@transaction.atomic
def secret_paper_enter(
    *, ballot_id: int, selection, actor, invalid: bool = False
) -> None:
    """Count one anonymous paper from the ballot box of a secret ballot (`invalid`:
    a spoiled paper, 废票, counted for no option).

    Allowed only while fewer papers than participations are recorded: every paper
    voter was first marked by `paper_vote_enter`. The exclusive lock makes two clerks
    entering at once count the remaining papers exactly. (No audit line: it would
    date the paper; the count of papers is the record.)
    """
    ballot = lock_managed_ballot(ballot_id, actor=actor)
    require_open(ballot)
    if not ballot.is_secret:
        raise BallotError(_("仅用于无记名投票。 For secret ballots only."), status=409)
    normalised = paper_selection(ballot, selection, invalid=invalid)
    owed = (
        Participation.objects.filter(ballot=ballot).count()
        - SecretPaper.objects.filter(ballot=ballot).count()
    )
    if owed <= 0:
        raise BallotError(
            _(
                "选票张数已与投票人数相同，不能再录入。"
                " Every recorded voter's paper has been counted."
            ),
            code="no_paper_owed",
            status=409,
        )
    # The receipt of a ballot-box paper is never shown: a random, unused digest.
    secret_paper_add(ballot, normalised, receipt_hash(secrets.token_hex(16)))
    announce(ballot.pk)
