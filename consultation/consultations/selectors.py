"""What consultation pages read."""

from __future__ import annotations

from django.urls import reverse

from yishi import deadlines

from .domain.machine import ACTION_LABELS_ZH, accepts_feedback, next_action
from .domain.notice import notice_check
from .domain.topics import ReservedTo, not_a_decision_zh, reserved_to
from .models import Consultation


def consultations_of_community(community, limit: int = 100):
    return list(
        Consultation.objects.filter(community=community).order_by("-created_at", "-pk")[
            :limit
        ]
    )


def _decision_link(consultation) -> tuple[str, str]:
    body = reserved_to(consultation.category)
    slug = consultation.community.slug
    if body is ReservedTo.OWNERS_ASSEMBLY:
        return reverse("ballots:ballot_new", args=[slug]), "发起业主表决"
    if body is ReservedTo.RESIDENTS_MEETING:
        return reverse("records:matter_new", args=[slug]), "新建议题提交居民会议"
    return "", ""


def consultation_page(consultation_id: int) -> dict | None:
    consultation = (
        Consultation.objects.select_related("community", "matter", "meeting")
        .filter(pk=consultation_id)
        .first()
    )
    if consultation is None:
        return None
    notice = None
    if consultation.notice_on and consultation.notice_days:
        notice = notice_check(
            consultation.notice_on, consultation.notice_days, deadlines.calendar()
        )
    link, link_label = _decision_link(consultation)
    action = next_action(consultation.status_enum)
    return {
        "consultation": consultation,
        "participants": list(consultation.participants.all()),
        "positions": list(consultation.positions.all()),
        "feedback": list(consultation.feedback.select_related("person")),
        "notice": notice,
        "not_a_decision": not_a_decision_zh(consultation.category),
        "decision_link": link,
        "decision_link_label": link_label,
        "next_action": action.value if action else "",
        "next_action_label": ACTION_LABELS_ZH[action] if action else "",
        "accepts_feedback": accepts_feedback(consultation.status_enum),
    }


def consultation_or_none(consultation_id: int):
    return (
        Consultation.objects.select_related("community")
        .filter(pk=consultation_id)
        .first()
    )
