"""The resident's satisfaction with the reply, closing and reopening a request.

Only the resident who submitted a request rates it or reopens it. A rating (1–5)
is kept on the request; the community's satisfaction is read from these ratings
(`selectors.community_satisfaction`, which the community-duties assessment reads).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from .. import permissions
from ..domain.lifecycle import Action, LifecycleError, check_rating
from ..errors import LiaisonError, forbidden
from ..models import LiaisonRequest
from .common import clean_text, lock_request, stats_changed, step
from .handling import _audit
from .notices import tell_handlers


@transaction.atomic
def request_rate(
    *, request_id, actor, score, comment: str = "", now=None
) -> LiaisonRequest:
    now = now or timezone.now()
    request = lock_request(request_id)
    if actor is not None and not permissions.is_resident(actor, request):
        raise forbidden(
            "只有提出诉求的居民可以评价。 Only the resident who asked rates it."
        )
    state = step(request, Action.RATE, now)
    try:
        request.rating = check_rating(score)
    except LifecycleError as error:
        raise LiaisonError(str(error), status=422, code="rating") from error
    request.rating_comment = clean_text(
        comment, name_zh="评价意见", name_en="comment", limit=1000, required=False
    )
    request.rated_at = now
    request.state = state
    request.save(update_fields=["state", "rating", "rating_comment", "rated_at"])
    stats_changed()
    _audit(request, actor, "liaison_request_rate", rating=request.rating)
    tell_handlers(
        request, f"居民已评价（{request.rating} 分）", extra=[request.assignee]
    )
    return request


@transaction.atomic
def request_close(*, request_id, actor, now=None) -> LiaisonRequest:
    now = now or timezone.now()
    request = lock_request(request_id)
    if not (
        permissions.can_handle(actor, request)
        or permissions.is_resident(actor, request)
    ):
        raise forbidden()
    request.state = step(request, Action.CLOSE, now)
    request.closed_at = now
    request.save(update_fields=["state", "closed_at"])
    stats_changed()
    _audit(request, actor, "liaison_request_close")
    return request


@transaction.atomic
def request_reopen(*, request_id, actor, reason: str, now=None) -> LiaisonRequest:
    """The resident is not satisfied: the request goes back to be referred again."""
    now = now or timezone.now()
    request = lock_request(request_id)
    if actor is not None and not permissions.is_resident(actor, request):
        raise forbidden(
            "只有提出诉求的居民可以要求重新办理。 Only the resident reopens it."
        )
    request.state = step(request, Action.REOPEN, now)
    reason = clean_text(reason, name_zh="重新办理的理由", name_en="reason", limit=1000)
    request.reopened_count += 1
    # New due dates are counted when it is referred again.
    request.due_date = request.accept_due_date = None
    request.save(
        update_fields=["state", "reopened_count", "due_date", "accept_due_date"]
    )
    stats_changed()
    _audit(request, actor, "liaison_request_reopen", reason=reason)
    tell_handlers(request, "居民要求重新办理", extra=[request.assignee])
    return request
