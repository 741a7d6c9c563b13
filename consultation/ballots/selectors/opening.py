"""Reads for opening a ballot: the roll it would take, its notice (公告), and the
parts without a recorded area that block an area-weighted ballot.

Imported as `selectors.opening` (not re-exported by the package, which it reads).
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import ExclusivePart
from neighbourhoods.rolls.domain import OwnerCountingOptions, RollBasis, RollSnapshot
from neighbourhoods.rolls.selectors import RollScope, roll_snapshot

from ..domain.areas import missing_area_parts, parts_blocking_opening
from ..domain.finding import unit_label
from ..domain.notice import (
    NoticeChannel,
    NoticeRequirement,
    days_between,
    earliest_opening,
    notice_requirement,
)
from ..models import Ballot, BallotNotice, ZeroAreaConfirmation
from . import ballot_rule_choice

CHANNEL_LABELS = {
    NoticeChannel.NOTICE_BOARD: _("公告栏"),
    NoticeChannel.WECHAT_GROUP: _("小区微信群"),
    NoticeChannel.WEBSITE: _("网站"),
    NoticeChannel.WRITTEN: _("书面送达"),
}


def notice_channel_choices() -> list[tuple[str, str]]:
    return [(channel.value, str(label)) for channel, label in CHANNEL_LABELS.items()]


def opening_roll(ballot: Ballot, as_of: date) -> RollSnapshot:
    """The roll `ballot_open` takes on `as_of` (RollScopeError when the basis does
    not fit the scope): the one place the ballot's counting options are read."""
    return roll_snapshot(
        scope=RollScope(ballot.scope_kind, ballot.scope_id),
        basis=RollBasis(ballot.basis),
        as_of=as_of,
        options=OwnerCountingOptions(
            count_parking_area=ballot.count_parking_area,
            count_parking_only_owners=ballot.count_parking_only_owners,
            matter_concerns_parking=ballot.concerns_parking,
        ),
    )


def ballot_notice(ballot: Ballot) -> BallotNotice | None:
    return BallotNotice.objects.filter(ballot=ballot).first()


def notice_rule_id(ballot: Ballot) -> str:
    """The rule version whose notice period applies: the one `ballot_create`
    checked, in force on the expected closing day ("" without a rule)."""
    if not ballot.rule_id:
        return ""
    choice = ballot_rule_choice(ballot)
    return choice.rule.id if choice is not None else ballot.rule_id


def notice_requirement_of(ballot: Ballot) -> NoticeRequirement:
    return notice_requirement(notice_rule_id(ballot))


def channel_labels(channels: list[str]) -> list[str]:
    labels = dict(notice_channel_choices())
    return [labels.get(channel, channel) for channel in channels]


_UNREAD = object()


def notice_facts(ballot: Ballot, notice=_UNREAD) -> dict | None:
    """What the ballot page, the manage page and the tally sheet print of the notice:
    its date and channels, how many days before opening, and (while a draft) the
    rule's requirement and the earliest day voting may open. `notice`: the ballot's
    notice (or None, there is none) where the caller has read it already."""
    if notice is _UNREAD:
        notice = ballot_notice(ballot)
    draft = ballot.status == Ballot.Status.DRAFT
    requirement = notice_requirement_of(ballot) if draft else None
    if notice is None and (requirement is None or requirement.days == 0):
        return None
    facts: dict = {"published_on": None, "channels": [], "days_ahead": None}
    if notice is not None:
        facts["published_on"] = notice.published_on
        facts["channels"] = channel_labels(notice.channels)
        if ballot.opened_at is not None:
            opened_on = timezone.localdate(ballot.opened_at)
            facts["days_ahead"] = days_between(notice.published_on, opened_on)
    if requirement is not None:
        facts["required_days"] = requirement.days
        facts["law"] = requirement.law_zh
        facts["needs_legal_review"] = requirement.needs_legal_review
        if notice is not None:
            facts["earliest_opening"] = earliest_opening(
                notice.published_on, requirement.days
            )
    return facts


def part_labels(part_ids) -> dict[int, str]:
    """part id -> "3栋2单元501室" (the building, entrance and number)."""
    parts = ExclusivePart.objects.filter(pk__in=list(part_ids)).select_related(
        "building", "entrance"
    )
    return {
        part.pk: unit_label(
            part.building.number,
            part.entrance.number if part.entrance_id else "",
            part.number,
        )
        for part in parts
    }


def confirmed_zero_parts(ballot: Ballot) -> set[int]:
    return set(
        ZeroAreaConfirmation.objects.filter(ballot=ballot).values_list(
            "part_id", flat=True
        )
    )


def area_missing_in(roll: RollSnapshot) -> tuple[int, ...]:
    return missing_area_parts((p.code, p.subject) for p in roll.problems)


def blocking_parts(ballot: Ballot, roll: RollSnapshot) -> tuple[int, ...]:
    """Parts of this roll without an area that nobody confirmed as zero."""
    return parts_blocking_opening(
        area_missing_in(roll),
        confirmed_zero_parts(ballot),
        weighted_by_area=ballot.weighted_by_area,
    )


def missing_area_context(ballot: Ballot) -> dict | None:
    """For a draft area-weighted ballot's manage page: the parts without an area
    (as the roll would be taken today), each confirmed as zero or still blocking."""
    if ballot.status != Ballot.Status.DRAFT or not ballot.weighted_by_area:
        return None
    try:
        roll = opening_roll(ballot, timezone.localdate())
    except ValueError:  # RollScopeError: opening says so itself
        return None
    missing = area_missing_in(roll)
    if not missing:
        return None
    confirmed = confirmed_zero_parts(ballot)
    labels = part_labels(missing)
    return {
        "parts": [
            {
                "id": pk,
                "label": labels.get(pk, str(pk)),
                "confirmed": pk in confirmed,
            }
            for pk in missing
        ],
        "blocking": [pk for pk in missing if pk not in confirmed],
    }


ROLL_PROBLEM_LABELS = {
    "birth_date_missing": _("未登记出生日期"),
    "birth_date_conflict": _("出生日期记录不一致"),
    "no_household_representative": _("该户没有登记户代表"),
    "several_household_representatives": _("该户登记了多名户代表"),
    "representative_without_household": _("户代表没有所属的户"),
    "representative_of_several_households": _("一人担任多户的户代表"),
    "representative_under_18": _("户代表未满十八周岁，不能代表本户表决"),
    "representative_birth_date_missing": _("户代表未登记出生日期，不能代表本户表决"),
    "probationary_and_full_member": _("同时登记为预备党员和正式党员"),
    "area_missing": _("专有部分没有登记面积"),
    "part_without_owner": _("专有部分没有登记业主"),
    "co_owner_not_nominated": _("共有人未推选表决人"),
    "several_nominated_voters": _("共有人推选了多名表决人"),
    "mixed_holding": _("既单独所有又与他人共有，需人工核对"),
}


def roll_problems(ballot: Ballot) -> list[dict]:
    """The roll's problems as staff read them: a plain label beside the subject."""
    return [
        {**problem, "label": ROLL_PROBLEM_LABELS.get(problem["code"], problem["code"])}
        for problem in ballot.roll_problems
    ]
