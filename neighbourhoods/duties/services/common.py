"""Shared by the duties services: the day, numbering, the audit line."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from yishi.audit import audit_record


def local_day(now: datetime | None = None) -> date:
    return timezone.localdate(now or timezone.now())


def audit(actor, action: str, target, *, community_id=None, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target,
        community_id=community_id,
        detail=detail,
    )


def next_number(queryset, prefix: str) -> str:
    """`prefix` + the next sequence (4 digits) among numbers starting with it; the
    caller holds a lock on the row that owns the sequence."""
    taken = queryset.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def text(value: str, limit: int, field: str, *, required: bool = True) -> str:
    from .errors import invalid

    value = (value or "").strip()
    if required and not value:
        raise invalid(f"请填写{field}。 {field} is required.", code="required")
    if len(value) > limit:
        raise invalid(
            f"{field}不能超过 {limit} 个字。 {field}: at most {limit} characters.",
            code="too_long",
        )
    if "\x00" in value:  # PostgreSQL keeps no NUL in text
        raise invalid(
            f"{field}含有无法保存的字符。 {field}: a character that cannot be kept.",
            code="bad_character",
        )
    return value
