"""Matters and their procedure: open a matter, record a step that is not a meeting,
return a rejected matter for revision or end it, record a supervision opinion,
attach a file.

Every change asks `domain.procedure` first (a refusal is a 409 and nothing is
written), writes a line on the matter's timeline (`MatterStep`) and one in the audit
log, and marks the register pages stale (the community and party-branch pages list
matters: `register_cache.register_changed`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from consultation.ballots.services import voting_settings_of
from neighbourhoods import register_cache
from neighbourhoods.models import Building, Compound, Person
from yishi.audit import audit_record
from yishi.uploads import UploadRefused, upload_check

from .. import permissions
from ..domain.categories import Category, requires_procedure
from ..domain.procedure import (
    MEETING_STEPS,
    Config,
    End,
    Event,
    Outcome,
    RecordStep,
    ReturnForRevision,
    State,
    Status,
    Step,
    SupervisionOpinion,
    TransitionRefused,
    apply,
    initial,
)
from ..models import Attachment, Matter, MatterStep, Meeting
from .errors import RecordsConflict, RecordsError, forbidden, not_found

TITLE_MAX = 200
#: Recorded only by the publication of their disclosure entry (disclosure.py).
BOARD_STEPS = frozenset({Step.RESOLUTION_DISCLOSED, Step.RESULT_DISCLOSED})
TEXT_MAX = 20_000


def _invalid(message: str, code: str = "invalid") -> RecordsError:
    return RecordsError(message, code=code, status=422)


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def locked_matter(matter_id: int) -> Matter:
    matter = (
        Matter.objects.select_for_update()
        .select_related("community")
        .filter(pk=matter_id)
        .first()
    )
    if matter is None:
        raise not_found()
    return matter


def config_of(matter: Matter) -> Config:
    return Config(merge_first_steps=matter.merged_first_steps)


def state_of(matter: Matter) -> State:
    awaiting = Step(matter.awaiting_step) if matter.awaiting_step else None
    return State(Status(matter.status), awaiting)


def _kind_of(event: Event) -> str:
    if isinstance(event, RecordStep):
        return MatterStep.Kind.STEP
    if isinstance(event, SupervisionOpinion):
        return MatterStep.Kind.SUPERVISION
    if isinstance(event, ReturnForRevision):
        return MatterStep.Kind.REVISION
    return MatterStep.Kind.END


def check_step_order(matter: Matter, step: Step) -> None:
    """409 at once when `step` is not the one the matter waits for (before any
    meeting is read or judged)."""
    outcome = Outcome.PASSED if step in MEETING_STEPS else Outcome.DONE
    if not matter.follows_procedure:
        raise RecordsConflict(
            _("这个事项不经四议两公开程序。 The matter is not under the procedure."),
            code="no_procedure",
        )
    try:
        apply(state_of(matter), RecordStep(step, outcome), config_of(matter))
    except TransitionRefused as refused:
        raise RecordsConflict(
            f"{refused.message_zh} {refused.message_en}", code=refused.code
        ) from None


def apply_to_matter(
    matter: Matter,
    event: Event,
    actor,
    *,
    meeting: Meeting | None = None,
    text: str = "",
    supervisor: Person | None = None,
) -> MatterStep:
    """Apply `event` to a locked matter (409 when the procedure refuses) and write
    its timeline line. The caller audits."""
    if not matter.follows_procedure and not isinstance(event, SupervisionOpinion):
        raise RecordsConflict(
            _("这个事项不经四议两公开程序。 The matter is not under the procedure."),
            code="no_procedure",
        )
    try:
        after = apply(state_of(matter), event, config_of(matter))
    except TransitionRefused as refused:
        raise RecordsConflict(
            f"{refused.message_zh} {refused.message_en}", code=refused.code
        ) from None
    step = getattr(event, "step", None) or getattr(event, "to", None)
    line = MatterStep.objects.create(
        matter=matter,
        kind=_kind_of(event),
        step=step or (matter.awaiting_step if isinstance(event, End) else ""),
        outcome=getattr(event, "outcome", ""),
        meeting=meeting,
        text=text,
        supervisor=supervisor,
        recorded_by=_user(actor),
    )
    if after != state_of(matter):
        matter.status = after.status
        matter.awaiting_step = after.awaiting or ""
        matter.save(update_fields=["status", "awaiting_step", "updated_at"])
    register_cache.register_changed()
    return line


def _check_text(title: str, description: str) -> tuple[str, str]:
    title, description = (title or "").strip(), (description or "").strip()
    if not title:
        raise _invalid(_("请填写标题。 A title is required."))
    if len(title) > TITLE_MAX or len(description) > TEXT_MAX:
        raise _invalid(_("标题或说明过长。 The title or text is too long."), "too_long")
    return title, description


def _scope_places(community, scope, compound_id, building_id):
    if scope == Matter.Scope.COMPOUND:
        compound = Compound.objects.filter(pk=compound_id, communities=community)
        if not compound.exists():
            raise _invalid(
                _("请选择本社区的小区。 Choose a compound of this community.")
            )
        return compound.first(), None
    if scope == Matter.Scope.BUILDING:
        building = Building.objects.filter(pk=building_id, community=community).first()
        if building is None:
            raise _invalid(
                _("请选择本社区的楼栋。 Choose a building of this community.")
            )
        return building.compound, building
    if scope != Matter.Scope.COMMUNITY:
        raise _invalid(_("范围不正确。 Unknown scope."))
    return None, None


@transaction.atomic
def matter_create(
    *,
    community,
    actor,
    title: str,
    description: str = "",
    source: str,
    category: str,
    scope: str = Matter.Scope.COMMUNITY,
    compound_id: int | None = None,
    building_id: int | None = None,
    follow_procedure: bool = False,
) -> Matter:
    """Open a matter. It goes through 四议两公开 when the community has switched the
    procedure on and its category is on the community's list, or when staff ask."""
    if not permissions.can_manage_matters(actor, community):
        raise forbidden()
    title, description = _check_text(title, description)
    if source not in Matter.Source.values or category not in set(Category):
        raise _invalid(_("来源或类别不正确。 Unknown source or category."))
    compound, building = _scope_places(community, scope, compound_id, building_id)
    settings = voting_settings_of(community)
    required = requires_procedure(
        category, enabled=settings.siyi_enabled, setting=settings.siyi_categories
    )
    if follow_procedure and not settings.siyi_enabled:
        raise RecordsConflict(
            _(
                "本社区未启用四议两公开程序。 The community has not switched the "
                "procedure on."
            ),
            code="procedure_off",
        )
    config = Config(merge_first_steps=settings.siyi_merge_first_steps)
    follows = required or follow_procedure
    matter = Matter.objects.create(
        community=community,
        title=title,
        description=description,
        source=source,
        scope=scope,
        compound=compound,
        building=building,
        category=category,
        follows_procedure=follows,
        merged_first_steps=config.merge_first_steps,
        awaiting_step=initial(config).awaiting if follows else "",
        created_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="matter_create",
        target=matter,
        community_id=community.pk,
        detail={"category": category, "follows_procedure": follows},
    )
    register_cache.register_changed()
    return matter


def _managed(matter_id: int, actor) -> Matter:
    matter = locked_matter(matter_id)
    if not permissions.can_manage_matters(actor, matter.community):
        raise forbidden()
    return matter


def _audit(actor, action: str, matter: Matter, line: MatterStep) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=matter,
        community_id=matter.community_id,
        detail={"line": line.pk, "step": line.step, "outcome": line.outcome},
    )


@transaction.atomic
def matter_step_record(*, matter_id: int, actor, step: str, text: str) -> MatterStep:
    """Record the implementation (the step that is neither a meeting nor a
    disclosure)."""
    matter = _managed(matter_id, actor)
    try:
        parsed = Step(step)
    except ValueError:
        raise _invalid(_("步骤不正确。 Unknown step.")) from None
    if parsed in MEETING_STEPS:
        raise _invalid(
            _("这一步骤须记录会议。 This step is recorded as a meeting."),
            "needs_meeting",
        )
    if parsed in BOARD_STEPS:
        raise RecordsConflict(
            _(
                "公开这一步在居务公开栏的公开事项发布时自动记录，请使用“公开”按钮。"
                " This step is recorded when its disclosure entry is published."
            ),
            code="disclosed_by_board",
        )
    _title, text = _check_text("-", text)
    if not text:
        raise _invalid(_("请填写内容。 Please describe what was done."))
    line = apply_to_matter(matter, RecordStep(parsed, Outcome.DONE), actor, text=text)
    _audit(actor, "matter_step_record", matter, line)
    return line


@transaction.atomic
def matter_revise(*, matter_id: int, actor, to_step: str, text: str) -> MatterStep:
    """A rejected matter returns, revised, to step 1 or 2."""
    matter = _managed(matter_id, actor)
    try:
        target = Step(to_step)
    except ValueError:
        raise _invalid(_("步骤不正确。 Unknown step.")) from None
    _title, text = _check_text("-", text)
    line = apply_to_matter(matter, ReturnForRevision(target), actor, text=text)
    _audit(actor, "matter_revise", matter, line)
    return line


@transaction.atomic
def matter_end(*, matter_id: int, actor, text: str) -> MatterStep:
    """A rejected matter ends."""
    matter = _managed(matter_id, actor)
    _title, text = _check_text("-", text)
    line = apply_to_matter(matter, End(), actor, text=text)
    _audit(actor, "matter_end", matter, line)
    return line


def _supervisor(matter: Matter, actor, supervisor_id: int | None) -> Person:
    person = permissions.person_of(actor)
    if permissions.is_supervisor(person, matter.community):
        return person
    if not permissions.can_manage_matters(actor, matter.community):
        raise forbidden(
            _(
                "只有居务监督委员会成员可以记录监督意见。 Only a member of the "
                "supervisory committee records an opinion."
            )
        )
    named = Person.objects.filter(pk=supervisor_id).first() if supervisor_id else None
    if not permissions.is_supervisor(named, matter.community):
        raise _invalid(
            _(
                "请选择本社区居务监督委员会的成员。 Name a member of the community's "
                "supervisory committee."
            ),
            "not_a_supervisor",
        )
    return named


@transaction.atomic
def supervision_opinion_record(
    *, matter_id: int, actor, text: str, supervisor_id: int | None = None
) -> MatterStep:
    """The supervisory committee's opinion, at any step; it never moves the matter."""
    matter = locked_matter(matter_id)
    supervisor = _supervisor(matter, actor, supervisor_id)
    _title, text = _check_text("-", text)
    if not text:
        raise _invalid(_("请填写监督意见。 The opinion is empty."))
    line = apply_to_matter(
        matter, SupervisionOpinion(), actor, text=text, supervisor=supervisor
    )
    _audit(actor, "supervision_opinion_record", matter, line)
    return line


@transaction.atomic
def attachment_add(
    *, matter_id: int, actor, title: str, file, meeting_id: int | None = None
) -> Attachment:
    """A checked private file on the matter (or one of its meetings)."""
    try:
        checked = upload_check(file)
    except UploadRefused as error:
        raise RecordsError(
            error.message, code=error.code, status=error.status
        ) from None
    matter = _managed(matter_id, actor)
    title, _text = _check_text(title, "")
    if checked is None:
        raise _invalid(_("请选择文件。 Choose a file."))
    meeting = None
    if meeting_id is not None:
        meeting = Meeting.objects.filter(pk=meeting_id, matter=matter).first()
        if meeting is None:
            raise _invalid(_("这次会议不属于本事项。 Not a meeting of this matter."))
    attachment = Attachment.objects.create(
        matter=matter,
        meeting=meeting,
        title=title,
        file=checked,
        uploaded_by=_user(actor),
    )
    audit_record(
        actor=actor,
        action="attachment_add",
        target=attachment,
        community_id=matter.community_id,
    )
    return attachment
