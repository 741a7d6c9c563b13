"""A ballot's life: drafted, opened (the roll snapshot taken for good), closed,
published (the tally frozen). Each step is done by staff who may manage the ballot
and leaves a line in the audit log.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods.permissions import can_change_register
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.scopes import ScopeKind
from neighbourhoods.rolls.selectors import RollScope, RollScopeError
from yishi.audit import audit_record

from ..domain.design import (
    BALLOT_RULE_INPUTS,
    BallotDesign,
    DesignProblem,
    DesignRefusal,
    design_refusal,
    option_roles,
)
from ..domain.rules import FAMILIES, RULES_BY_ID, NoRuleInForce, UnknownRule, lookup
from ..models import Ballot, BallotOption, RollEntry
from ..page_version import ballot_page_changed
from ..permissions import can_create_ballot
from ..selectors.opening import opening_roll
from .checks import announce, lock_managed_ballot
from .community_settings import overrides_for, voting_settings_of
from .errors import BallotError, BallotForbidden, BallotStateError
from .preparation import check_opening
from .secrecy import mix_papers


def _audit(actor, action: str, ballot: Ballot, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=ballot,
        community_id=ballot.community_id,
        detail=detail,
    )


def _design_message(refusal: DesignRefusal) -> str:
    messages = {
        DesignProblem.SECRET_WEIGHTED: _(
            "无记名投票不能按专有部分面积计权（面积会暴露投票人）；业主共同决定应记名表决。"
            " A secret ballot cannot be weighted by area: the area would identify"
            " the voter."
        ),
        DesignProblem.SECRET_LIVE: _(
            "无记名投票的结果只能在截止后公开。"
            " A secret ballot's results can only be shown after it closes."
        ),
        DesignProblem.RULE_NEEDS_OWNERS_AREA: _(
            "业主共同决定的规则须以业主为表决人并按面积计算。"
            " An owners' rule needs the owners' roll, weighted by area."
        ),
        DesignProblem.RULE_NEEDS_MOTION: _(
            "表决规则只适用于同意/反对/弃权式表决。"
            " A decision rule applies to yes/no/abstain motions only."
        ),
    }
    if refusal.problem in messages:
        return messages[refusal.problem]
    return _("投票设置相互矛盾：%(reason)s Inconsistent ballot settings.") % {
        "reason": refusal.detail
    }


def _rule_needs_area(rule_id: str) -> bool:
    if not rule_id:
        return False
    versions = FAMILIES.get(rule_id) or (RULES_BY_ID[rule_id],)
    return "total_area" in versions[0].input_names


def _check_rule_in_force(rule_id: str, closes_on: date) -> None:
    """Refuse (422) a rule unknown, or not in force on the expected closing date.

    A family picks its version by date; a rule id (one version) must be in force on
    the day voting is expected to close, when the decision is made (RULES.md §9.3).
    """
    if not rule_id:
        return
    try:
        rule = lookup(rule_id, closes_on)
    except UnknownRule:
        raise BallotError(
            _("未知的表决规则。 Unknown decision rule."),
            code="unknown_rule",
            status=422,
        ) from None
    except NoRuleInForce as error:
        raise BallotError(
            _(
                "表决规则在预计截止日 %(day)s 不适用：%(reason)s"
                " The rule is not in force on the expected closing date."
            )
            % {"day": closes_on.isoformat(), "reason": error},
            code="rule_not_in_force",
            status=422,
        ) from None
    if not set(rule.input_names) <= BALLOT_RULE_INPUTS:
        raise BallotError(
            _(
                "此表决规则所需数据无法由投票名册得出，请用决定计算器。"
                " This rule needs counts a ballot's roll cannot give; use the"
                " decision calculator."
            ),
            code="rule_not_for_ballots",
            status=422,
        )


def _refusal_to_create(actor, community, scope: RollScope) -> str:
    if scope.kind == ScopeKind.COMPOUND and can_change_register(actor, community):
        return _(
            "小区范围的投票（如业主表决）须由小区所在街道的工作人员，或小区所涉每个社区的"
            "工作人员发起和管理。 A ballot over a compound is convened by staff of its"
            " subdistrict, or by staff of every community the compound touches."
        )
    return _(
        "您无权在本社区或此范围发起投票。"
        " You may not create a ballot here or over this scope."
    )


def _check_lengths(title: str, labels: list[str]) -> None:
    """Refuse (422) what the columns cannot hold, on every database alike."""
    longest = Ballot._meta.get_field("title").max_length
    if len(title) > longest:
        raise BallotError(
            _("标题不能超过 %(n)d 个字。 The title may have at most %(n)d characters.")
            % {"n": longest},
            code="too_long",
            status=422,
        )
    longest = BallotOption._meta.get_field("label").max_length
    if any(len(label) > longest for label in labels):
        raise BallotError(
            _(
                "每个选项不能超过 %(n)d 个字。"
                " Each option may have at most %(n)d characters."
            )
            % {"n": longest},
            code="too_long",
            status=422,
        )


def _expected_close(closes_on: date | None, closes_at) -> date:
    if closes_on is not None:
        return closes_on
    return timezone.localdate(closes_at) if closes_at else timezone.localdate()


def _check_design(design: BallotDesign) -> None:
    """Refuse (422) a ballot that could not be counted, or could not stay secret."""
    refusal = design_refusal(design)
    if refusal is not None:
        raise BallotError(_design_message(refusal), code="bad_design", status=422)


@transaction.atomic
def ballot_create(
    *,
    community,
    title: str,
    kind: str,
    options: list[str] | None,
    basis: str,
    scope: RollScope,
    actor,
    weighted_by_area: bool | None = None,
    closes_on: date | None = None,
    **settings,
) -> Ballot:
    """A draft ballot with its options (a motion gets 同意 / 反对 / 弃权).

    `settings`: Ballot's fields. A rule id must be in force on `closes_on`, the day
    voting is expected to close (default: `closes_at`'s day, else today).
    """
    if actor is not None and not can_create_ballot(actor, community, scope):
        raise BallotForbidden(_refusal_to_create(actor, community, scope))
    _check_lengths(title, options or [])
    rule_id = settings.get("rule_id", "")
    _check_rule_in_force(rule_id, _expected_close(closes_on, settings.get("closes_at")))
    if weighted_by_area is None:
        weighted_by_area = basis == RollBasis.OWNERS
    ballot = Ballot(
        community=community,
        title=title,
        kind=kind,
        basis=basis,
        scope_kind=scope.kind,
        scope_id=scope.id,
        weighted_by_area=weighted_by_area,
        created_by=actor,
        **settings,
    )
    _check_design(
        BallotDesign(
            kind=kind,
            option_labels=options or [],
            owners_roll=basis == RollBasis.OWNERS,
            weighted_by_area=weighted_by_area,
            secret=ballot.is_secret,
            live_results=ballot.results_visibility == Ballot.ResultsVisibility.LIVE,
            rule_given=bool(rule_id),
            rule_needs_area=_rule_needs_area(rule_id),
            min_choices=ballot.min_choices,
            max_choices=ballot.max_choices,
            seats=ballot.seats,
        )
    )
    _apply_community_settings(ballot, consultative=settings.get("consultative", False))
    ballot.save()
    BallotOption.objects.bulk_create(
        BallotOption(ballot=ballot, position=i, label=label, role=role)
        for i, (label, role) in enumerate(option_roles(kind, options or []), start=1)
    )
    ballot_page_changed(ballot.pk)  # a number used before (rolled back) is new
    _audit(actor, "ballot_create", ballot, title=title, kind=kind, basis=basis)
    return ballot


def _apply_community_settings(ballot: Ballot, *, consultative: bool) -> None:
    voting = voting_settings_of(ballot.community)
    owners = ballot.basis == RollBasis.OWNERS
    ballot.consultative = consultative or (owners and voting.owners_votes_consultative)
    # Snapshots of the community's counting settings, never changed after creation.
    # Off an owners' roll the parking settings mean nothing: kept at their defaults.
    ballot.count_parking_area = owners and voting.count_parking_area
    ballot.count_parking_only_owners = (not owners) or voting.count_parking_only_owners
    ballot.concerns_parking = owners and ballot.concerns_parking
    ballot.blank_invalid_participate = voting.blank_invalid_participate
    ballot.silent_owners_follow_majority = (
        owners and voting.silent_owners_follow_majority
    )
    ballot.rule_overrides = overrides_for(voting.rule_overrides, ballot.rule_id)


@transaction.atomic
def ballot_open(
    *, ballot_id: int, actor, as_of: date | None = None, actor_checked: bool = False
) -> Ballot:
    """Take the roll snapshot (kept for good) and open the ballot.

    `actor_checked`: the caller has established the actor's right to open it (a
    live room's chair opening the ballot of its agenda, `consultation.rooms`); the
    ballot's own rules still apply and the audit names the actor.

    Refused (409, nothing written) before the notice period of the ballot's rule
    ends, and while an area-weighted roll holds a part without an area that staff
    have not confirmed as zero (`preparation.check_opening`).
    """
    ballot = lock_managed_ballot(ballot_id, actor=None if actor_checked else actor)
    if ballot.status != Ballot.Status.DRAFT:
        raise BallotStateError(_("只有草稿状态的投票可以开始。 Only a draft can open."))
    now = timezone.now()
    as_of = as_of or timezone.localdate(now)
    try:
        roll = opening_roll(ballot, as_of)
    except RollScopeError as error:
        raise BallotError(
            _("表决人范围与投票范围不匹配。 The roll basis does not fit the scope.")
        ) from error
    # The notice period and the parts without an area (409): nothing written yet.
    check_opening(ballot, roll, timezone.localdate(now))
    RollEntry.objects.bulk_create(
        (
            RollEntry(
                ballot=ballot,
                key=member.key,
                voter_id=member.voter_person_id,
                person_ids=list(member.person_ids),
                part_ids=list(member.part_ids),
                heads=member.heads,
                area=member.area if ballot.weighted_by_area else 0,
            )
            for member in roll.members
        ),
        batch_size=1000,
    )
    ballot.roll_as_of = as_of
    ballot.roll_heads = roll.head_count
    ballot.roll_area = roll.total_area if ballot.weighted_by_area else 0
    ballot.roll_problems = [
        {"code": p.code, "subject": p.subject, "detail": p.detail}
        for p in roll.problems
    ]
    ballot.status = Ballot.Status.OPEN
    ballot.opened_at = now
    ballot.save()
    ballot_page_changed(ballot.pk)
    _audit(actor, "ballot_open", ballot, roll_heads=roll.head_count)
    announce(ballot.pk)
    return ballot


@transaction.atomic
def ballot_close(*, ballot_id: int, actor, actor_checked: bool = False) -> Ballot:
    """Shut the ballot: waits for votes in flight, then refuses every later one.
    (`actor_checked` as for `ballot_open`.)

    The closing day (Asia/Shanghai) is the decision date: the rule in force that day
    judges the ballot (RULES.md §9.3), whenever it opened.
    """
    ballot = lock_managed_ballot(ballot_id, actor=None if actor_checked else actor)
    if ballot.status != Ballot.Status.OPEN:
        raise BallotStateError(
            _("只有进行中的投票可以截止。 Only an open ballot closes.")
        )
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_at = timezone.now()
    ballot.decision_date = timezone.localdate(ballot.closed_at)
    ballot.save(update_fields=["status", "closed_at", "decision_date"])
    ballot_page_changed(ballot.pk)
    if ballot.is_secret:
        mix_papers(ballot, everything=True)
    _audit(actor, "ballot_close", ballot)
    announce(ballot.pk)
    return ballot
