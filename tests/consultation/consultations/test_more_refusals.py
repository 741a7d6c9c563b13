"""More refusals: the setting's bounds, a matter of another community, a session
held before the notice period ran out, withdrawal, feedback through the page, the
matter page linking the consultations that feed it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.ballots.services import BallotError, voting_settings_update
from consultation.consultations import services
from consultation.consultations.models import Consultation, Feedback
from consultation.records.models import Meeting
from tests.consultation.records.conftest import build_place, linked_user, open_matter

from .test_services_and_views import POS, P, _at, _new, _to_notice


@pytest.fixture
def place(db):
    return build_place(residents=3)


@pytest.mark.parametrize("days", [0, 61, True, "5"])
def test_notice_days_setting_out_of_bounds_is_refused(place, days):
    with pytest.raises(BallotError) as refused:
        voting_settings_update(
            community=place.community, actor=None, consultation_notice_days=days
        )
    assert refused.value.status == 422


def test_notice_days_setting_is_used(place):
    voting_settings_update(
        community=place.community, actor=None, consultation_notice_days=30
    )
    c = _new(place)
    with pytest.raises(services.RecordsError) as refused:
        _to_notice(place, c, notice_days_ago=25, session_days_ago=1)
    assert refused.value.code == "notice_too_short"
    assert Consultation.objects.get(pk=c.pk).status == "topic_confirmed"


def test_matter_of_another_community_is_refused(place):
    other = build_place(residents=1)
    voting_settings_update(community=other.community, actor=None, siyi_enabled=True)
    matter = open_matter(other)
    with pytest.raises(services.RecordsError) as refused:
        services.consultation_create(
            community=place.community,
            actor=place.staff,
            title="t",
            source="residents",
            category="other",
            form="online",
            matter_id=matter.pk,
        )
    assert refused.value.status == 422
    assert not Consultation.objects.exists()


def test_session_in_the_future_or_bad_counts_write_no_meeting(place):
    c = _new(place)
    ids = _to_notice(place, c)
    for held, expected, present in (
        (timezone.now() + dt.timedelta(days=1), 5, 4),
        (_at(timezone.localdate() - dt.timedelta(days=20)), 3, 4),
        (_at(timezone.localdate() - dt.timedelta(days=20)), 3, 0),
    ):
        with pytest.raises(services.RecordsError) as refused:
            services.consultation_session(
                held_at=held,
                place="厅",
                expected=expected,
                present=present,
                text="x",
                **ids,
            )
        assert refused.value.status == 422
    assert not Meeting.objects.exists()
    assert Consultation.objects.get(pk=c.pk).status == "notice_given"


def test_session_before_the_notice_period_ran_out_is_422(place):
    c = _new(place)
    ids = _to_notice(place, c, notice_days_ago=3, session_days_ago=-10)
    with pytest.raises(services.RecordsError) as refused:
        services.consultation_session(
            held_at=_at(timezone.localdate() - dt.timedelta(days=2)),
            place="厅",
            expected=3,
            present=2,
            text="x",
            **ids,
        )
    assert refused.value.code == "notice_too_short"


def test_withdraw_then_any_step_is_409(place):
    c = _new(place)
    ids = {"consultation_id": c.pk, "actor": place.staff}
    services.consultation_withdraw(reason="不再需要", **ids)
    with pytest.raises(services.RecordsConflict):
        services.consultation_confirm(participants=[P("group", "a")], **ids)
    with pytest.raises(services.RecordsConflict):
        services.consultation_withdraw(reason="again", **ids)


def test_opinion_without_positions_writes_nothing(place):
    c = _new(place)
    ids = _to_notice(place, c)
    services.consultation_session(
        held_at=_at(timezone.localdate() - dt.timedelta(days=20)),
        place="厅",
        expected=3,
        present=2,
        text="x",
        **ids,
    )
    for positions in ([], [POS("for", "", "x")], [POS("maybe", "a", "x")]):
        with pytest.raises(services.RecordsError):
            services.consultation_opinion(opinion="意见", positions=positions, **ids)
    c.refresh_from_db()
    assert c.status == "session_held"
    assert c.opinion == ""


def _published(place):
    c = _new(place, category="other")
    ids = _to_notice(place, c)
    services.consultation_session(
        held_at=_at(timezone.localdate() - dt.timedelta(days=20)),
        place="厅",
        expected=3,
        present=2,
        text="x",
        **ids,
    )
    services.consultation_opinion(
        opinion="意见", positions=[POS("other", "居委会", "再议")], **ids
    )
    services.consultation_implement(text="落实", **ids)
    services.consultation_publish_result(text="结果", **ids)
    return c


def test_resident_leaves_feedback_on_the_page(place, client):
    c = _published(place)
    page = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert "本协商意见不是法定决定" not in page
    client.force_login(linked_user(place.residents[0]))
    url = reverse("consultations:feedback", args=[c.pk])
    assert client.post(url, {"text": "谢谢"}).status_code == 302
    assert client.post(url, {"text": "再次"}).status_code == 409
    assert client.post(url, {"text": ""}).status_code == 422
    assert Feedback.objects.count() == 1
    Feedback.objects.all().delete()
    typed = "意见" * 10_001  # one character over the form's 20,000
    refused = client.post(url, {"text": typed})
    assert refused.status_code == 422
    shown = refused.content.decode()
    assert 'role="alert"' in shown  # the page again, the message on top...
    assert f"{typed}</textarea>" in shown  # ...and the feedback as typed
    assert 'id="feedback-text"' in shown
    assert not Feedback.objects.exists()
    client.post(url, {"text": "谢谢"})
    page = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert "谢谢" in page


def test_matter_page_links_the_consultation_feeding_it(place, client):
    voting_settings_update(community=place.community, actor=None, siyi_enabled=True)
    matter = open_matter(place)
    c = services.consultation_create(
        community=place.community,
        actor=place.staff,
        title="议事会协商",
        source="committee",
        category="charter_pact",
        form="council",
        matter_id=matter.pk,
    )
    page = client.get(reverse("records:matter", args=[matter.pk])).content.decode()
    assert reverse("consultations:detail", args=[c.pk]) in page
    detail = client.get(reverse("consultations:detail", args=[c.pk])).content.decode()
    assert "仍须由居民会议表决" in detail
