"""The liaison demo: a dozen requests in every state, one overdue and supervised,
the resident's reply waiting for a rating, reception days past (with summaries) and
coming, a petition waiting to be accepted and one extended; twice."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultation.liaison import demo_petitions
from consultation.liaison.domain.lifecycle import shown_state
from consultation.liaison.models import GridWorker, LiaisonRequest, ReceptionDay

pytestmark = pytest.mark.django_db


def test_demo_states_and_idempotence(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    today = timezone.localdate()
    requests = list(LiaisonRequest.objects.all())
    assert len(requests) == 14
    shown = {
        shown_state(r.state, r.due_date, today, r.accept_due_date) for r in requests
    }
    assert {
        "submitted",
        "registered",
        "classified",
        "referred",
        "in_progress",
        "overdue",
        "supervised",
        "replied",
        "rated",
        "closed",
        "reopened",
    } <= shown
    supervised = next(r for r in requests if r.state == "supervised")
    assert supervised.due_date < today
    waiting = [
        r
        for r in requests
        if r.state == "replied" and r.resident.username == "resident"
    ]
    assert waiting
    days = ReceptionDay.objects.filter(representatives__person__user__username="deputy")
    assert days.filter(day__lt=today).count() == 2
    assert days.filter(day__gte=today).count() == 2
    assert all(d.summary for d in days.filter(day__lt=today))
    assert GridWorker.objects.filter(user__username="gridworker").exists()
    waiting = next(r for r in requests if r.title == demo_petitions.WAITING)
    assert (waiting.state, waiting.profile) == ("referred", "petition")
    assert waiting.accept_due_date >= today  # shown as due, not yet overdue
    extended = next(r for r in requests if r.title == demo_petitions.EXTENDED)
    assert extended.extended_at is not None
    assert extended.extension_reason == demo_petitions.EXTENSION_REASON
    assert extended.due_date >= today
    assert extended.state == "in_progress"
    assert "gridworker" in capsys.readouterr().out
