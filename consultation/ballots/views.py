"""Ballot views: parse, check permission on the ballot, call one service, render.

Every refusal from a service carries its HTTP status (409 already voted / not open,
403 not on the roll / no proxy, 400 choice from another ballot, 422 too many or too
few, reused idempotency key) and a message in Chinese then English; nothing is written.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from neighbourhoods.models import Person
from neighbourhoods.permissions import can_change_register, is_register_staff
from neighbourhoods.rolls.scopes import RollScope
from yishi.uploads import UploadRefused, file_response
from yishi.visitor_cache import cached_for_visitors

from . import permissions, selectors, services
from .domain.finding import next_sheet_number
from .domain.rules import all_rules, lookup
from .domain.thresholds import RuleError, evaluate
from .domain.units import parse_area
from .forms import (
    BallotForm,
    FormError,
    calculator_inputs,
    idempotency_key_from,
    selection_from_form,
)
from .models import Ballot
from .page_version import visitor_version
from .selectors import opening, page

BAD_FORM = "提交的内容格式不正确。 The form could not be read."


def _ballot(ballot_id: int) -> Ballot:
    ballot = selectors.ballot_or_none(ballot_id)
    if ballot is None:
        raise Http404
    return ballot


def _wants_json(request) -> bool:
    return request.content_type == "application/json" or "json" in request.headers.get(
        "Accept", ""
    )


def _refuse(request, ballot, message: str, status: int, code: str = "invalid"):
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "code": code, "error": message}, status=status
        )
    context = {"ballot": ballot, "message": message}
    return render(
        request, "consultation/ballots/ballot_refused.html", context, status=status
    )


def _form_status(error: Exception) -> int:
    return getattr(error, "status", 400)


def _person(request) -> Person | None:
    return permissions.person_of(request.user)


@require_http_methods(["GET"])
@cached_for_visitors(version=visitor_version)
def ballot_detail(request, ballot_id: int):
    """A ballot's page. Visitors (not signed in) see published ballots only; their
    copy is kept (`page_version`), except while the ballot is open: its turnout
    moves with every vote, so its page is marked private and never kept."""
    ballot = page.ballot_for_page(ballot_id, _person(request))
    if ballot is None:
        raise Http404
    if not permissions.can_view_ballot(request.user, ballot):
        raise PermissionDenied
    context = page.ballot_page_context(ballot, request.user)
    response = render(request, "consultation/ballots/ballot.html", context)
    if ballot.status == Ballot.Status.OPEN:
        patch_cache_control(response, private=True)
    return response


def _vote_input(request, ballot):
    if request.content_type == "application/json":
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise FormError("not an object")
        return body.get("selection"), idempotency_key_from(body)
    return selection_from_form(ballot.kind, request.POST), idempotency_key_from(
        request.POST
    )


@require_POST
@login_required
def ballot_vote(request, ballot_id: int):
    # A JSON vote reads the ballot only in the service, under its lock (a 404 there
    # when it does not exist); a form vote needs it first to read the form by kind
    # and to render the answer page.
    ballot = None if request.content_type == "application/json" else _ballot(ballot_id)
    person = _person(request)
    if person is None:
        message = _(
            "您的账号未关联居民信息。 Your account is not linked to a resident."
        )
        return _refuse(request, ballot, message, 403, "not_on_roll")
    try:
        selection, key = _vote_input(request, ballot)
        result = services.vote_cast(
            ballot_id=ballot_id, voter=person, selection=selection, idempotency_key=key
        )
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    except (FormError, ValueError, RecursionError) as error:
        return _refuse(request, ballot, _(BAD_FORM), _form_status(error), "bad_form")
    if ballot is None or _wants_json(request):
        return JsonResponse(
            {"ok": True, "receipt": result.receipt, "replayed": result.replayed},
            status=200 if result.replayed else 201,
        )
    return render(
        request,
        "consultation/ballots/vote_recorded.html",
        {"ballot": ballot, "result": result},
        status=200 if result.replayed else 201,
    )


@require_http_methods(["GET", "POST"])
def receipt_check(request, ballot_id: int):
    """A secret-ballot voter checks that the paper with their receipt was counted.

    The code is taken by POST only, so that it never lands in an access log.
    """
    ballot = _ballot(ballot_id)
    if not ballot.is_secret or not permissions.can_view_ballot(request.user, ballot):
        raise PermissionDenied
    code = request.POST.get("receipt", "")[:40] if request.method == "POST" else ""
    counted = selectors.receipt_counted(ballot, code) if code.strip() else None
    return render(
        request,
        "consultation/ballots/receipt.html",
        {"ballot": ballot, "code": code, "counted": counted},
    )


def _manager(request, ballot_id: int) -> Ballot:
    ballot = _ballot(ballot_id)
    if not permissions.can_manage_ballot(request.user, ballot):
        raise PermissionDenied
    return ballot


@require_http_methods(["GET"])
@login_required
def ballot_manage(request, ballot_id: int):
    """The staff page; `find` looks a voter up by unit or name for a paper sheet,
    `sheet` and `witness` carry the stack's next sheet number and its scrutineer."""
    ballot = _manager(request, ballot_id)
    find = request.GET.get("find", "")[:40]
    context = selectors.manage_context(ballot)
    context["paper"] = {
        "find": find,
        "candidates": selectors.paper_entry_candidates(ballot, find),
        "sheet": request.GET.get("sheet", "")[:40],
        "witness": request.GET.get("witness", "")[:50],
    }
    context["notice"] = opening.notice_facts(ballot)
    context["notice_channels"] = opening.notice_channel_choices()
    context["missing_area"] = opening.missing_area_context(ballot)
    context["roll_problems"] = opening.roll_problems(ballot)
    return render(request, "consultation/ballots/ballot_manage.html", context)


STATE_ACTIONS = {
    "open": services.ballot_open,
    "close": services.ballot_close,
    "publish": services.ballot_publish,
}


@require_POST
@login_required
def ballot_state(request, ballot_id: int):
    ballot = _manager(request, ballot_id)
    action = STATE_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _refuse(request, ballot, _(BAD_FORM), 400, "bad_form")
    try:
        action(ballot_id=ballot.pk, actor=request.user)
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    messages.success(request, _("已完成。 Done."))
    return redirect("ballots:ballot_manage", ballot_id=ballot.pk)


@require_POST
@login_required
def paper_enter(request, ballot_id: int):
    """Staff enter a paper ballot (or a door-to-door written opinion)."""
    ballot = _manager(request, ballot_id)
    channel = request.POST.get("channel", "paper")
    invalid = request.POST.get("invalid") == "1"
    try:
        result = services.paper_vote_enter(
            ballot_id=ballot.pk,
            entry_id=int(request.POST.get("entry", "")),
            selection=None
            if ballot.is_secret
            else selection_from_form(ballot.kind, request.POST),
            sheet_number=request.POST.get("sheet_number", "")[:40],
            witness=request.POST.get("witness", "")[:50],
            actor=request.user,
            channel=channel if channel in ("paper", "door", "proxy") else "paper",
            invalid=invalid,
        )
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    except (FormError, ValueError, RecursionError) as error:
        return _refuse(request, ballot, _(BAD_FORM), _form_status(error), "bad_form")
    del result  # a paper voter's receipt is never shown to staff
    messages.success(
        request,
        _("废票已登记。 Invalid paper recorded.")
        if invalid and not ballot.is_secret
        else _("纸质选票已录入。 Paper ballot entered."),
    )
    # The next sheet of the stack: its number and the same scrutineer, filled in.
    following = urlencode(
        {
            "sheet": next_sheet_number(request.POST.get("sheet_number", "")[:40]),
            "witness": request.POST.get("witness", "")[:50],
        }
    )
    target = reverse("ballots:ballot_manage", args=[ballot.pk])
    return redirect(f"{target}?{following}#paper")


@require_POST
@login_required
def secret_paper(request, ballot_id: int):
    """Staff count one anonymous paper from a secret ballot's box (no voter named)."""
    ballot = _manager(request, ballot_id)
    try:
        services.secret_paper_enter(
            ballot_id=ballot.pk,
            selection=selection_from_form(ballot.kind, request.POST),
            actor=request.user,
            invalid=request.POST.get("invalid") == "1",
        )
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    except (FormError, ValueError) as error:
        return _refuse(request, ballot, _(BAD_FORM), _form_status(error), "bad_form")
    messages.success(request, _("选票内容已计入。 Paper counted."))
    return redirect("ballots:ballot_manage", ballot_id=ballot.pk)


@require_POST
@login_required
def proxy_add(request, ballot_id: int):
    ballot = _manager(request, ballot_id)
    try:
        holder = selectors.person_or_none(int(request.POST.get("holder", "")))
        if holder is None:
            raise ValueError("no such person")
        services.proxy_register(
            ballot_id=ballot.pk,
            principal_entry_id=int(request.POST.get("principal", "")),
            holder=holder,
            authorisation=request.FILES.get("authorisation"),
            actor=request.user,
        )
    except (services.BallotError, UploadRefused) as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    except ValueError:
        return _refuse(request, ballot, _(BAD_FORM), 400, "bad_form")
    messages.success(request, _("委托已登记。 Proxy recorded."))
    return redirect("ballots:ballot_manage", ballot_id=ballot.pk)


@require_http_methods(["GET"])
@login_required
def proxy_authorisation(request, ballot_id: int, proxy_id: int):
    """A proxy's written authorisation, to those who manage the ballot only."""
    ballot = _manager(request, ballot_id)
    proxy = selectors.proxy_or_none(ballot, proxy_id)
    if proxy is None:
        raise Http404
    return file_response(
        proxy.authorisation, download_name=f"委托书-{ballot.pk}-{proxy.pk}"
    )


@require_http_methods(["GET"])
@login_required
def official_document(request, ballot_id: int):
    """The official result's source document, to those who manage the ballot only."""
    ballot = _manager(request, ballot_id)
    published = selectors.published_tally_or_none(ballot)
    if published is None:
        raise Http404
    return file_response(
        published.source_document, download_name=f"官方结果-{ballot.pk}"
    )


@require_POST
@login_required
def proxy_vote(request, ballot_id: int):
    """A proxy holder votes for the principal named in their authorisation."""
    ballot = _ballot(ballot_id)
    person = _person(request)
    if person is None:
        message = _(
            "您的账号未关联居民信息。 Your account is not linked to a resident."
        )
        return _refuse(request, ballot, message, 403, "proxy_refused")
    try:
        result = services.proxy_vote_cast(
            ballot_id=ballot.pk,
            holder=person,
            principal_entry_id=int(request.POST.get("principal", "")),
            selection=selection_from_form(ballot.kind, request.POST),
            idempotency_key=idempotency_key_from(request.POST),
        )
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    except (FormError, ValueError, RecursionError) as error:
        return _refuse(request, ballot, _(BAD_FORM), _form_status(error), "bad_form")
    context = {"ballot": ballot, "result": result}
    return render(
        request, "consultation/ballots/vote_recorded.html", context, status=201
    )


@require_http_methods(["GET", "POST"])
@login_required
def decision_calculator(request):
    """Staff counting a paper assembly apply a rule to their totals."""
    if not is_register_staff(request.user):
        raise PermissionDenied
    context = {"rules": all_rules(), "data": request.POST, "evaluation": None}
    status = 200
    if request.method == "POST":
        try:
            rule = lookup(request.POST.get("rule", ""), timezone.localdate())
            context["rule"] = rule
            context["evaluation"] = evaluate(
                rule, calculator_inputs(rule, request.POST)
            ).as_dict()
        except RuleError as error:
            context["error"], status = str(error), 422
    return render(
        request, "consultation/ballots/calculator.html", context, status=status
    )


@require_http_methods(["GET"])
def ballot_list(request):
    context = selectors.ballots_for(request.user)
    context["managed"] = [
        ballot
        for ballot in context["managed"]
        if permissions.can_manage_ballot(request.user, ballot)
    ]
    return render(request, "consultation/ballots/ballot_list.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def ballot_new(request, community: str):
    community = selectors.community_or_none(community)
    if community is None:
        raise Http404
    if not can_change_register(request.user, community):
        raise PermissionDenied
    # A compound's ballot only where the user answers for the whole compound
    # (permissions.can_convene_compound); the service checks again.
    scopes = selectors.scope_choices(
        community,
        compounds=permissions.convenable_compounds(request.user, community),
    )
    form = BallotForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind, _sep, scope_id = data["scope"].partition(":")
        compound_id = int(scope_id) if kind == "compound" else None
        try:
            ballot = services.ballot_create(
                community=community,
                compound=selectors.compound_of(community, compound_id),
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                options=data["option_labels"],
                basis=data["basis"],
                scope=RollScope(kind, int(scope_id)),
                rule_id=data["rule_id"],
                weighted_by_area=data["weighted_by_area"] and data["basis"] == "owners",
                concerns_parking=data["concerns_parking"] and data["basis"] == "owners",
                secrecy=data["secrecy"],
                results_visibility=data["results_visibility"],
                min_choices=data["min_choices"],
                max_choices=data["max_choices"],
                seats=data["seats"],
                actor=request.user,
            )
        except services.BallotError as error:
            form.add_error(None, error.message)
        else:
            return redirect("ballots:ballot_manage", ballot_id=ballot.pk)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "community": community}
    return render(
        request, "consultation/ballots/ballot_new.html", context, status=status
    )


def _bounded(value: str, limit: int = 10_000_000) -> int:
    number = int(value)
    if not 0 <= number <= limit:
        raise ValueError("out of range")
    return number


@require_POST
@login_required
def official_result(request, ballot_id: int):
    """Staff record the binding result of a consultative ballot from its document."""
    ballot = _manager(request, ballot_id)
    post = request.POST
    try:
        counts = {
            option.pk: (
                _bounded(post.get(f"heads_{option.pk}") or "0"),
                parse_area(post.get(f"area_{option.pk}") or "0"),
            )
            for option in selectors.ballot_options(ballot)
        }
        services.official_result_record(
            ballot_id=ballot.pk,
            option_counts=counts,
            roll_heads=_bounded(post.get("roll_heads", "")),
            roll_area=parse_area(post.get("roll_area", "")),
            source_document=request.FILES.get("source_document"),
            actor=request.user,
        )
    except (services.BallotError, UploadRefused) as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    except RuleError as error:  # an area with more than two decimals, say
        return _refuse(request, ballot, str(error), 422, "bad_area")
    except ValueError:
        return _refuse(request, ballot, _(BAD_FORM), 400, "bad_form")
    messages.success(request, _("官方表决结果已录入并公布。 Official result recorded."))
    return redirect("ballots:ballot_manage", ballot_id=ballot.pk)
