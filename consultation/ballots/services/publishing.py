"""Publishing a ballot: the tally frozen with the rule applied, never edited after.

A consultative owners' ballot (征询) publishes the binding result recorded from its
official document, with the platform's own count kept beside it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.audit import audit_record
from yishi.uploads import upload_check

from ..domain.ballots import PaperRecord, tally
from ..domain.published import tally_sha256
from ..models import Ballot, PublishedTally
from ..page_version import ballot_page_changed
from ..selectors import ballot_spec, ballot_tally, tally_as_dict
from .checks import announce, lock_managed_ballot
from .errors import BallotError, BallotStateError


@transaction.atomic
def ballot_publish(*, ballot_id: int, actor) -> PublishedTally:
    """Freeze the tally, the rule applied and whether it passed; never edited after."""
    ballot = lock_managed_ballot(ballot_id, actor=actor)
    if ballot.status != Ballot.Status.CLOSED:
        raise BallotStateError(
            _("只有已截止的投票可以公布结果。 Only a closed ballot is published.")
        )
    ballot.status = Ballot.Status.PUBLISHED  # the frozen record says so itself
    return _publish(ballot, tally_as_dict(ballot, ballot_tally(ballot)), actor)


def _publish(ballot, result, actor, *, official=False, document=None) -> PublishedTally:
    evaluation = result.get("decision") or {}
    published = PublishedTally.objects.create(
        ballot=ballot,
        result=result,
        passed=evaluation.get("passed"),
        quorum_met=evaluation.get("quorum_met"),
        official=official,
        source_document=document or "",
        sha256=tally_sha256(result),
        published_by=actor,
    )
    ballot.status = Ballot.Status.PUBLISHED
    ballot.published_at = timezone.now()
    ballot.save(update_fields=["status", "published_at"])
    ballot_page_changed(ballot.pk)
    audit_record(
        actor=actor,
        action="official_result_record" if official else "ballot_publish",
        target=ballot,
        community_id=ballot.community_id,
        detail={"sha256": published.sha256, "passed": published.passed},
    )
    announce(ballot.pk)
    return published


def _official_papers(spec, option_counts: dict) -> list[PaperRecord]:
    known = {option.id for option in spec.options}
    if set(option_counts) - known or any(
        heads < 0 or area < 0 for heads, area in option_counts.values()
    ):
        raise BallotError(
            _("官方结果数据不正确。 Invalid official counts."), status=422
        )
    return [
        PaperRecord(
            selection={"options": [option_id]},
            heads=heads,
            area=area,
            channel="official",
        )
        for option_id, (heads, area) in sorted(option_counts.items())
        if heads or area
    ]


def _check_official_ballot(ballot: Ballot, source_document) -> None:
    if not ballot.consultative:
        raise BallotError(
            _("只有征询性投票可以录入官方结果。 Only a consultative ballot."),
            status=409,
        )
    if ballot.status != Ballot.Status.CLOSED:
        raise BallotStateError(
            _("请先截止本平台的征询投票。 Close the consultative ballot first.")
        )
    if not source_document:
        raise BallotError(
            _("须上传官方结果文件。 The official document is required."), status=422
        )


@transaction.atomic
def official_result_record(
    *,
    ballot_id: int,
    option_counts: dict[int, tuple[int, int]],
    roll_heads: int,
    roll_area: int,
    source_document,
    actor,
) -> PublishedTally:
    """Record the binding result of a consultative ballot (e.g. Sichuan's provincial
    e-voting system): counted, disclosed and archived here like any other tally.

    `option_counts` maps option id → (heads, area in 0.01 m²) from the official
    document; the platform's own consultative count is kept beside it.
    """
    ballot = lock_managed_ballot(ballot_id, actor=actor)
    _check_official_ballot(ballot, source_document)
    source_document = upload_check(source_document)  # UploadRefused: 413 or 422
    official = tally(
        ballot_spec(ballot), _official_papers(ballot_spec(ballot), option_counts)
    )
    if official.participating_heads > roll_heads or official.participating_area > (
        roll_area
    ):
        raise BallotError(
            _("参加人数或面积超过总数。 Participation exceeds the totals."), status=422
        )
    own = tally_as_dict(ballot, ballot_tally(ballot))
    ballot.status = Ballot.Status.PUBLISHED
    # The official totals go into the published record only: the ballot's own roll
    # snapshot is kept as it was taken (the save in _publish names its fields).
    ballot.roll_heads, ballot.roll_area = roll_heads, roll_area
    result = tally_as_dict(ballot, official)
    result["official"] = True
    result["platform_consultative_tally"] = own
    return _publish(ballot, result, actor, official=True, document=source_document)
