"""Admission (准入) requests through the domain's state machine, and the
community's "not admitted" marking of a task that came without admission."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.uploads import UploadRefused, upload_check

from .. import permissions
from ..domain import admission as machine
from ..domain.admission import Action, Actor
from ..models import AdmissionRequest, Authority, CommunityView, TaskRefusal
from .common import audit, local_day, next_number, text
from .errors import (
    DutyError,
    admission_message,
    conflict,
    forbidden,
    invalid,
    not_found,
)


def _problems_to_error(problems: list[str]) -> DutyError:
    return invalid(
        " ".join(admission_message(code) for code in problems), code=problems[0]
    )


@transaction.atomic
def admission_apply(
    *,
    department: Authority,
    actor,
    communities,
    title: str,
    reason: str,
    legal_basis: str,
    starts_on,
    ends_on=None,
    scope: str = "",
    funds_fen: int = 0,
    staff: int = 0,
    purchased_service: str = "",
    draft_agreement: str,
    now=None,
) -> AdmissionRequest:
    if not permissions.can_apply(actor, department):
        raise forbidden()
    communities = list(communities)
    application = machine.Application(
        legal_basis=legal_basis or "",
        funds_fen=funds_fen,
        staff=staff,
        purchased_service=purchased_service or "",
        starts_on=starts_on,
        ends_on=ends_on,
        communities=len(communities),
    )
    problems = application.problems()
    if problems:
        raise _problems_to_error(problems)
    moment = now or timezone.now()
    request = AdmissionRequest.objects.create(
        department=department,
        title=text(title, 200, _("事项")),
        reason=text(reason, 4000, _("理由")),
        legal_basis=text(legal_basis, 300, _("依据")),
        scope=text(scope, 300, _("范围"), required=False),
        starts_on=starts_on,
        ends_on=ends_on,
        funds_fen=funds_fen,
        staff=staff,
        purchased_service=text(purchased_service, 200, "", required=False),
        draft_agreement=text(draft_agreement, 20000, _("协议草案")),
        applied_at=moment,
        updated_at=moment,
    )
    request.communities.set(communities)
    audit(actor, "admission_apply", request, department=department.name)
    return request


def _locked(request_id: int) -> AdmissionRequest:
    request = (
        AdmissionRequest.objects.select_for_update()
        .select_related("department")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise not_found()
    return request


def _allowed(actor, role: Actor, request: AdmissionRequest) -> bool:
    if role is Actor.SUBDISTRICT:
        return permissions.can_give_subdistrict_view(actor, request)
    if role is Actor.LEADERSHIP_OFFICE:
        return permissions.can_decide(actor, request)
    return permissions.can_apply(actor, request.department)


def _advance(request: AdmissionRequest, action: Action, actor, now) -> None:
    try:
        following, role = machine.step(request.state, action)
    except machine.AdmissionError as error:
        raise conflict(admission_message(error.code), code=error.code) from error
    if not _allowed(actor, role, request):
        raise forbidden()
    request.state = following
    request.updated_at = now or timezone.now()


@transaction.atomic
def admission_subdistrict_view(*, request_id: int, actor, view: str, now=None):
    request = _locked(request_id)
    _advance(request, Action.SUBDISTRICT_VIEW, actor, now)
    request.subdistrict_view = text(view, 4000, _("街道意见"))
    request.save()
    audit(actor, "admission_subdistrict_view", request)
    return request


@transaction.atomic
def admission_community_view(
    *, request_id: int, community, actor, agrees: bool, view: str = "", now=None
) -> CommunityView:
    """A community's view while the office consults (after the subdistrict's)."""
    request = _locked(request_id)
    if not request.communities.filter(pk=community.pk).exists():
        raise not_found()
    if not permissions.can_act_for_community(actor, community):
        raise forbidden()
    if request.state != AdmissionRequest.State.SUBDISTRICT_VIEWED:
        raise conflict(admission_message("out_of_order"), code="out_of_order")
    given, _created = CommunityView.objects.update_or_create(
        request=request,
        community=community,
        defaults={
            "agrees": bool(agrees),
            "text": text(view, 4000, _("意见"), required=False),
            "given_at": now or timezone.now(),
        },
    )
    audit(actor, "admission_community_view", request, community_id=community.pk)
    return given


@transaction.atomic
def admission_consult_close(*, request_id: int, actor, now=None):
    request = _locked(request_id)
    _advance(request, Action.CONSULT_CLOSE, actor, now)
    request.save()
    audit(actor, "admission_consult_close", request)
    return request


@transaction.atomic
def admission_decide(
    *,
    request_id: int,
    actor,
    approve: bool,
    reasons: str = "",
    agreement=None,
    now=None,
):
    """Approve with a number and the signed agreement, or refuse with reasons."""
    request = _locked(request_id)
    action = Action.APPROVE if approve else Action.REFUSE
    _advance(request, action, actor, now)
    if machine.requires_reasons(action, reasons or ""):
        raise invalid(admission_message("no_reasons"), code="no_reasons")
    day = local_day(now)
    if approve:
        if agreement is None:
            raise invalid(admission_message("no_agreement"), code="no_agreement")
        try:
            request.signed_agreement = upload_check(agreement)
        except UploadRefused as error:
            raise DutyError(
                error.message, code=error.code, status=error.status
            ) from error
        # The numbers are the office's sequence: its row (or, while no office is
        # set up, the department's) is locked while one is taken.
        office = permissions.office_for(request.department) or request.department
        Authority.objects.select_for_update().filter(pk=office.pk).first()
        place = request.department.district or request.department.city
        request.number = next_number(
            AdmissionRequest.objects.all(), f"{place.name}社区准入〔{day.year}〕"
        )
    request.decision_reasons = text(reasons, 4000, "", required=False)
    request.decided_on = day
    request.save()
    audit(actor, "admission_decide", request, approve=approve, number=request.number)
    return request


@transaction.atomic
def admission_enter(*, request_id: int, actor, now=None):
    request = _locked(request_id)
    _advance(request, Action.ENTER, actor, now)
    request.save()
    audit(actor, "admission_enter", request)
    return request


@transaction.atomic
def admission_close(*, request_id: int, actor, withdraw: bool, now=None):
    """Completed, or withdrawn by the department."""
    request = _locked(request_id)
    _advance(request, Action.WITHDRAW if withdraw else Action.COMPLETE, actor, now)
    request.save()
    audit(actor, "admission_close", request, withdrawn=withdraw)
    return request


@transaction.atomic
def task_refuse(
    *,
    community,
    department: Authority,
    actor,
    title: str,
    received_on,
    note: str = "",
    now=None,
) -> TaskRefusal:
    """Mark a task that came without admission "not admitted" (printable notice)."""
    if not permissions.can_act_for_community(actor, community):
        raise forbidden()
    if department.kind != Authority.Kind.DEPARTMENT:
        raise invalid(_("请选择交办任务的部门。 Choose the department."))
    day = local_day(now)
    if received_on > day:
        raise invalid(_("收到日期不能晚于今天。 The day received is in the future."))
    type(community).objects.select_for_update().filter(pk=community.pk).first()
    refusal = TaskRefusal.objects.create(
        community=community,
        department=department,
        title=text(title, 200, _("事项")),
        received_on=received_on,
        note=text(note, 2000, "", required=False),
        number=next_number(
            TaskRefusal.objects.all(), f"{community.code}-BZR-{day.year}-"
        ),
        refused_on=day,
    )
    audit(actor, "task_refuse", refusal, community_id=community.pk)
    return refusal
