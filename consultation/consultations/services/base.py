"""Shared steps of the consultation services: lock, check, apply, audit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from consultation.records.services.errors import (
    RecordsConflict,
    RecordsError,
    forbidden,
    not_found,
)
from yishi.audit import audit_record

from .. import permissions
from ..domain.machine import Action, TransitionRefused, apply
from ..models import Consultation

TEXT_MAX = 20_000


def invalid(message: str, code: str = "invalid") -> RecordsError:
    return RecordsError(message, code=code, status=422)


def text_of(value, label_zh: str, *, required: bool = True, limit=TEXT_MAX) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if required and not text:
        raise invalid(
            _("请填写%(label)s。 This field is required.") % {"label": label_zh},
            "missing",
        )
    if len(text) > limit:
        raise invalid(
            _("%(label)s过长。 Text too long.") % {"label": label_zh}, "too_long"
        )
    return text


def locked(consultation_id: int) -> Consultation:
    found = (
        Consultation.objects.select_for_update()
        .select_related("community")
        .filter(pk=consultation_id)
        .first()
    )
    if found is None:
        raise not_found()
    return found


def advance(consultation_id: int, actor, action: Action) -> Consultation:
    """Lock the consultation, check the actor (403) and the order (409), and set
    the new status on the instance (saved by the caller after its own checks)."""
    consultation = locked(consultation_id)
    if not permissions.can_manage(actor, consultation.community):
        raise forbidden()
    try:
        consultation.status = apply(consultation.status_enum, action).value
    except TransitionRefused as refused:
        raise RecordsConflict(
            f"{refused.message_zh} {refused.message_en}", code=refused.code
        ) from None
    return consultation


def audit(actor, action: str, consultation: Consultation, **detail) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=consultation,
        community_id=consultation.community_id,
        detail={"status": consultation.status, **detail},
    )
