"""Consultation services: the only code that writes consultations.

Each takes the `actor`, asks `permissions` (403), then the state machine (409 for a
step out of order), then checks its input (422); all inside one transaction with
the consultation row locked, so a refusal writes nothing. Each writes one audit line.
"""

from consultation.records.services.errors import (
    RecordsConflict,
    RecordsError,
    RecordsForbidden,
    RecordsNotFound,
)

from .feedback import feedback_leave
from .steps import (
    ParticipantInput,
    PositionInput,
    consultation_close,
    consultation_confirm,
    consultation_create,
    consultation_implement,
    consultation_notice,
    consultation_opinion,
    consultation_publish_result,
    consultation_session,
    consultation_withdraw,
    notice_days_of,
)

__all__ = [
    "ParticipantInput",
    "PositionInput",
    "RecordsConflict",
    "RecordsError",
    "RecordsForbidden",
    "RecordsNotFound",
    "consultation_close",
    "consultation_confirm",
    "consultation_create",
    "consultation_implement",
    "consultation_notice",
    "consultation_opinion",
    "consultation_publish_result",
    "consultation_session",
    "consultation_withdraw",
    "feedback_leave",
    "notice_days_of",
]
