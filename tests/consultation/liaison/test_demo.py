"""The liaison demo: a dozen requests in every state, one overdue and supervised,
the resident's reply waiting for a rating, reception days past and coming; twice."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultation.liaison.domain.lifecycle import shown_state
from consultation.liaison.models import GridWorker, LiaisonRequest, ReceptionDay

pytestmark = pytest.mark.django_db


def test_demo_states_and_idempotence(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    today = timezone.localdate()
    requests = list(LiaisonRequest.objects.all())
    assert len(requests) == 12
    shown = {shown_state(r.state, r.due_date, today) for r in requests}
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
    assert GridWorker.objects.filter(user__username="gridworker").exists()
    assert "gridworker" in capsys.readouterr().out
