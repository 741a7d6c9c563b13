"""Staff prepare a draft ballot from its manage page: record the notice (公告) and
confirm that parts without a recorded area count as zero. Each view parses the form,
checks that the user may manage the ballot, and calls one service; a refusal answers
with the service's status and message, and nothing is written."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .views import BAD_FORM, _manager, _refuse


def _notice_date(value: str) -> dt.date:
    """An ISO date (YYYY-MM-DD) from the form; ValueError otherwise."""
    value = value.strip()
    if len(value) != 10:
        raise ValueError("not an ISO date")
    return dt.date.fromisoformat(value)


@require_POST
@login_required
def notice_record(request, ballot_id: int):
    """Record the notice's date and channels (a draft only; 409 once open)."""
    ballot = _manager(request, ballot_id)
    try:
        published_on = _notice_date(request.POST.get("published_on", ""))
    except ValueError:
        message = _(
            "公告日期格式不正确，请填写如 2026-03-01 的日期。"
            " The notice date could not be read: use a date such as 2026-03-01."
        )
        return _refuse(request, ballot, message, 422, "bad_notice_date")
    try:
        services.notice_record(
            ballot_id=ballot.pk,
            published_on=published_on,
            channels=request.POST.getlist("channels")[:10],
            actor=request.user,
        )
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    messages.success(request, _("公告已登记。 Notice recorded."))
    return redirect("ballots:ballot_manage", ballot_id=ballot.pk)


@require_POST
@login_required
def zero_area_confirm(request, ballot_id: int):
    """Confirm that the chosen parts without an area count as zero for this ballot."""
    ballot = _manager(request, ballot_id)
    try:
        part_ids = [int(value) for value in request.POST.getlist("part")[:1000]]
    except ValueError:
        return _refuse(request, ballot, _(BAD_FORM), 400, "bad_form")
    try:
        services.zero_area_confirm(
            ballot_id=ballot.pk, part_ids=part_ids, actor=request.user
        )
    except services.BallotError as error:
        return _refuse(request, ballot, error.message, error.status, error.code)
    messages.success(request, _("已确认按零面积计。 Confirmed: counted as zero area."))
    return redirect("ballots:ballot_manage", ballot_id=ballot.pk)
