"""Adoption by a ballot of the right body and basis (through the ballots capability),
or, for a pact adopted on paper before the platform, by the ballots' official-result
path with its source document; the adoption disclosed on the board."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from consultation.ballots import services as ballots
from consultation.ballots.models import Ballot, PublishedTally
from consultation.ballots.services import BallotError
from consultation.records.domain.categories import Category, requires_procedure
from consultation.records.domain.procedure import Step
from consultation.records.models import Matter
from neighbourhoods.rolls.scopes import ScopeKind
from neighbourhoods.rolls.selectors import RollScope

from ..domain.kinds import Scope, adoption_of, basis_allowed, rule_for
from ..domain.lifecycle import Action, Facts, State
from ..models import PactVersion
from .common import audit, lock_version, move, today_of
from .disclosing import disclose
from .errors import PactError, invalid

SCOPE_KINDS = {
    Scope.COMMUNITY: ScopeKind.COMMUNITY,
    Scope.COMPOUND: ScopeKind.COMPOUND,
    Scope.BUILDING: ScopeKind.BUILDING,
}


def _scope(page) -> RollScope:
    scope = adoption_of(page.kind).scope
    target = {
        Scope.COMMUNITY: page.community_id,
        Scope.COMPOUND: page.compound_id,
        Scope.BUILDING: page.building_id,
    }[scope]
    return RollScope(SCOPE_KINDS[scope], target)


def _ballot_error(error: BallotError) -> PactError:
    return PactError(error.message, code=error.code, status=error.status)


def _create_ballot(version: PactVersion, basis: str, actor, **settings) -> Ballot:
    page = version.page
    if not basis_allowed(page.kind, basis):
        raise invalid(
            _(
                "该类公约不能由这一范围的表决人表决（%(body)s）。"
                " Wrong voters for this kind."
            )
            % {"body": adoption_of(page.kind).body_zh},
            "basis",
        )
    adoption = adoption_of(page.kind)
    try:
        return ballots.ballot_create(
            community=page.community,
            compound=page.compound,
            title=_("表决：%(title)s（第%(n)s版）")
            % {"title": page.title[:150], "n": version.number},
            kind="motion",
            options=None,
            basis=basis,
            scope=_scope(page),
            actor=actor,
            rule_id=rule_for(basis),
            description=_("%(body)s。依据：%(law)s。")
            % {"body": adoption.body_zh, "law": adoption.law_zh},
            **settings,
        )
    except BallotError as error:
        raise _ballot_error(error) from None


def _procedure_matter(version: PactVersion, matter_id: int | None):
    """Where the community has 四议两公开 on, a residents' pact is put to the vote
    through a matter of the procedure that has reached the residents' meeting's
    resolution (the party organisation's proposal, the two committees and the party
    members' review done; consultation.records). None where it is off."""
    page = version.page
    if page.kind != "residents_pact":
        return None
    settings = ballots.voting_settings_of(page.community)
    if not requires_procedure(
        Category.CHARTER_PACT,
        enabled=settings.siyi_enabled,
        setting=settings.siyi_categories,
    ):
        return None
    matter = Matter.objects.filter(
        pk=matter_id or 0, community_id=page.community_id, follows_procedure=True
    ).first()
    if matter is None or matter.awaiting_step != Step.RESIDENTS_RESOLUTION:
        raise PactError(
            _(
                "本社区启用了四议两公开：请填写已完成党组织提议、“两委”商议和党员审议的"
                "议题编号。 This community follows 四议两公开: give the matter that"
                " has reached the residents' resolution."
            ),
            code="procedure_required",
            status=409,
        )
    return matter


@transaction.atomic
def vote_open(
    *, version_id: int, basis: str, actor, matter_id: int | None = None
) -> PactVersion:
    """Put the reviewed version to the adopting body's vote (a new ballot).

    The ballot is opened at once when its rule needs no notice period; otherwise it
    stays a draft for staff to record the notice and open on the ballot's page.
    """
    version = lock_version(version_id, actor=actor)
    move(version, Action.OPEN_VOTE)
    version.matter = _procedure_matter(version, matter_id)
    ballot = _create_ballot(version, basis, actor)
    try:
        with transaction.atomic():
            ballots.ballot_open(ballot_id=ballot.pk, actor=actor)
    except BallotError:
        pass  # kept as a draft: the notice must come first (ballots' own rule)
    version.ballot, version.vote_basis = ballot, basis
    version.save(update_fields=["state", "ballot", "vote_basis", "matter"])
    audit(actor, "pact_vote_open", version, ballot=ballot.pk, basis=basis)
    return version


def _published(version: PactVersion) -> PublishedTally | None:
    if version.ballot_id is None:
        return None
    return PublishedTally.objects.filter(ballot_id=version.ballot_id).first()


def vote_passed(version: PactVersion) -> bool | None:
    published = _published(version)
    return None if published is None else bool(published.passed)


@transaction.atomic
def vote_record(
    *, version_id: int, actor, record_url: str = "", adopted_on=None
) -> PactVersion:
    """The ballot's published result decides: adopted (and disclosed) or rejected."""
    version = lock_version(version_id, actor=actor)
    passed = vote_passed(version)
    move(version, Action.RECORD_VOTE, Facts(vote_passed=passed))
    if version.state == State.ADOPTED:
        version.adopted_on = adopted_on or version.ballot.decision_date or today_of()
        version.adoption_entry = disclose(version, actor, "adoption", record_url)
    version.save()
    audit(actor, "pact_vote_record", version, passed=passed)
    return version


@transaction.atomic
def paper_adoption_record(
    *,
    version_id: int,
    basis: str,
    yes: int,
    no: int,
    abstain: int,
    roll_heads: int,
    source_document,
    adopted_on,
    notice_on,
    actor,
    record_url: str = "",
) -> PactVersion:
    """A pact adopted on paper (before the platform): the meeting's result recorded
    through the ballots' official-result path with its source document; `notice_on`
    is the day the meeting's notice was posted (on the notice board), as the paper
    record shows."""
    version = lock_version(version_id, actor=actor)
    move(version, Action.OPEN_VOTE)
    ballot = _create_ballot(version, basis, actor, consultative=True)
    try:
        ballots.notice_record(
            ballot_id=ballot.pk,
            channels=("notice_board",),
            actor=actor,
            published_on=notice_on,
        )
        ballots.ballot_open(ballot_id=ballot.pk, actor=actor)
        ballots.ballot_close(ballot_id=ballot.pk, actor=actor)
        options = list(ballot.options.order_by("position").values_list("pk", flat=True))
        ballots.official_result_record(
            ballot_id=ballot.pk,
            option_counts=dict(
                zip(options, ((yes, 0), (no, 0), (abstain, 0)), strict=True)
            ),
            roll_heads=roll_heads,
            roll_area=0,
            source_document=source_document,
            actor=actor,
        )
    except BallotError as error:
        raise _ballot_error(error) from None
    version.ballot, version.vote_basis = ballot, basis
    version.save(update_fields=["state", "ballot", "vote_basis"])
    return vote_record(
        version_id=version.pk, actor=actor, record_url=record_url, adopted_on=adopted_on
    )
