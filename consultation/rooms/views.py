"""Room pages: the room (phone first; works without JavaScript through forms), the
projector view for the hall's screen, and the form fallback of every socket action.
Parse, check permission on the room, call one service or selector, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from consultation.ballots.selectors import community_or_none
from consultation.records import services as record_services
from consultation.records.permissions import can_manage_matters
from yishi.converters import ascii_digits
from yishi.websocket_auth import socket_ticket

from . import permissions, selectors, services
from .events import socket_path
from .exports import minutes_pdf
from .forms import AgendaItemForm, RoomForm
from .services import ACTIONS, RecordsError

INT_FIELDS = {"statement_id", "item_id", "seconds", "participant_id"}
BOOL_FIELDS = {"muted", "in_hall"}


def _labels() -> dict:
    """The words room.js writes on the page (translated here, not in the script)."""
    return {
        "none": _("暂无"),
        "queue_empty": _("暂无人举手"),
        "no_statements": _("还没有发言。"),
        "live": _("实时更新已连接"),
        "offline": _("实时更新未连接，正在重试；刷新页面可看到最新情况。"),
        "agree": _("赞同"),
        "disagree": _("反对"),
        "question": _("有疑问"),
        "votes": _("票"),
        "quorum": _("应到 {expected} 人，实到 {present} 人"),
        "quorum_households": _("应到 {expected} 户，实到 {present} 户"),
        "quorum_owners": _(
            "应到业主 {expected} 人、专有部分面积 {expected_area} 平方米，"
            "实到 {present} 人、{present_area} 平方米"
        ),
        "met": _("已达到到会人数要求"),
        "not_met": _("未达到到会人数要求"),
        "timer_left": _("剩余 {s} 秒"),
        "timer_over": _("发言时间已到"),
        "timer_each": _("每人发言 {s} 秒"),
        "participation": _("已投票 {n} 人（共 {total} 人）"),
        "hidden": _("各选项票数在投票截止后公布。"),
        "ballot_open": _("投票进行中"),
        "ballot_draft": _("尚未开始"),
        "ballot_closed": _("投票已截止"),
        "current": _("正在审议"),
        "go_vote": _("本项表决：去投票"),
        "ballot": _("表决"),
        "ballot_open_item": _("开始表决：{t}"),
        "ballot_close_item": _("截止表决：{t}"),
        "online": _("网上在线 {n} 人"),
        "done": _("已审议"),
        "closed": _("会议已结束"),
        "sent": _("已发送"),
    }


def _refuse(request, message: str, status: int):
    context = {"message": message, "back": ""}
    return render(request, "consultation/records/refused.html", context, status=status)


def _entered(request, room_id: int):
    """(room, seat) if the user may enter; Http404 / refusal otherwise."""
    room = selectors.room_or_none(room_id)
    if room is None:
        raise Http404
    participant = permissions.participant_of(request.user, room)
    if not permissions.can_enter(request.user, room, participant):
        return room, participant, False
    return room, participant, True


def _page(
    request, room_id: int, template: str, agenda_form=None, refused=None, **flags
):
    room, participant, allowed = _entered(request, room_id)
    if not allowed:
        return _refuse(request, _("您不是本次会议的参会人。 Not a participant."), 403)
    page = selectors.room_page(room, request.user, participant)
    if flags.get("controls") and room.status == room.Status.OPEN:
        if agenda_form is None and can_manage_matters(
            request.user, room.meeting.community
        ):
            choices = selectors.agenda_form_choices(room, request.user)
            agenda_form = AgendaItemForm(choices=choices)
        page["agenda_form"] = agenda_form
    page["labels"] = _labels()
    page["socket_path"] = socket_path(room.pk)
    # The socket connects without reading the session again (yishi.websocket_auth).
    page["ticket"] = socket_ticket(
        request.user, request.session.session_key, page["socket_path"]
    )
    if flags.get("controls"):
        page["may_chair"] = permissions.can_chair(request.user, room, participant)
        page["may_record"] = permissions.can_keep_record(
            request.user, room, participant
        )
        page["may_speak"] = permissions.can_speak(participant)
        if page["may_record"] and room.basis:
            page["find"] = request.GET.get("find", "")[:50]
            page["found"] = selectors.seats_named(room, page["find"])
    status = 422 if agenda_form is not None and agenda_form.is_bound else 200
    if refused is not None:  # a statement refused for its text: kept in its box
        page["refused"], status = refused, refused["status"]
    response = render(request, template, page, status=status)
    # The page carries its login's socket ticket: kept by no cache but the tab's.
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@login_required
def room_detail(request, room_id: int):
    return _page(request, room_id, "consultation/rooms/room.html", controls=True)


@require_safe
@login_required
def room_projector(request, room_id: int):
    return _page(request, room_id, "consultation/rooms/projector.html")


@require_http_methods(["GET", "POST"])
@login_required
def room_new(request, community: str):
    """Staff open a room: a body's meeting, or a residents' meeting or owners'
    assembly seated from the roll of its basis."""
    found = community_or_none(community)
    if found is None:
        raise Http404
    if not can_manage_matters(request.user, found):
        return _refuse(request, _("您无权召开会议。 You may not open a room."), 403)
    form = RoomForm(request.POST or None, choices=selectors.room_form_choices(found))
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(
                community=found, actor=request.user, **form.service_arguments()
            )
        except RecordsError as error:
            # The service's refusal over the form, the input kept (its rules —
            # seats, the meeting's year — live there, not in the form).
            form.add_error(None, error.message)
            status = error.status
        else:
            return redirect("rooms:room", room_id=room.pk)
    context = {"form": form, "community": found}
    return render(request, "consultation/rooms/room_new.html", context, status=status)


def _params(name: str, data) -> dict | None:
    """The action's parameters from the form, typed as the socket sends them."""
    params = {}
    for key in ACTIONS[name][1]:
        raw = data.get(key)
        if raw is None:
            return None
        if key in INT_FIELDS:
            digits = raw.strip()
            if not ascii_digits(digits) or len(digits) > 12:
                return None
            params[key] = int(digits)
        elif key in BOOL_FIELDS:
            params[key] = raw in {"1", "true", "on"}
        else:
            params[key] = raw
    return params


@require_POST
@login_required
def room_act(request, room_id: int, name: str):
    """The form fallback of a socket action: the same service, then back to the room."""
    if name not in ACTIONS:
        raise Http404
    params = _params(name, request.POST)
    if params is None:
        return _refuse(request, _("提交的内容不完整。 The form is incomplete."), 422)
    try:
        services.room_action(
            room_id=room_id, actor=request.user, name=name, params=params
        )
    except RecordsError as error:
        if name == "statement" and error.status == 422:
            typed = {"text": params["text"], "message": error.message, "status": 422}
            template = "consultation/rooms/room.html"
            return _page(request, room_id, template, refused=typed, controls=True)
        return _refuse(request, error.message, error.status)
    return redirect("rooms:room", room_id=room_id)


@require_POST
@login_required
def room_agenda_add(request, room_id: int):
    """Staff put an item on an open room's agenda (the page's form): the room's
    participants see it at once; a bad form comes back with its errors (422)."""
    room = selectors.room_or_none(room_id)
    if room is None:
        raise Http404
    if not can_manage_matters(request.user, room.meeting.community):
        return _refuse(
            request, _("您无权编排议程。 You may not change the agenda."), 403
        )
    if room.status != room.Status.OPEN:
        return _refuse(request, _("会议已结束。 The meeting is closed."), 409)
    choices = selectors.agenda_form_choices(room, request.user)
    form = AgendaItemForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            services.agenda_item_add(
                room_id=room.pk, actor=request.user, **form.service_arguments()
            )
        except RecordsError as error:
            if error.status != 422:
                return _refuse(request, error.message, error.status)
            form.add_error(None, error.message)
        else:
            return redirect(reverse("rooms:room", args=[room.pk]) + "#agenda-h")
    return _page(request, room.pk, "consultation/rooms/room.html", form, controls=True)


MINUTES_STEPS = {"draft", "edit", "confirm"}


@require_http_methods(["GET", "POST"])
@login_required
def room_minutes(request, room_id: int):
    """The minutes: read by the room's participants; drafted, edited and confirmed
    by the secretary (the chair, staff)."""
    room, participant, allowed = _entered(request, room_id)
    if not allowed:
        return _refuse(request, _("您不是本次会议的参会人。 Not a participant."), 403)
    if request.method == "POST":
        step = request.POST.get("do")
        if step not in MINUTES_STEPS:
            return _refuse(
                request, _("提交的内容不完整。 The form is incomplete."), 422
            )
        try:
            if step == "draft":
                services.minutes_draft(room_id=room.pk, actor=request.user)
            elif step == "edit":
                text = request.POST.get("text")
                services.minutes_edit(room_id=room.pk, actor=request.user, text=text)
            else:
                services.minutes_confirm(
                    room_id=room.pk, actor=request.user, **_hands(request.POST)
                )
        except RecordsError as error:
            if step != "edit" or error.status != 422:
                return _refuse(request, error.message, error.status)
            # The secretary's edit refused for its text: the page again, kept.
            typed = {"text": request.POST.get("text", ""), "message": error.message}
            return _minutes_page(request, room, participant, typed)
        return redirect("rooms:minutes", room_id=room.pk)
    return _minutes_page(request, room, participant)


def _minutes_page(request, room, participant, refused=None):
    context = {
        "room": room,
        "may_record": permissions.can_keep_record(request.user, room, participant),
        "attending": selectors.attending(room, participant),
        "refused": refused,
    }
    template = "consultation/rooms/minutes.html"
    return render(request, template, context, status=422 if refused else 200)


def _hands(data) -> dict:
    """A step meeting's show of hands from the confirm form (absent: 0)."""
    counts = {}
    for key in ("yes", "no", "abstain"):
        raw = (data.get(key) or "0").strip()
        whole = ascii_digits(raw) and len(raw) < 7
        counts[key] = int(raw) if whole else -1
    return counts


@require_POST
@login_required
def room_minutes_sign(request, room_id: int):
    """A member present signs the confirmed minutes on their own account."""
    try:
        record_services.attendance_confirm(meeting_id=room_id, actor=request.user)
    except RecordsError as error:
        return _refuse(request, error.message, error.status)
    return redirect("rooms:minutes", room_id=room_id)


@require_safe
@login_required
def room_minutes_pdf(request, room_id: int):
    room, _participant, allowed = _entered(request, room_id)
    if not allowed:
        return _refuse(request, _("您不是本次会议的参会人。 Not a participant."), 403)
    if not room.minutes_text:
        raise Http404
    url = request.build_absolute_uri(reverse("rooms:room", args=[room.pk]))
    response = HttpResponse(
        minutes_pdf(room, room_url=url), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="minutes-{room.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
