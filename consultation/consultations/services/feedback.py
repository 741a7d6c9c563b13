"""Residents' feedback on a published result: one per person, on their own account."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from consultation.records.services.errors import RecordsConflict, forbidden

from .. import permissions
from ..domain.machine import accepts_feedback
from ..models import Feedback
from .base import audit, locked, text_of


@transaction.atomic
def feedback_leave(*, consultation_id, actor, text) -> Feedback:
    consultation = locked(consultation_id)
    if not permissions.can_give_feedback(actor, consultation.community):
        raise forbidden(
            _(
                "只有本社区居民可以登录后反馈。 Only residents of this community may "
                "leave feedback."
            )
        )
    if not accepts_feedback(consultation.status_enum):
        raise RecordsConflict(
            _("协商结果公开后才能反馈。 Feedback opens once the result is published."),
            code="not_published",
        )
    person = permissions.person_of(actor)
    body = text_of(text, _("反馈"), limit=2000)
    if Feedback.objects.filter(consultation=consultation, person=person).exists():
        raise RecordsConflict(
            _("您已经反馈过。 You have already left feedback."), code="duplicate"
        )
    try:
        with transaction.atomic():
            row = Feedback.objects.create(
                consultation=consultation, person=person, text=body
            )
    except IntegrityError:
        raise RecordsConflict(
            _("您已经反馈过。 You have already left feedback."), code="duplicate"
        ) from None
    audit(actor, "consultation_feedback", consultation, feedback=row.pk)
    return row
