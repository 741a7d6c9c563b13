"""Extending a petition's conclusion date by 30 days (延期, 《信访工作条例》第三十四条).

The rule is the domain's (`domain/extension.py`: petition profile only, once, while
being handled, before the date has passed); who may is `permissions.can_extend`
(the community's editors, the subdistrict's staff). The resident is told the new
date and the reason, as the regulation requires; the handlers hear of it too.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yishi import deadlines
from yishi.deadlines.domain import DeadlineError

from .. import permissions
from ..domain.extension import extended_due
from ..domain.lifecycle import LifecycleError, State
from ..errors import LiaisonError, forbidden, invalid
from ..models import LiaisonRequest
from .common import clean_text, local_day, lock_request, stats_changed
from .handling import _audit
from .notices import tell_handlers, tell_resident

NOT_PERMITTED = (
    "只有社区或街道工作人员可以批准延期。"
    " Only the community's or the subdistrict's staff approve an extension."
)
_FIELDS = ["due_date", "due_certain", "due_law", "extended_at", "extension_reason"]


def _new_due(request: LiaisonRequest, now):
    try:
        return extended_due(
            request.profile,
            State(request.state),
            referred_on=local_day(request.referred_at) if request.referred_at else None,
            due=request.due_date,
            today=local_day(now),
            already_extended=request.extended_at is not None,
            calendar=deadlines.calendar(),
        )
    except LifecycleError as error:
        raise LiaisonError(str(error), status=409, code=error.code) from error
    except DeadlineError as error:
        raise invalid(str(error), code="due") from error


@transaction.atomic
def request_extend(*, request_id, actor, reason: str, now=None) -> LiaisonRequest:
    """Move a petition's conclusion date to 90 days from referral, once, with a
    reason the resident is told."""
    now = now or timezone.now()
    request = lock_request(request_id)
    if not permissions.can_extend(actor, request):
        raise forbidden(NOT_PERMITTED)
    reason = clean_text(reason, name_zh="延期理由", name_en="reason", limit=1000)
    before = request.due_date
    due = _new_due(request, now)
    request.due_date, request.due_certain = due.last_day, due.certain
    request.due_law = (f"{request.due_law}；经批准延期至 {due.last_day:%Y-%m-%d}")[:200]
    request.extended_at, request.extension_reason = now, reason
    request.save(update_fields=_FIELDS)
    stats_changed()
    _audit(
        request,
        actor,
        "liaison_request_extend",
        due_before=before.isoformat(),
        due=due.last_day.isoformat(),
        reason=reason,
    )
    tell_resident(
        request,
        f"您的诉求办理期限延长至 {due.last_day:%Y-%m-%d}",
        body=f"延期理由 / reason：{reason}",
    )
    tell_handlers(request, "信访事项已延期", extra=[request.assignee])
    return request
