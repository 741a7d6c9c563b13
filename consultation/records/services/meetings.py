"""Recording a step's meeting: members expected and present, the vote, the rule.

`meeting_record` checks, before anything is written: the step is the one the matter
waits for (`domain.procedure`), the meeting is of a kind that may hold it, its body
belongs to the community, those present are members, and the counts are possible;
then judges the vote — a recorded show of hands, or a published ballot of the same
community — by the rule of that meeting (`domain.meetings`, the community's setting
applied), and records the outcome. A missed quorum is recorded as such and leaves
the matter waiting at the same step. Members present confirm (sign) on their own
account (`attendance_confirm`), or staff upload a scanned sign-in sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.ballots.domain.rules import RuleError, customise, rule_for
from consultation.ballots.models import Ballot
from consultation.ballots.services import BallotError, voting_settings_of
from consultation.ballots.services.community_settings import overrides_for
from neighbourhoods.models import Body
from neighbourhoods.rolls.domain import RollBasis
from neighbourhoods.rolls.domain.snapshot import RESIDENT_BASES
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from neighbourhoods.rolls.selectors import roll_snapshot
from yishi.audit import audit_record
from yishi.uploads import UploadRefused, upload_check

from .. import permissions
from ..domain.meetings import (
    BODY_KINDS,
    RULE_FAMILY,
    STEP_MEETINGS,
    Counts,
    InvalidCounts,
    MeetingKind,
    judge,
    meeting_time_problem,
    outcome_of,
)
from ..domain.procedure import Outcome, RecordStep, Step
from ..models import Meeting, MeetingAttendance
from ..selectors.members import expected_members
from .errors import RecordsConflict, RecordsError, forbidden, not_found
from .matters import apply_to_matter, check_step_order, locked_matter

K = Body.Kind


@dataclass(frozen=True)
class MeetingInput:
    """What staff record for a step's meeting (a form or JSON gives it)."""

    step: str
    kind: str
    held_at: dt.datetime
    place: str
    text: str
    vote_method: str
    body_id: int | None = None
    co_body_id: int | None = None
    present_ids: tuple[int, ...] = ()
    present_count: int | None = None  # a residents' meeting: counted, not named
    constituency_basis: str = RollBasis.HOUSEHOLD_REPRESENTATIVES.value
    yes: int = 0
    no: int = 0
    abstain: int = 0
    ballot_id: int | None = None
    dissent: str = ""
    sign_in_sheet: object = None


@dataclass(frozen=True)
class Expected:
    body: Body | None
    co_body: Body | None
    person_ids: tuple[int, ...] | None  # None: a residents' meeting, counted
    count: int


def _invalid(message: str, code: str = "invalid") -> RecordsError:
    return RecordsError(message, code=code, status=422)


def _body(community, body_id, kinds) -> Body | None:
    if not kinds:
        return None
    body = Body.objects.filter(pk=body_id, community=community, kind__in=kinds).first()
    if body is None:
        names = "、".join(str(K(kind).label) for kind in kinds)
        raise _invalid(
            _(
                "请选择本社区的%(names)s。 Choose a body of this community of the "
                "right kind."
            )
            % {"names": names},
            "wrong_body",
        )
    return body


def _expected(community, kind: MeetingKind, data: MeetingInput, day) -> Expected:
    main_kinds, co_kinds = BODY_KINDS[kind]
    body = _body(community, data.body_id, main_kinds)
    co_body = _body(community, data.co_body_id, co_kinds)
    if kind is MeetingKind.RESIDENTS_MEETING:
        if data.constituency_basis not in {b.value for b in RESIDENT_BASES}:
            raise _invalid(_("居民会议的组成方式不正确。 Unknown constituency."))
        roll = roll_snapshot(
            scope=RollScope(ScopeKind.COMMUNITY, community.pk),
            basis=RollBasis(data.constituency_basis),
            as_of=day,
        )
        return Expected(None, None, None, roll.head_count)
    ids = expected_members(kind, [b for b in (body, co_body) if b], on=day)
    return Expected(body, co_body, tuple(ids), len(ids))


def meeting_rule(kind: MeetingKind, community, day: dt.date):
    """The rule judging this kind of meeting on `day`, the community's setting
    applied (checked again against the law's floors)."""
    family = RULE_FAMILY[kind]
    try:
        rule = rule_for(family, day)
        changes = overrides_for(voting_settings_of(community).rule_overrides, family)
        return (customise(rule, changes) if changes else rule), changes
    except (RuleError, BallotError) as error:
        raise _invalid(str(error), "rule") from None


def _show_of_hands(community, kind, data: MeetingInput, expected: Expected, day):
    if expected.person_ids is None:
        present = data.present_count if data.present_count is not None else -1
    else:
        stray = set(data.present_ids) - set(expected.person_ids)
        if stray:
            raise _invalid(
                _(
                    "出席名单中有人不是本组织的成员。 Someone marked present is not a "
                    "member of the body."
                ),
                "not_a_member",
            )
        present = len(set(data.present_ids))
    rule, changes = meeting_rule(kind, community, day)
    counts = Counts(expected.count, present, data.yes, data.no, data.abstain)
    try:
        evaluation = judge(rule, counts)
    except InvalidCounts as error:
        raise _invalid(str(error), "counts") from None
    return counts, evaluation.as_dict(), outcome_of(evaluation), rule.id, changes


def _ballot_vote(community, kind: MeetingKind, ballot_id):
    ballot = (
        Ballot.objects.filter(pk=ballot_id, community=community)
        .select_related("published_tally")
        .first()
    )
    if ballot is None:
        raise _invalid(_("找不到本社区的这项投票。 No such ballot in this community."))
    if ballot.status != Ballot.Status.PUBLISHED:
        raise RecordsConflict(
            _("这项投票的结果尚未公布。 The ballot's result is not published yet."),
            code="ballot_not_published",
        )
    if Meeting.objects.filter(ballot=ballot).exists():
        raise RecordsConflict(
            _("这项投票已用于另一次会议。 The ballot is already a meeting's vote."),
            code="ballot_used",
        )
    decision = ballot.published_tally.result.get("decision") or {}
    if decision.get("family") != RULE_FAMILY[kind]:
        raise _invalid(
            _(
                "这项投票适用的表决规则与本会议的规则不同。 The ballot was judged by "
                "another rule than this meeting's."
            ),
            "wrong_rule",
        )
    values = decision["values"]
    whole = "constituency" if "constituency" in values else "members"
    counts = Counts(values[whole], values["present"], values["yes"])
    if not decision["quorum_met"]:
        outcome = Outcome.QUORUM_MISSED
    else:
        outcome = Outcome.PASSED if decision["passed"] else Outcome.REJECTED
    return ballot, counts, decision, outcome


def _parse(data: MeetingInput) -> tuple[Step, MeetingKind]:
    try:
        step, kind = Step(data.step), MeetingKind(data.kind)
    except ValueError:
        raise _invalid(
            _("步骤或会议类型不正确。 Unknown step or meeting kind.")
        ) from None
    if kind not in STEP_MEETINGS.get(step, ()):
        raise _invalid(
            _("这一步骤不能由这种会议进行。 This meeting cannot hold this step."),
            "wrong_meeting",
        )
    if data.held_at > timezone.now():
        raise _invalid(_("会议时间不能晚于现在。 The meeting cannot be in the future."))
    if problem := meeting_time_problem(data.held_at):
        raise _invalid(problem)
    if not data.place.strip() or not data.text.strip():
        raise _invalid(_("请填写地点和审议内容。 Place and text are required."))
    return step, kind


def _vote(matter, kind, data: MeetingInput, expected: Expected, day):
    if data.vote_method == Meeting.VoteMethod.BALLOT:
        ballot, counts, decision, outcome = _ballot_vote(
            matter.community, kind, data.ballot_id
        )
        return ballot, counts, decision, outcome, decision.get("rule", ""), {}
    if data.vote_method != Meeting.VoteMethod.SHOW_OF_HANDS:
        raise _invalid(_("表决方式不正确。 Unknown way of voting."))
    counts, decision, outcome, rule_id, changes = _show_of_hands(
        matter.community, kind, data, expected, day
    )
    return None, counts, decision, outcome, rule_id, changes


def _check_sheet(file):
    try:
        return upload_check(file)
    except UploadRefused as error:
        raise RecordsError(
            error.message, code=error.code, status=error.status
        ) from None


@transaction.atomic
def meeting_record(*, matter_id: int, actor, data: MeetingInput) -> Meeting:
    """Record a step held as a meeting; refused (nothing written) out of order."""
    sheet = _check_sheet(data.sign_in_sheet)
    matter = locked_matter(matter_id)
    if not permissions.can_manage_matters(actor, matter.community):
        raise forbidden()
    step, kind = _parse(data)
    check_step_order(matter, step)
    day = timezone.localdate(data.held_at)
    expected = _expected(matter.community, kind, data, day)
    ballot, counts, decision, outcome, rule_id, changes = _vote(
        matter, kind, data, expected, day
    )
    meeting = Meeting.objects.create(
        community=matter.community,
        matter=matter,
        kind=kind,
        body=expected.body,
        co_body=expected.co_body,
        held_at=data.held_at,
        place=data.place.strip(),
        text=data.text.strip(),
        rule_id=rule_id,
        rule_overrides=changes,
        expected_count=counts.expected,
        present_count=counts.present,
        vote_method=data.vote_method,
        ballot=ballot,
        yes_count=counts.yes,
        no_count=counts.no,
        abstain_count=counts.abstain,
        dissent=data.dissent.strip(),
        outcome=outcome,
        evaluation=decision,
        sign_in_sheet=sheet or "",
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    apply_to_matter(matter, RecordStep(step, outcome), actor, meeting=meeting)
    present = set(data.present_ids)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, person_id=pid, present=pid in present)
        for pid in expected.person_ids or ()
    )
    audit_record(
        actor=actor,
        action="meeting_record",
        target=meeting,
        community_id=matter.community_id,
        detail={"matter": matter.pk, "step": step, "outcome": outcome},
    )
    return meeting


@transaction.atomic
def attendance_confirm(*, meeting_id: int, actor) -> MeetingAttendance:
    """A member present confirms the record on their own account (their signature)."""
    person = permissions.person_of(actor)
    row = (
        MeetingAttendance.objects.select_for_update()
        .filter(meeting_id=meeting_id, person=person, present=True)
        .first()
        if person is not None
        else None
    )
    if row is None:
        if not Meeting.objects.filter(pk=meeting_id).exists():
            raise not_found()
        raise forbidden(
            _(
                "只有出席本次会议的成员可以本人确认签名。 Only a member present at the "
                "meeting can sign it."
            )
        )
    if row.confirmed_at is None:
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at"])
        audit_record(
            actor=actor,
            action="attendance_confirm",
            target=row.meeting,
            community_id=row.meeting.community_id,
        )
    return row


@transaction.atomic
def sign_in_sheet_upload(*, meeting_id: int, actor, file) -> Meeting:
    """Staff attach the scanned sign-in sheet (signatures on paper)."""
    checked = _check_sheet(file)
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise not_found()
    if not permissions.can_manage_matters(actor, meeting.community):
        raise forbidden()
    if checked is None:
        raise _invalid(_("请选择文件。 Choose a file."))
    if meeting.sign_in_sheet:
        raise RecordsConflict(
            _("签到表已上传，不能替换。 The sign-in sheet is already uploaded."),
            code="sheet_exists",
        )
    meeting.sign_in_sheet = checked
    meeting.save(update_fields=["sign_in_sheet"])
    audit_record(
        actor=actor,
        action="sign_in_sheet_upload",
        target=meeting,
        community_id=meeting.community_id,
    )
    return meeting


@dataclass(frozen=True)
class MinutesInput:
    """A meeting held with a live room, as its confirmed minutes record it."""

    text: str
    expected_ids: tuple[int, ...]
    present_ids: tuple[int, ...]
    yes: int = 0
    no: int = 0
    abstain: int = 0
    # A residents' meeting or owners' assembly seated from a roll: the roll's heads
    # (households, owners) expected and present, which the people listed in
    # `expected_ids` / `present_ids` need not number.
    heads: tuple[int, int] | None = None

    def numbers(self) -> tuple[int, int]:
        """(expected, present) as the meeting counts them."""
        if self.heads is not None:
            return self.heads
        return len(self.expected_ids), len(self.present_ids)


def _minutes_step(meeting: Meeting, actor, data: MinutesInput):
    """The step the meeting's matter waits for, judged on the minutes' counts, or
    None when the meeting holds no step (a council's or a consultation's)."""
    kind = MeetingKind(meeting.kind)
    if meeting.matter_id is None or kind not in RULE_FAMILY:
        return None
    matter = locked_matter(meeting.matter_id)
    step = Step(matter.awaiting_step) if matter.awaiting_step else None
    if step is None or kind not in STEP_MEETINGS.get(step, ()):
        return None
    check_step_order(matter, step)
    rule, changes = meeting_rule(
        kind, matter.community, timezone.localdate(meeting.held_at)
    )
    counts = Counts(*data.numbers(), data.yes, data.no, data.abstain)
    try:
        evaluation = judge(rule, counts)
    except InvalidCounts as error:
        raise _invalid(str(error), "counts") from None
    return matter, step, rule.id, changes, evaluation


@transaction.atomic
def meeting_minutes_record(*, meeting_id: int, actor, data: MinutesInput) -> Meeting:
    """Confirmed minutes of a meeting held with a live room fill in its record
    (text, expected and present members); when the meeting holds the step its
    matter waits for, the show of hands is judged by the step's rule and the
    minutes become that step's record."""
    meeting = Meeting.objects.select_for_update().filter(pk=meeting_id).first()
    if meeting is None:
        raise not_found()
    person = permissions.person_of(actor)
    member = person is not None and person.pk in data.expected_ids
    if actor is not None and not (
        member or permissions.can_manage_matters(actor, meeting.community)
    ):
        raise forbidden()
    meeting.text = data.text
    meeting.expected_count, meeting.present_count = data.numbers()
    meeting.outcome = Outcome.DONE
    judged = _minutes_step(meeting, actor, data)
    if judged is not None:
        matter, step, rule_id, changes, evaluation = judged
        meeting.vote_method = Meeting.VoteMethod.SHOW_OF_HANDS
        meeting.rule_id, meeting.rule_overrides = rule_id, changes
        meeting.yes_count, meeting.no_count = data.yes, data.no
        meeting.abstain_count = data.abstain
        meeting.evaluation = evaluation.as_dict()
        meeting.outcome = outcome_of(evaluation)
    meeting.save()
    if judged is not None:
        apply_to_matter(
            matter, RecordStep(step, meeting.outcome), actor, meeting=meeting
        )
    present = set(data.present_ids)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=meeting, person_id=pid, present=pid in present)
        for pid in data.expected_ids
    )
    audit_record(
        actor=actor,
        action="meeting_minutes_record",
        target=meeting,
        community_id=meeting.community_id,
        detail={"step": judged[1] if judged else "", "outcome": meeting.outcome},
    )
    return meeting


__all__ = [
    "MeetingInput",
    "MinutesInput",
    "attendance_confirm",
    "meeting_minutes_record",
    "meeting_record",
    "meeting_rule",
    "sign_in_sheet_upload",
]
