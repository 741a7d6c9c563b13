"""Staff pages of accounts: the queue of link requests, and printing a slip."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import permissions, selectors, services
from .domain.codes import group_digits
from .services import AccountError

TEMPLATES = "neighbourhoods/accounts/"


def _queue_page(request, *, error="", status=200):
    if not permissions.review_communities(request.user).exists():
        raise PermissionDenied
    context = {"items": selectors.link_queue(request.user), "error": error}
    return render(request, TEMPLATES + "link_queue.html", context, status=status)


@require_GET
@login_required
def link_queue(request):
    """待核实的账号关联: the pending claims of the communities one edits."""
    return _queue_page(request)


def _pending_or_404(user, request_id: int):
    link_request = selectors.link_request_by_id(request_id)
    if link_request is None:
        raise Http404
    if not permissions.can_review_links(user, link_request.community):
        raise PermissionDenied
    return link_request


@require_POST
@login_required
def link_verify(request, request_id: int):
    link_request = _pending_or_404(request.user, request_id)
    person = selectors.person_by_id(request.POST.get("person"))
    try:
        if person is None:
            raise AccountError(
                _("请选择名册中的居民。 Choose the resident in the register.")
            )
        services.link_request_verify(
            actor=request.user, link_request=link_request, person=person
        )
    except AccountError as error:
        return _queue_page(request, error=error.message, status=error.status)
    messages.success(
        request, _("已核实：%(name)s 的账号已关联。") % {"name": person.full_name}
    )
    return redirect("accounts:link_queue")


@require_POST
@login_required
def link_reject(request, request_id: int):
    link_request = _pending_or_404(request.user, request_id)
    try:
        services.link_request_reject(
            actor=request.user,
            link_request=link_request,
            reason=str(request.POST.get("reason", ""))[:400],
        )
    except AccountError as error:
        return _queue_page(request, error=error.message, status=error.status)
    messages.success(request, _("已退回这份申请。"))
    return redirect("accounts:link_queue")


@never_cache
@require_POST
@login_required
def slip_issue(request, person_id: int):
    """开通账号并打印登录条: the printable slip; its code is shown only now."""
    person = selectors.person_by_id(person_id)
    if person is None:
        raise Http404
    if not permissions.can_issue_slip(request.user, person):
        raise PermissionDenied
    try:
        slip = services.signin_slip_issue(actor=request.user, person=person)
    except AccountError as error:
        context = {"person": person, "error": error.message}
        return render(
            request, TEMPLATES + "slip_refused.html", context, status=error.status
        )
    context = {
        "slip": slip,
        "code_groups": group_digits(slip.code),
        "signin_url": request.build_absolute_uri(reverse("accounts:slip_signin")),
    }
    return render(request, TEMPLATES + "slip_print.html", context)
