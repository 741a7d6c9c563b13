"""The liaison's pages: parse, check permission on the object, call one service or
selector, render. A refusal answers the service's status with its message in Chinese
then English (JSON when asked); nothing is written."""

from __future__ import annotations

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from yishi.refusals import shows_form_again
from yishi.uploads import file_response

from . import permissions, selectors, services
from .charts import bar_chart
from .domain.lifecycle import shown_state
from .domain.receptions import SUMMARY_LIMIT, has_taken_place
from .domain.stats import percent_text
from .errors import LiaisonError
from .models import LiaisonRequest


def _today():
    return timezone.localdate()


def _int(value):
    try:
        number = int(str(value or "").strip())
    except ValueError:
        return None
    return number if 0 < number < 2**62 else None


def _refuse(request, error: LiaisonError, back: str = ""):
    if "json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {"ok": False, "code": error.code, "error": error.message},
            status=error.status,
        )
    context = {"message": error.message, "back": back}
    return render(
        request, "consultation/liaison/refused.html", context, status=error.status
    )


def _statistics_body(today) -> str:
    """The figures and charts, rendered once per version, day and language."""
    key = f"liaison:stats-html:{selectors.stats_version()}:{today}:{get_language()}"
    body = cache.get(key)
    if body is None:
        stats = selectors.public_statistics(today)
        charts = {
            "states": bar_chart(stats["states"], title=_("各状态诉求数")),
            "categories": bar_chart(stats["categories"], title=_("各类别诉求数")),
            "ratings": bar_chart(stats["ratings"], title=_("满意度评分分布")),
        }
        context = {
            "stats": stats,
            "charts": charts,
            "satisfied": percent_text(stats["satisfied"]),
        }
        body = render_to_string("consultation/liaison/_statistics_body.html", context)
        cache.set(key, body, selectors.STATS_TIMEOUT)
    return body


@require_safe
def statistics(request):
    body = mark_safe(_statistics_body(_today()))  # rendered by our template above
    return render(request, "consultation/liaison/statistics.html", {"body": body})


@require_safe
def archive(request):
    query = request.GET.get("q", "")[:50]
    page = selectors.archive_page(query=query, page=request.GET.get("page", "1")[:9])
    return render(
        request, "consultation/liaison/archive.html", {"page": page, "query": query}
    )


@require_safe
def answer(request, request_id: int):
    found = selectors.public_answer(request_id)
    if found is None:
        raise Http404
    return render(request, "consultation/liaison/answer.html", {"item": found})


def _draft(request, channel: str) -> services.Draft:
    post = request.POST
    return services.Draft(
        target=post.get("target", "")[:20],
        category=post.get("category", "")[:20],
        title=post.get("title", ""),
        text=post.get("text", ""),
        community_id=_int(post.get("community")),
        representative_id=_int(post.get("representative")),
        station_id=_int(post.get("station")),
        building_id=_int(post.get("building")),
        public_reply=post.get("public_reply") == "on",
        images=request.FILES.getlist("images"),
        channel=channel,
        reception_day_id=_int(post.get("reception_day")),
        resident_name=post.get("resident_name", ""),
        resident_phone=post.get("resident_phone", "")[:20],
    )


def _channel_for(request) -> str:
    """Online for a resident; a handler or grid worker may enter on someone's behalf."""
    wanted = request.POST.get("channel") or request.GET.get("channel") or "online"
    return wanted if wanted in LiaisonRequest.Channel.values else "online"


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request):
    channel = _channel_for(request)
    if request.method == "POST":
        try:
            created = services.request_submit(
                actor=request.user, draft=_draft(request, channel)
            )
        except LiaisonError as error:
            return _form_refused(
                request, error, lambda r, error: _request_form(r, channel, error)
            )
        messages.success(request, _("诉求已提交，可在“我的诉求”查看办理进展。"))
        return redirect("liaison:request", request_id=created.pk)
    return _request_form(request, channel)


def _request_form(request, channel: str, error: LiaisonError | None = None):
    """The request form; after a refusal, with its message and what was typed (the
    photos cannot be kept by a browser: the page asks for them again)."""
    typed = request.POST if error else {}
    context = selectors.form_choices(request.user)
    context.update(
        channel=channel,
        preselected=_int(
            typed.get("representative") or request.GET.get("representative")
        ),
        grid_worker=permissions.grid_worker_of(request.user),
        reception_days=selectors.reception_days_for(
            [c.pk for c in context["communities"]], _today()
        )
        if channel == "reception_day"
        else [],
        typed=typed,
        error=error.message if error else "",
        photos_again=bool(error and request.FILES),
    )
    template = "consultation/liaison/new.html"
    return render(request, template, context, status=error.status if error else 200)


@login_required
@require_safe
def mine(request):
    today = _today()
    rows = [
        (item, shown_state(item.state, item.due_date, today, item.accept_due_date))
        for item in selectors.my_requests(request.user)
    ]
    return render(request, "consultation/liaison/mine.html", {"rows": rows})


def _visible(request, request_id: int) -> LiaisonRequest:
    found = selectors.request_detail(request_id)
    if found is None or not permissions.can_view(request.user, found):
        raise Http404
    return found


@login_required
@require_safe
def request_detail(request, request_id: int):
    return _detail(request, _visible(request, request_id))


def _detail(request, item: LiaisonRequest, error: LiaisonError | None = None):
    """The request's page; after a refused action, with the message and the text
    typed into that action's form."""
    user, today = request.user, _today()
    context = {
        "item": item,
        "shown": shown_state(item.state, item.due_date, today, item.accept_due_date),
        "today": today,
        "may": {
            "handle": permissions.can_handle(user, item),
            "extend": permissions.can_extend(user, item),
            "supervise": permissions.can_supervise(user, item),
            "reply": permissions.can_reply(user, item),
            "rate": permissions.is_resident(user, item),
        },
        "routes": LiaisonRequest.Routes.choices,
        "profiles": LiaisonRequest.Profiles.choices,
        "categories": LiaisonRequest.Category.choices,
        "resident_view": item.resident_id == user.pk,
        "typed": request.POST if error else {},
        "error": error.message if error else "",
    }
    template = "consultation/liaison/request.html"
    return render(request, template, context, status=error.status if error else 200)


def _text(post, name: str) -> dict:
    return {name: post.get(name, "")}


# Each action: the service and the arguments it takes from the form.
_ACTIONS = {
    "register": (services.request_register, lambda post: {}),
    "classify": (
        services.request_classify,
        lambda post: {
            "route": post.get("route", "")[:30],
            "category": post.get("category", "")[:20],
        },
    ),
    "refer": (
        services.request_refer,
        lambda post: {
            "referred_to": post.get("referred_to", ""),
            "assignee_id": _int(post.get("assignee")),
            "profile": post.get("profile", "")[:30],
            "complex_case": post.get("complex_case") == "on",
        },
    ),
    "start": (services.request_start, lambda post: {}),
    "extend": (services.request_extend, lambda post: _text(post, "reason")),
    "supervise": (services.request_supervise, lambda post: _text(post, "note")),
    "reply": (services.request_reply, lambda post: _text(post, "text")),
    "rate": (
        services.request_rate,
        lambda post: {
            "score": _int(post.get("score")) or 0,
            "comment": post.get("comment", ""),
        },
    ),
    "close": (services.request_close, lambda post: {}),
    "reopen": (services.request_reopen, lambda post: _text(post, "reason")),
}


def _act(action: str, post, request_id: int, actor):
    if action not in _ACTIONS:
        raise LiaisonError(_("未知操作。 Unknown action."), status=400, code="action")
    service, arguments = _ACTIONS[action]
    return service(request_id=request_id, actor=actor, **arguments(post))


@login_required
@require_POST
def request_act(request, request_id: int):
    item = _visible(request, request_id)
    try:
        _act(request.POST.get("action", "")[:20], request.POST, item.pk, request.user)
    except LiaisonError as error:
        if shows_form_again(error.status):
            return _form_refused(
                request, error, lambda r, error: _detail(r, item, error)
            )
        return _refuse(request, error, back=request.path.rsplit("act/", 1)[0])
    messages.success(request, _("已保存。"))
    return redirect("liaison:request", request_id=item.pk)


@login_required
@require_safe
def request_image(request, request_id: int, image_id: int):
    item = _visible(request, request_id)
    image = next((i for i in item.images.all() if i.pk == image_id), None)
    if image is None:
        raise Http404
    return file_response(image.file, download_name=f"request-{item.pk}-{image.pk}")


@login_required
@require_safe
def dashboard(request):
    today = _today()
    context = {
        "lists": selectors.dashboard(request.user, today),
        "summary": selectors.community_summary(request.user, today),
        "today": today,
        "grid_worker": permissions.grid_worker_of(request.user),
        "receptions": selectors.receptions_to_summarise(request.user, today),
    }
    context["summary_chart"] = bar_chart(
        context["summary"]["categories"], title=_("各类别诉求数")
    )
    context["satisfied"] = percent_text(context["summary"]["satisfied"])
    return render(request, "consultation/liaison/dashboard.html", context)


def _parse_when(post):
    try:
        return (
            date.fromisoformat(post.get("day", "")[:10]),
            time.fromisoformat(post.get("starts", "")[:8]),
            time.fromisoformat(post.get("ends", "")[:8]),
        )
    except ValueError:
        return None, None, None


@login_required
@require_http_methods(["GET", "POST"])
def reception_new(request):
    if request.method == "POST":
        day, starts, ends = _parse_when(request.POST)
        try:
            services.reception_day_announce(
                actor=request.user,
                station_id=_int(request.POST.get("station")),
                day=day,
                starts=starts,
                ends=ends,
                place=request.POST.get("place", ""),
                representative_ids=[
                    _int(v) for v in request.POST.getlist("representatives") if _int(v)
                ],
            )
        except LiaisonError as error:
            return _form_refused(request, error, _reception_form)
        messages.success(request, _("接待日已公告。"))
        return redirect("liaison:dashboard")
    return _reception_form(request)


def _form_refused(request, error: LiaisonError, form):
    """A refused form: shown again with the message and what was typed (bad input);
    a refusal of the person (403) or of the moment (409), or a client asking for
    JSON, gets `_refuse`."""
    wants_json = "json" in request.headers.get("Accept", "")
    if not shows_form_again(error.status) or wants_json:
        return _refuse(request, error, back=request.path)
    return form(request, error=error)


def _reception_form(request, error: LiaisonError | None = None):
    context = {
        **selectors.form_choices(request.user),
        "notice_days": services.reception_notice_days(),
        "typed": request.POST if error else {},
        "chosen": set(request.POST.getlist("representatives")) if error else set(),
        "error": error.message if error else "",
    }
    template = "consultation/liaison/reception_new.html"
    return render(request, template, context, status=error.status if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def reception_summary(request, reception_id: int):
    """Write or correct a past reception day's summary (接待日小结)."""
    reception = selectors.reception_for_summary(reception_id)
    if reception is None:
        raise Http404
    if not permissions.can_summarise(request.user, reception):
        return _refuse(request, LiaisonError(_NOT_SUMMARISER, status=403))
    if request.method == "POST":
        try:
            services.reception_day_summarise(
                actor=request.user,
                reception_id=reception.pk,
                summary=request.POST.get("summary", ""),
            )
        except LiaisonError as error:
            return _form_refused(
                request, error, lambda r, error: _summary_form(r, reception, error)
            )
        messages.success(request, _("接待日小结已保存。"))
        return redirect("liaison:dashboard")
    return _summary_form(request, reception)


def _summary_form(request, reception, error: LiaisonError | None = None):
    now = timezone.localtime()
    context = {
        "reception": reception,
        "held": has_taken_place(reception.day, reception.ends, now.date(), now.time()),
        "limit": SUMMARY_LIMIT,
        "summary": request.POST.get("summary", "") if error else reception.summary,
        "error": error.message if error else "",
    }
    template = "consultation/liaison/reception_summary.html"
    return render(request, template, context, status=error.status if error else 200)


_NOT_SUMMARISER = (
    "只有本社区工作人员或参加接待的代表委员可以填写小结。"
    " Only the community's staff or an attending representative write it."
)
