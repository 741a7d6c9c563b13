"""A consultation's steps, in order (``domain.machine``): create, confirm the topic
and participants, give notice, record the session (a records `Meeting`), the
opinion with its positions, the implementation, the published result; close or
withdraw."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultation.ballots.services import voting_settings_of
from consultation.records.domain.meetings import MeetingKind
from consultation.records.models import Matter, Meeting
from consultation.records.services.errors import forbidden
from yishi import deadlines
from yishi.deadlines.domain import DeadlineError, format_day

from .. import permissions
from ..domain.machine import Action
from ..domain.notice import MAX_NOTICE_DAYS, MIN_NOTICE_DAYS, notice_check
from ..domain.topics import FORM_LABELS_ZH, TOPIC_LABELS_ZH
from ..models import Consultation, Participant, Position
from .base import advance, audit, invalid, text_of


@dataclass(frozen=True)
class ParticipantInput:
    kind: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class PositionInput:
    stance: str
    held_by: str
    text: str


def notice_days_of(community) -> int:
    return voting_settings_of(community).consultation_notice_days


@transaction.atomic
def consultation_create(
    *, community, actor, title, source, category, form, description="", matter_id=None
) -> Consultation:
    if not permissions.can_manage(actor, community):
        raise forbidden()
    title = text_of(title, _("议题"), limit=200)
    if source not in Consultation.Source.values:
        raise invalid(_("来源不正确。 Unknown source."))
    if category not in TOPIC_LABELS_ZH:
        raise invalid(_("事项类别不正确。 Unknown category."))
    if form not in FORM_LABELS_ZH:
        raise invalid(_("协商形式不正确。 Unknown form."))
    matter = None
    if matter_id:
        matter = Matter.objects.filter(pk=matter_id, community=community).first()
        if matter is None:
            raise invalid(_("请选择本社区的议题。 Choose a matter of this community."))
    consultation = Consultation.objects.create(
        community=community,
        title=title,
        description=text_of(description, _("说明"), required=False),
        source=source,
        category=category,
        form=form,
        matter=matter,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit(actor, "consultation_create", consultation)
    return consultation


@transaction.atomic
def consultation_confirm(
    *, consultation_id, actor, participants: list[ParticipantInput]
) -> Consultation:
    """The topic confirmed and its participants decided (§6.1 step 1)."""
    consultation = advance(consultation_id, actor, Action.CONFIRM_TOPIC)
    rows, names = [], set()
    for given in participants:
        name = text_of(given.name, _("参与主体名称"), limit=100)
        if given.kind not in Participant.Kind.values:
            raise invalid(_("参与主体类型不正确。 Unknown participant kind."))
        if name in names:
            raise invalid(
                _("参与主体重复：%(name)s。 Duplicate participant.") % {"name": name}
            )
        names.add(name)
        role = text_of(given.role, _("身份"), required=False, limit=100)
        rows.append(Participant(kind=given.kind, name=name, role=role))
    if not rows:
        raise invalid(_("请至少确定一个参与主体。 Name at least one participant."))
    consultation.save()
    for row in rows:
        row.consultation = consultation
    Participant.objects.bulk_create(rows)
    audit(actor, "consultation_confirm", consultation, participants=len(rows))
    return consultation


def _earliest_refusal(check) -> Exception:
    day = format_day(check.earliest_session)
    return invalid(
        _(
            "协商会议须在通知期满后召开，最早为%(day)s。"
            " The session may be held on %(iso)s at the earliest."
        )
        % {"day": day, "iso": check.earliest_session.isoformat()},
        "notice_too_short",
    )


def _notice_check(notice_on: dt.date, days: int):
    try:
        return notice_check(notice_on, days, deadlines.calendar())
    except DeadlineError as error:
        raise invalid(str(error), "deadline") from None


@transaction.atomic
def consultation_notice(
    *, consultation_id, actor, notice_on, session_at, place, text
) -> Consultation:
    """Notice given to the participants, the session scheduled (§6.1 step 2): the
    session no earlier than the last day of the community's notice period."""
    consultation = advance(consultation_id, actor, Action.GIVE_NOTICE)
    today = timezone.localdate()
    if not isinstance(notice_on, dt.date) or notice_on > today:
        raise invalid(
            _("通知日期不能晚于今天。 The notice date cannot be in the future.")
        )
    if not isinstance(session_at, dt.datetime):
        raise invalid(_("请填写协商时间。 Give the session's time."))
    days = notice_days_of(consultation.community)
    if not MIN_NOTICE_DAYS <= days <= MAX_NOTICE_DAYS:
        raise invalid(_("本社区的协商通知天数设置无效。 Invalid notice setting."))
    check = _notice_check(notice_on, days)
    if not check.allows(timezone.localtime(session_at).date()):
        raise _earliest_refusal(check)
    consultation.notice_days = days
    consultation.notice_on = notice_on
    consultation.session_at = session_at
    consultation.session_place = text_of(place, _("协商地点"), limit=200)
    consultation.notice_text = text_of(text, _("通知内容"))
    consultation.save()
    audit(actor, "consultation_notice", consultation, notice_on=notice_on.isoformat())
    return consultation


@transaction.atomic
def consultation_session(
    *, consultation_id, actor, held_at, place, expected, present, text
) -> Consultation:
    """The session held: a records `Meeting` of kind 协商会议 (no vote, no rule)."""
    consultation = advance(consultation_id, actor, Action.HOLD_SESSION)
    if not isinstance(held_at, dt.datetime) or held_at > timezone.now():
        raise invalid(_("会议时间不能晚于现在。 The session cannot be in the future."))
    check = _notice_check(consultation.notice_on, consultation.notice_days)
    if not check.allows(timezone.localtime(held_at).date()):
        raise _earliest_refusal(check)
    counts = (expected, present)
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in counts):
        raise invalid(_("人数须为非负整数。 Counts must be whole numbers ≥ 0."))
    if present > expected or present == 0:
        raise invalid(
            _(
                "实到人数须在 1 至应到人数之间。"
                " Present must be 1 to the expected count."
            )
        )
    consultation.meeting = Meeting.objects.create(
        community=consultation.community,
        matter=consultation.matter,
        kind=MeetingKind.CONSULTATION.value,
        held_at=held_at,
        place=text_of(place, _("协商地点"), limit=200),
        text=text_of(text, _("协商内容")),
        rule_id="consultation",
        expected_count=expected,
        present_count=present,
        vote_method="",
        outcome="done",
        evaluation={},
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    consultation.save()
    audit(actor, "consultation_session", consultation, meeting=consultation.meeting.pk)
    return consultation


@transaction.atomic
def consultation_opinion(
    *, consultation_id, actor, opinion, positions: list[PositionInput], dissent=""
) -> Consultation:
    """The consultation opinion (§6.1 step 3) with its positions and dissent."""
    consultation = advance(consultation_id, actor, Action.FORM_OPINION)
    consultation.opinion = text_of(opinion, _("协商意见"))
    consultation.dissent = text_of(dissent, _("不同意见"), required=False)
    rows = []
    for given in positions:
        if given.stance not in Position.Stance.values:
            raise invalid(_("立场不正确。 Unknown stance."))
        rows.append(
            Position(
                consultation=consultation,
                stance=given.stance,
                held_by=text_of(given.held_by, _("持此意见者"), limit=300),
                text=text_of(given.text, _("意见")),
            )
        )
    if not rows:
        raise invalid(_("请至少记录一种意见。 Record at least one position."))
    consultation.save()
    Position.objects.bulk_create(rows)
    audit(actor, "consultation_opinion", consultation, positions=len(rows))
    return consultation


@transaction.atomic
def consultation_implement(*, consultation_id, actor, text) -> Consultation:
    consultation = advance(consultation_id, actor, Action.START_IMPLEMENTATION)
    consultation.implementation = text_of(text, _("落实安排"))
    consultation.save()
    audit(actor, "consultation_implement", consultation)
    return consultation


@transaction.atomic
def consultation_publish_result(*, consultation_id, actor, text) -> Consultation:
    """The implementation's result published (§6.1 step 4; 上海居委会条例第二十三条)."""
    consultation = advance(consultation_id, actor, Action.PUBLISH_RESULT)
    consultation.result = text_of(text, _("落实结果"))
    consultation.result_published_on = timezone.localdate()
    consultation.save()
    audit(actor, "consultation_publish_result", consultation)
    return consultation


@transaction.atomic
def consultation_close(*, consultation_id, actor) -> Consultation:
    consultation = advance(consultation_id, actor, Action.CLOSE)
    consultation.save()
    audit(actor, "consultation_close", consultation)
    return consultation


@transaction.atomic
def consultation_withdraw(*, consultation_id, actor, reason) -> Consultation:
    consultation = advance(consultation_id, actor, Action.WITHDRAW)
    consultation.withdrawn_reason = text_of(reason, _("撤回理由"))
    consultation.save()
    audit(actor, "consultation_withdraw", consultation)
    return consultation
