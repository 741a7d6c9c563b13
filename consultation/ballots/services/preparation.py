"""Before a ballot opens: its notice (公告) and the parts without a recorded area.

`notice_record` keeps the date and channels of the notice; `zero_area_confirm` records
that parts without an area count as zero for this ballot. `check_opening` is what
`ballot_open` asks before it writes anything: the notice was published early enough
for the ballot's rule (`domain.notice`), and no part without an area remains on an
area-weighted roll (`domain.areas`). Staff who may manage the ballot do both; each
leaves a line in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.rolls.domain import RollSnapshot
from neighbourhoods.rolls.selectors import RollScopeError
from yishi.audit import audit_record

from ..domain.notice import NoticeChannel, NoticeProblem, notice_shortfall
from ..models import Ballot, BallotNotice, ZeroAreaConfirmation
from ..page_version import ballot_page_changed
from ..selectors import opening as reads
from .checks import lock_managed_ballot
from .errors import BallotError, BallotStateError

PARTS_LISTED = 20  # a refusal names at most this many parts, then "等 N 处"


def _audit(actor, action: str, ballot: Ballot, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=ballot,
        community_id=ballot.community_id,
        detail=detail,
    )


def _require_draft(ballot: Ballot, message: str) -> None:
    if ballot.status != Ballot.Status.DRAFT:
        raise BallotStateError(message)


def _clean_channels(channels: Iterable[str]) -> list[str]:
    known = {channel.value for channel in NoticeChannel}
    cleaned: list[str] = []
    for channel in channels:
        if channel not in known:
            raise BallotError(
                _("未知的公告渠道。 Unknown notice channel."),
                code="bad_notice_channel",
                status=422,
            )
        if channel not in cleaned:
            cleaned.append(channel)
    if not cleaned:
        raise BallotError(
            _("请至少选择一个公告渠道。 Choose at least one notice channel."),
            code="notice_channel_missing",
            status=422,
        )
    return cleaned


@transaction.atomic
def notice_record(
    *,
    ballot_id: int,
    channels: Iterable[str],
    actor,
    published_on: date | None = None,
) -> BallotNotice:
    """Record (or correct, while a draft) the ballot's notice: published on
    `published_on` (default today, Asia/Shanghai; never a day still to come)
    through `channels` (`domain.notice.NoticeChannel` values)."""
    ballot = lock_managed_ballot(ballot_id, actor=actor)
    _require_draft(
        ballot,
        _(
            "投票已开始，公告不能再修改。"
            " The ballot has opened: its notice can no longer change."
        ),
    )
    today = timezone.localdate()
    published_on = published_on or today
    if published_on > today:
        raise BallotError(
            _(
                "公告日期不能晚于今天（%(today)s）：请在公告发布后登记。"
                " The notice date cannot be later than today: record it once"
                " published."
            )
            % {"today": today.isoformat()},
            code="notice_in_future",
            status=422,
        )
    cleaned = _clean_channels(channels)
    notice, _created = BallotNotice.objects.update_or_create(
        ballot=ballot,
        defaults={
            "published_on": published_on,
            "channels": cleaned,
            "recorded_by": actor,
        },
    )
    ballot_page_changed(ballot.pk)
    _audit(
        actor,
        "ballot_notice_record",
        ballot,
        published_on=published_on.isoformat(),
        channels=cleaned,
    )
    return notice


@transaction.atomic
def zero_area_confirm(*, ballot_id: int, part_ids: Iterable[int], actor) -> list[int]:
    """Confirm, for this draft area-weighted ballot, that these parts without a
    recorded area count as zero square metres. Returns the newly confirmed ids."""
    ballot = lock_managed_ballot(ballot_id, actor=actor)
    _require_draft(
        ballot,
        _(
            "投票已开始，不能再确认面积。"
            " The ballot has opened: areas can no longer be confirmed."
        ),
    )
    wanted = set(part_ids)
    missing = set(_missing_today(ballot))
    if not wanted or not wanted <= missing:
        raise BallotError(
            _(
                "只能确认本次名册中缺少面积的专有部分。"
                " Only parts of this roll without a recorded area can be confirmed."
            ),
            code="not_missing_area",
            status=422,
        )
    new = sorted(wanted - reads.confirmed_zero_parts(ballot))
    ZeroAreaConfirmation.objects.bulk_create(
        ZeroAreaConfirmation(ballot=ballot, part_id=pk, confirmed_by=actor)
        for pk in new
    )
    _audit(actor, "ballot_zero_area_confirm", ballot, part_ids=new)
    return new


def _missing_today(ballot: Ballot) -> tuple[int, ...]:
    if not ballot.weighted_by_area:
        return ()
    try:
        roll = reads.opening_roll(ballot, timezone.localdate())
    except RollScopeError:
        return ()
    return reads.area_missing_in(roll)


# --- What opening checks ----------------------------------------------------------


def check_opening(ballot: Ballot, roll: RollSnapshot, opening_day: date) -> None:
    """Refuse (409) to open before the notice period ends or while a part of an
    area-weighted roll has no area; nothing is written by the caller then."""
    _check_notice(ballot, opening_day)
    _check_areas(ballot, roll)


def _check_notice(ballot: Ballot, opening_day: date) -> None:
    requirement = reads.notice_requirement_of(ballot)
    notice = reads.ballot_notice(ballot)
    shortfall = notice_shortfall(
        notice.published_on if notice else None, opening_day, requirement
    )
    if shortfall is None:
        return
    values = {"law": requirement.law_zh, "days": requirement.days}
    if shortfall.problem == NoticeProblem.MISSING:
        raise BallotError(
            _(
                "开始投票前须发布公告：依%(law)s，须提前 %(days)d 日公告。"
                "请先在管理页登记公告日期和渠道。"
                " A notice must be published %(days)d days before voting opens:"
                " record its date and channels first."
            )
            % values,
            code=shortfall.problem.value,
            status=409,
        )
    raise BallotError(
        _(
            "公告于 %(notice)s 发布，依%(law)s须提前 %(days)d 日公告，"
            "最早可于 %(earliest)s 开始投票。"
            " The notice was published on %(notice)s; %(days)d days' notice is"
            " required, so voting may open on %(earliest)s at the earliest."
        )
        % {
            **values,
            "notice": notice.published_on.isoformat(),
            "earliest": shortfall.earliest_opening.isoformat(),
        },
        code=shortfall.problem.value,
        status=409,
    )


def _check_areas(ballot: Ballot, roll: RollSnapshot) -> None:
    blocking = reads.blocking_parts(ballot, roll)
    if not blocking:
        return
    labels = reads.part_labels(blocking[:PARTS_LISTED])
    listed = "、".join(labels.get(pk, str(pk)) for pk in blocking[:PARTS_LISTED])
    if len(blocking) > PARTS_LISTED:
        listed += _("等 %(n)d 处") % {"n": len(blocking)}
    raise BallotError(
        _(
            "以下专有部分没有登记面积，按面积计的投票不能开始：%(parts)s。"
            "请在登记簿中录入面积，或在管理页确认其按零计。"
            " These parts have no recorded area: enter it in the register, or"
            " confirm on the manage page that it counts as zero."
        )
        % {"parts": listed},
        code="area_missing",
        status=409,
    )
