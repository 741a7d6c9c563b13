"""The drafting group's page: each step of the version under way is one POST."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import permissions, selectors, services
from .domain.kinds import adoption_of
from .domain.lifecycle import CHECKLIST, OPEN_STATES
from .models import Handling
from .views import _number, _page, refuse


def _day(value: str):
    try:
        return dt.date.fromisoformat((value or "")[:10])
    except ValueError:
        raise services.PactError(
            _("日期格式应为 2026-10-01。 Give the date as 2026-10-01."), status=422
        ) from None


def _open_version(page, request):
    version_id = _number(request.POST.get("version"))
    version = page.versions.filter(pk=version_id).first()
    if version is None:
        raise services.PactError(_("没有这个公约版本。 No such version."), status=404)
    return version


def _run(request, page, action: str):
    record_url = request.build_absolute_uri(page.url)
    actor, post = request.user, request.POST
    if action == "amend":
        return services.pact_amend(page_id=page.pk, actor=actor)
    if action == "update":
        return services.draft_update(page_id=page.pk, actor=actor)
    if action == "repeal":
        return services.pact_repeal(page_id=page.pk, actor=actor)
    if action == "handle":
        return services.comment_handle(
            comment_id=_number(post.get("comment")) or 0,
            handling=post.get("handling", ""),
            reason=post.get("reason", ""),
            actor=actor,
        )
    version = _open_version(page, request)
    steps = {
        "open_comment": lambda: services.comment_period_open(
            version_id=version.pk, actor=actor, days=_number(post.get("days")) or 0
        ),
        "end_comment": lambda: services.comment_period_end(
            version_id=version.pk, actor=actor
        ),
        "sign_off": lambda: services.review_sign_off(
            version_id=version.pk,
            checks=post.getlist("checks"),
            reviewer_name=post.get("reviewer_name", ""),
            note=post.get("note", ""),
            actor=actor,
        ),
        "return": lambda: services.review_return(
            version_id=version.pk, actor=actor, note=post.get("note", "")
        ),
        "vote": lambda: services.vote_open(
            version_id=version.pk,
            basis=post.get("basis", ""),
            matter_id=_number(post.get("matter")),
            actor=actor,
        ),
        "record_vote": lambda: services.vote_record(
            version_id=version.pk, actor=actor, record_url=record_url
        ),
        "file": lambda: services.filing_record(
            version_id=version.pk,
            authority=post.get("authority", ""),
            filed_on=_day(post.get("filed_on", "")),
            receipt=request.FILES.get("receipt"),
            actor=actor,
            record_url=record_url,
        ),
        "force": lambda: services.force_enter(version_id=version.pk, actor=actor),
    }
    if action not in steps:
        raise services.PactError(_("未知的操作。 Unknown action."), status=422)
    return steps[action]()


@login_required
def manage(request, page_id: int):
    page = _page(page_id)
    if not permissions.can_manage(request.user, page):
        raise Http404
    if request.method == "POST":
        try:
            _run(request, page, request.POST.get("action", ""))
        except services.PactError as error:
            return refuse(request, error.message, error.status, request.path)
        return redirect(request.path)
    context = selectors.pact_public(page, user=request.user)
    current = page.versions.filter(state__in=sorted(OPEN_STATES)).first()
    return render(
        request,
        "residents_pact/manage.html",
        {
            "page": page,
            "pact": context,
            "current": current,
            "report": selectors.handling_report(current) if current else None,
            "checklist": CHECKLIST,
            "handlings": Handling.choices,
            "bases": adoption_of(page.kind).bases,
        },
    )
