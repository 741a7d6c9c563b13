"""The audit log: every service that changes a record says who did what, and when.

One call, `audit_record`, inside the service's transaction (the line is written or
rolled back with the change). Labels and details are masked like every log line: no
full ID-card or private phone number reaches the log.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from yishi.models import AuditEntry
from yishi.privacy import scrub

LABEL_LENGTH = 200


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {str(key): _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return scrub(str(value))


def _actor_name(actor) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return ""
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return scrub(full or actor.get_username())[:150]


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model,
    community_id: int | None = None,
    detail: dict | None = None,
) -> AuditEntry:
    """Write one audit line. `action` is the service's name (`ballot_open`);
    `actor` a user, or None for the system (a command run by an operator)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        actor_name=_actor_name(actor),
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=scrub(str(target))[:LABEL_LENGTH],
        community_id=community_id,
        detail=_scrubbed(detail or {}),
    )
