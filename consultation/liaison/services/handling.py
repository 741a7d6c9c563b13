"""Handling a request: register, classify, refer with a due date, start, supervise
(督办) and reply. Each act locks the request, asks the lifecycle (409 out of order),
asks who may (403), writes one audit line and tells whom it concerns."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from yishi import deadlines
from yishi.audit import audit_record
from yishi.deadlines.domain import DeadlineError

from .. import permissions
from ..domain.due import Profile, due_dates, profile_for_route
from ..domain.lifecycle import Action, Route
from ..errors import forbidden, invalid
from ..models import LiaisonRequest
from .common import (
    clean_text,
    community_days,
    local_day,
    lock_request,
    stats_changed,
    step,
)
from .notices import tell_handlers, tell_resident


def _audit(request, actor, action: str, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=request,
        community_id=request.community_id,
        detail=detail,
    )


def _save(request, state, *fields) -> None:
    request.state = state
    request.save(update_fields=["state", *fields])
    stats_changed()


@transaction.atomic
def request_register(*, request_id, actor, now=None) -> LiaisonRequest:
    now = now or timezone.now()
    request = lock_request(request_id)
    if not permissions.can_handle(actor, request):
        raise forbidden()
    state = step(request, Action.REGISTER, now)
    request.registered_at = now
    _save(request, state, "registered_at")
    _audit(request, actor, "liaison_request_register")
    tell_resident(request, "您的诉求已登记")
    return request


@transaction.atomic
def request_classify(
    *, request_id, actor, route: str, category: str = "", now=None
) -> LiaisonRequest:
    now = now or timezone.now()
    request = lock_request(request_id)
    if not permissions.can_handle(actor, request):
        raise forbidden()
    if route not in [r.value for r in Route]:
        raise invalid("请选择办理方式。 Choose how it is handled.", code="route")
    if category and category not in LiaisonRequest.Category.values:
        raise invalid("请选择类别。 Choose a category.", code="category")
    state = step(request, Action.CLASSIFY, now)
    request.route = route
    request.category = category or request.category
    fields = ["route", "category"]
    if route == Route.ON_THE_SPOT and getattr(actor, "is_authenticated", False):
        request.assignee = actor  # who answers on the spot replies
        fields.append("assignee")
    _save(request, state, *fields)
    _audit(request, actor, "liaison_request_classify", route=route)
    return request


def _assignee(assignee_id, actor, request: LiaisonRequest):
    """Who answers the request: the one referring it, or someone who may handle it
    (the community's staff, the representative it is addressed to) or supervise
    it — the assignee may read the resident's name and phone and reply."""
    if not assignee_id:
        return actor if getattr(actor, "is_authenticated", False) else None
    found = get_user_model().objects.filter(pk=assignee_id, is_active=True).first()
    if found is None:
        raise invalid("承办人不存在。 No such assignee.", code="assignee")
    if not (
        permissions.can_handle(found, request)
        or permissions.can_supervise(found, request)
    ):
        raise invalid(
            "承办人须为本社区的工作人员或所反映的代表。 The assignee must be the "
            "community's staff or the representative addressed.",
            code="assignee",
        )
    return found


_REFER_FIELDS = (
    "referred_to",
    "profile",
    "complex_case",
    "assignee",
    "due_date",
    "accept_due_date",
    "due_certain",
    "due_law",
    "referred_at",
)


def _due(profile: str, day, complex_case: bool):
    if profile not in [p.value for p in Profile]:
        raise invalid("期限依据无效。 Unknown due-date profile.", code="profile")
    try:
        return due_dates(
            Profile(profile),
            day,
            deadlines.calendar(),
            complex_case=complex_case,
            community_days=community_days(),
        )
    except DeadlineError as error:
        raise invalid(str(error), code="due") from error


@transaction.atomic
def request_refer(
    *,
    request_id,
    actor,
    referred_to: str,
    assignee_id=None,
    profile: str = "",
    complex_case: bool = False,
    now=None,
) -> LiaisonRequest:
    """Refer to a unit with a due date counted from today by the request's profile."""
    now = now or timezone.now()
    request = lock_request(request_id)
    if not permissions.can_handle(actor, request):
        raise forbidden()
    state = step(request, Action.REFER, now)
    unit = clean_text(
        referred_to, name_zh="承办单位", name_en="handling unit", limit=100
    )
    profile = profile or profile_for_route(request.route)
    due = _due(profile, local_day(now), bool(complex_case))
    request.referred_to, request.profile, request.complex_case = (
        unit,
        profile,
        bool(complex_case),
    )
    request.assignee = _assignee(assignee_id, actor, request)
    request.due_date, request.due_certain = due.reply.last_day, due.reply.certain
    request.accept_due_date = due.accept.last_day if due.accept else None
    request.due_law, request.referred_at = due.law[:200], now
    _save(request, state, *_REFER_FIELDS)
    _audit(
        request,
        actor,
        "liaison_request_refer",
        unit=unit,
        due=due.reply.last_day.isoformat(),
    )
    accept = f"，受理期限 {due.accept.last_day:%Y-%m-%d}" if due.accept else ""
    tell_resident(
        request,
        f"您的诉求已转交{unit}办理{accept}，答复期限 {due.reply.last_day:%Y-%m-%d}",
    )
    tell_handlers(request, "诉求已转交您办理", extra=[request.assignee])
    return request


@transaction.atomic
def request_start(*, request_id, actor, now=None) -> LiaisonRequest:
    now = now or timezone.now()
    request = lock_request(request_id)
    if not (
        permissions.can_reply(actor, request) or permissions.can_handle(actor, request)
    ):
        raise forbidden()
    _save(request, step(request, Action.START, now))
    _audit(request, actor, "liaison_request_start")
    tell_resident(request, "您的诉求正在办理")
    return request


@transaction.atomic
def request_supervise(*, request_id, actor, note: str, now=None) -> LiaisonRequest:
    """督办 an overdue request (代表法第五十二条, 《信访工作条例》第四十条)."""
    now = now or timezone.now()
    request = lock_request(request_id)
    if not permissions.can_supervise(actor, request):
        raise forbidden(
            "只有街道工作人员或所联系的代表委员可以督办。"
            " Only the subdistrict or the representative supervises."
        )
    state = step(request, Action.SUPERVISE, now)
    request.supervision_note = clean_text(
        note, name_zh="督办意见", name_en="supervision note", limit=1000
    )
    request.supervised_at = now
    _save(request, state, "supervision_note", "supervised_at")
    _audit(
        request,
        actor,
        "liaison_request_supervise",
        due=request.due_date.isoformat(),
        accept_due=str(request.accept_due_date or ""),
    )
    tell_handlers(request, "诉求已被督办，请尽快答复", extra=[request.assignee])
    tell_resident(request, "您的诉求已逾期，已督办")
    return request


@transaction.atomic
def request_reply(*, request_id, actor, text: str, now=None) -> LiaisonRequest:
    """The assignee's reply (答复), the feedback the resident then rates."""
    now = now or timezone.now()
    request = lock_request(request_id)
    if not permissions.can_reply(actor, request):
        raise forbidden("只有承办人可以答复。 Only the assignee replies.")
    state = step(request, Action.REPLY, now)
    request.reply = clean_text(text, name_zh="答复", name_en="reply", limit=4000)
    request.replied_at = now
    request.replied_by = actor if getattr(actor, "is_authenticated", False) else None
    request.reply_days = (local_day(now) - local_day(request.submitted_at)).days
    _save(request, state, "reply", "replied_at", "replied_by", "reply_days")
    late = request.due_date is not None and local_day(now) > request.due_date
    _audit(request, actor, "liaison_request_reply", late=late)
    tell_resident(request, "您的诉求已答复，请评价")
    return request
