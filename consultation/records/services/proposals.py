"""Residents' proposals (居民提议): propose, support, withdraw, paper signatures,
a group's act, and the committee putting a met proposal on its agenda.

One support per person (the database's unique constraint decides a race); a
support is withdrawn only while the threshold is not yet met. When a support makes
the threshold met, the day is stored (a fact of that moment); the due date and
whether it is overdue are computed on read (`selectors.proposals`).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from neighbourhoods import register_cache
from neighbourhoods.models import Compound, Person, Residency, ResidentsGroup
from yishi.audit import audit_record

from .. import permissions
from ..models import Matter, ProposalGroupAct, ProposalSupport, ResidentProposal
from ..selectors.proposals import electorate, support_progress
from .errors import RecordsConflict, RecordsError, forbidden, not_found
from .matters import TEXT_MAX, TITLE_MAX, matter_create

Status = ResidentProposal.Status


def _invalid(message: str, code: str = "invalid") -> RecordsError:
    return RecordsError(message, code=code, status=422)


def _locked(proposal_id: int) -> ResidentProposal:
    found = (
        ResidentProposal.objects.select_for_update()
        .select_related("community")
        .filter(pk=proposal_id)
        .first()
    )
    if found is None:
        raise not_found()
    return found


def _not_eligible() -> RecordsError:
    return RecordsError(
        _(
            "只有本社区年满十八周岁的居民（业主大会临时会议为本小区业主）可以支持这项"
            "提议。 Only adult residents of the community (owners of the compound, "
            "for an owners' assembly) may support this proposal."
        ),
        code="not_eligible",
        status=403,
    )


def _after_support(proposal: ResidentProposal, actor) -> None:
    """Store the day the threshold is first met."""
    found, _electorate = support_progress(proposal)
    if found.met and proposal.status == Status.GATHERING:
        proposal.status = Status.MET
        proposal.threshold_met_on = timezone.localdate()
        proposal.save(update_fields=["status", "threshold_met_on"])
        audit_record(
            actor=actor,
            action="proposal_threshold_met",
            target=proposal,
            community_id=proposal.community_id,
        )
        register_cache.register_changed()


def _insert(proposal, person_id: int, **fields) -> ProposalSupport:
    try:
        with transaction.atomic():
            return ProposalSupport.objects.create(
                proposal=proposal, person_id=person_id, **fields
            )
    except IntegrityError:
        raise RecordsConflict(
            _(
                "已支持过这项提议，每人只能支持一次。 Already supported: one support "
                "per person."
            ),
            code="already_supported",
        ) from None


@transaction.atomic
def proposal_create(
    *,
    community,
    actor,
    title: str,
    description: str,
    addressed_to: str = ResidentProposal.AddressedTo.RESIDENTS_MEETING,
    compound_id: int | None = None,
) -> ResidentProposal:
    """A resident proposes; their own support is the first."""
    person = permissions.person_of(actor)
    if actor is not None and person is None:
        raise forbidden(
            _("请先将账号与登记信息关联。 Link your account to the register first.")
        )
    title, description = (title or "").strip(), (description or "").strip()
    if not title or not description:
        raise _invalid(_("请填写标题和说明。 Title and text are required."))
    if len(title) > TITLE_MAX or len(description) > TEXT_MAX:
        raise _invalid(_("标题或说明过长。 The title or text is too long."), "too_long")
    if addressed_to not in ResidentProposal.AddressedTo.values:
        raise _invalid(_("提请对象不正确。 Unknown body addressed."))
    compound = None
    if addressed_to == ResidentProposal.AddressedTo.OWNERS_EXTRAORDINARY:
        compound = Compound.objects.filter(
            pk=compound_id, communities=community
        ).first()
        if compound is None:
            raise _invalid(
                _("请选择本社区的小区。 Choose a compound of this community.")
            )
    proposal = ResidentProposal.objects.create(
        community=community,
        compound=compound,
        addressed_to=addressed_to,
        title=title,
        description=description,
        proposer=person,
    )
    if person is not None:
        if not electorate(proposal, timezone.localdate()).eligible(person.pk):
            raise _not_eligible()
        _insert(proposal, person.pk, channel=ProposalSupport.Channel.ONLINE)
        _after_support(proposal, actor)
    audit_record(
        actor=actor,
        action="proposal_create",
        target=proposal,
        community_id=community.pk,
    )
    return proposal


def _open_for_support(proposal: ResidentProposal) -> None:
    if proposal.status == Status.ON_AGENDA:
        raise RecordsConflict(
            _("这项提议已列入议程，不再征集支持。 The proposal is on the agenda."),
            code="on_agenda",
        )


@transaction.atomic
def proposal_support(*, proposal_id: int, actor) -> ProposalSupport:
    """A resident supports on their own account (one support per person)."""
    proposal = _locked(proposal_id)
    person = permissions.person_of(actor)
    if person is None:
        raise forbidden(
            _("请先将账号与登记信息关联。 Link your account to the register first.")
        )
    _open_for_support(proposal)
    if not electorate(proposal, timezone.localdate()).eligible(person.pk):
        raise _not_eligible()
    support = _insert(proposal, person.pk, channel=ProposalSupport.Channel.ONLINE)
    _after_support(proposal, actor)
    return support


@transaction.atomic
def proposal_support_withdraw(*, proposal_id: int, actor) -> None:
    """Withdraw one's own support, while the threshold is not yet met."""
    proposal = _locked(proposal_id)
    person = permissions.person_of(actor)
    support = ProposalSupport.objects.filter(proposal=proposal, person=person).first()
    if person is None or support is None:
        raise RecordsError(
            _("您没有支持这项提议。 You have not supported this proposal."),
            code="no_support",
            status=404,
        )
    if proposal.status != Status.GATHERING:
        raise RecordsConflict(
            _(
                "提议已达到门槛，支持不能撤回。 The threshold is met: supports can no "
                "longer be withdrawn."
            ),
            code="threshold_met",
        )
    support.delete()
    audit_record(
        actor=actor,
        action="proposal_support_withdraw",
        target=proposal,
        community_id=proposal.community_id,
    )


@transaction.atomic
def proposal_paper_supports_record(
    *, proposal_id: int, actor, person_ids: list[int], sheet: str = ""
) -> int:
    """Staff enter a unit's paper signatures: all or nothing."""
    proposal = _locked(proposal_id)
    if not permissions.can_manage_matters(actor, proposal.community):
        raise forbidden()
    _open_for_support(proposal)
    ids = sorted(set(person_ids))
    if not ids or len(sheet) > 40:
        raise _invalid(_("请选择签名的居民。 Choose who signed."))
    found = electorate(proposal, timezone.localdate())
    if not all(found.eligible(pid) for pid in ids):
        raise _not_eligible()
    households = dict(
        Residency.objects.filter(
            person_id__in=ids, household__community=proposal.community
        ).values_list("person_id", "household_id")
    )
    for pid in ids:
        _insert(
            proposal,
            pid,
            channel=ProposalSupport.Channel.PAPER,
            household_id=households.get(pid),
            sheet=sheet.strip(),
            entered_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
    _after_support(proposal, actor)
    audit_record(
        actor=actor,
        action="proposal_paper_supports_record",
        target=proposal,
        community_id=proposal.community_id,
        detail={"count": len(ids), "sheet": sheet},
    )
    return len(ids)


def _group_leader(proposal, actor, group, leader_id) -> Person:
    """The group's representative records the act: themself, or staff naming one."""
    leaders = Person.objects.filter(
        residencies__household__residents_group=group,
        residencies__is_group_representative=True,
    )
    person = permissions.person_of(actor)
    if person is not None and leaders.filter(pk=person.pk).exists():
        return person
    if not permissions.can_manage_matters(actor, proposal.community):
        raise forbidden(
            _(
                "居民小组的提议由小组代表在小组会议后记录。 A group's proposal is "
                "recorded by its representative after a group meeting."
            )
        )
    leader = leaders.filter(pk=leader_id).first() if leader_id else None
    if leader is None:
        raise _invalid(_("请选择该居民小组的代表。 Name the group's representative."))
    return leader


@transaction.atomic
def proposal_group_act_record(
    *,
    proposal_id: int,
    actor,
    group_id: int,
    met_on: dt.date,
    note: str = "",
    leader_id: int | None = None,
) -> ProposalGroupAct:
    """A residents' group proposes as a group (one act per group)."""
    proposal = _locked(proposal_id)
    if proposal.addressed_to != ResidentProposal.AddressedTo.RESIDENTS_MEETING:
        raise _invalid(
            _(
                "只有提请居民会议的提议可由居民小组提出。 Groups propose "
                "residents' meetings only."
            )
        )
    _open_for_support(proposal)
    group = ResidentsGroup.objects.filter(
        pk=group_id, community=proposal.community
    ).first()
    if group is None:
        raise _invalid(_("请选择本社区的居民小组。 Choose a group of this community."))
    if met_on > timezone.localdate() or len(note) > 200:
        raise _invalid(
            _("小组会议日期不能晚于今天。 The group meeting is in the future.")
        )
    leader = _group_leader(proposal, actor, group, leader_id)
    if ProposalGroupAct.objects.filter(proposal=proposal, group=group).exists():
        raise RecordsConflict(
            _("该居民小组已提议过。 This group has already proposed."),
            code="already_supported",
        )
    act = ProposalGroupAct.objects.create(
        proposal=proposal,
        group=group,
        leader=leader,
        met_on=met_on,
        note=note.strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _after_support(proposal, actor)
    audit_record(
        actor=actor,
        action="proposal_group_act_record",
        target=proposal,
        community_id=proposal.community_id,
        detail={"group": group.pk},
    )
    return act


@transaction.atomic
def proposal_place_on_agenda(*, proposal_id: int, actor, category: str) -> Matter:
    """The committee puts a met proposal on its agenda: it becomes a matter."""
    proposal = _locked(proposal_id)
    if not permissions.can_manage_matters(actor, proposal.community):
        raise forbidden()
    if proposal.status != Status.MET:
        raise RecordsConflict(
            _(
                "只有已达到门槛、尚未列入议程的提议可以列入议程。 Only a proposal that "
                "met its threshold and is not on the agenda yet can be placed on it."
            ),
            code="wrong_state",
        )
    matter = matter_create(
        community=proposal.community,
        actor=actor,
        title=proposal.title,
        description=proposal.description,
        source=Matter.Source.RESIDENT_PROPOSAL,
        category=category,
        scope=Matter.Scope.COMPOUND if proposal.compound_id else Matter.Scope.COMMUNITY,
        compound_id=proposal.compound_id,
    )
    proposal.status = Status.ON_AGENDA
    proposal.matter = matter
    proposal.placed_on_agenda_on = timezone.localdate()
    proposal.save(update_fields=["status", "matter", "placed_on_agenda_on"])
    audit_record(
        actor=actor,
        action="proposal_place_on_agenda",
        target=proposal,
        community_id=proposal.community_id,
        detail={"matter": matter.pk},
    )
    return matter
