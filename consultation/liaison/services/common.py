"""What the liaison services share: the locked read of a request, text checks, the
day in Asia/Shanghai, the lifecycle step, and the statistics' version."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from ..domain.lifecycle import (
    Action,
    LifecycleError,
    Route,
    Situation,
    State,
    next_state,
)
from ..errors import LiaisonError, invalid, not_found
from ..models import LiaisonRequest
from ..selectors import STATS_VERSION_KEY, stats_version  # noqa: F401


def local_day(moment):
    return timezone.localtime(moment).date()


def community_days() -> int:
    return int(getattr(settings, "YISHI_LIAISON_COMMUNITY_DAYS", 15))


def reception_notice_days() -> int:
    return int(getattr(settings, "YISHI_LIAISON_RECEPTION_NOTICE_DAYS", 3))


def clean_text(value, *, name_zh: str, name_en: str, limit: int, required=True) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise invalid(f"{name_zh}不能为空。 The {name_en} is empty.", code="empty")
    if len(text) > limit:
        raise invalid(
            f"{name_zh}最多 {limit} 字。 The {name_en} is at most {limit} characters.",
            code="too_long",
        )
    if "\x00" in text:  # PostgreSQL keeps no NUL in text
        raise invalid(
            f"{name_zh}含有无法保存的字符。 The {name_en} has a character that "
            "cannot be kept.",
            code="bad_character",
        )
    return text


def lock_request(request_id) -> LiaisonRequest:
    found = (
        LiaisonRequest.objects.select_for_update(of=("self",))
        .select_related("community", "representative__person", "assignee", "resident")
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise not_found()
    return found


def step(request: LiaisonRequest, action: Action, now) -> State:
    """The state `action` moves `request` to, as the domain says (409 otherwise)."""
    situation = Situation(
        State(request.state),
        Route(request.route) if request.route else None,
        request.due_date,
        local_day(now),
        request.accept_due_date,
    )
    try:
        return next_state(action, situation)
    except LifecycleError as error:
        raise LiaisonError(str(error), status=409, code=error.code) from error


def _bump() -> None:
    try:
        cache.incr(STATS_VERSION_KEY)
    except ValueError:
        cache.set(STATS_VERSION_KEY, 1, None)


def stats_changed() -> None:
    """The public statistics and archive are stale: now and again on commit."""
    _bump()
    transaction.on_commit(_bump)
