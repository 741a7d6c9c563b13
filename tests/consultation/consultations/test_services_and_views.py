"""Consultation services and pages: the whole walk, refusals with their status,
nothing half-written, residents' feedback, the not-a-decision notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.consultations import services
from consultation.consultations.models import Consultation, Feedback, Participant
from consultation.records.models import Meeting
from tests.consultation.records.conftest import build_place, linked_user
from tests.neighbourhoods.factories import UserFactory

P = services.ParticipantInput
POS = services.PositionInput


@pytest.fixture
def place(db):
    return build_place(residents=3)


def _new(place, category="owners_fund_use"):
    return services.consultation_create(
        community=place.community,
        actor=place.staff,
        title="楼道堆物清理",
        source="residents",
        category=category,
        form="council",
    )


def _at(day, hour=19):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _to_notice(place, c, notice_days_ago=40, session_days_ago=20):
    ids = {"consultation_id": c.pk, "actor": place.staff}
    services.consultation_confirm(participants=[P("group", "居委会")], **ids)
    today = timezone.localdate()
    services.consultation_notice(
        notice_on=today - dt.timedelta(days=notice_days_ago),
        session_at=_at(today - dt.timedelta(days=session_days_ago)),
        place="议事厅",
        text="请参加。",
        **ids,
    )
    return ids


def test_whole_walk_with_feedback(place):
    c = _new(place)
    ids = _to_notice(place, c)
    services.consultation_session(
        held_at=_at(timezone.localdate() - dt.timedelta(days=20)),
        place="议事厅",
        expected=5,
        present=4,
        text="讨论",
        **ids,
    )
    services.consultation_opinion(
        opinion="同意",
        positions=[POS("for", "居委会", "好"), POS("against", "一楼住户", "不好")],
        dissent="一楼住户反对",
        **ids,
    )
    services.consultation_implement(text="落实", **ids)
    services.consultation_publish_result(text="已完成", **ids)
    c.refresh_from_db()
    assert c.status == "result_published"
    assert Meeting.objects.get(pk=c.meeting_id).kind == "consultation"
    resident = linked_user(place.residents[0])
    services.feedback_leave(consultation_id=c.pk, actor=resident, text="很好")
    with pytest.raises(services.RecordsConflict):
        services.feedback_leave(consultation_id=c.pk, actor=resident, text="再来")
    assert Feedback.objects.count() == 1
    services.consultation_close(**ids)


def test_out_of_order_is_409_and_writes_nothing(place):
    c = _new(place)
    with pytest.raises(services.RecordsConflict) as refused:
        services.consultation_opinion(
            consultation_id=c.pk,
            actor=place.staff,
            opinion="x",
            positions=[POS("for", "a", "b")],
        )
    assert refused.value.status == 409
    c.refresh_from_db()
    assert c.status == "topic_collected"
    assert c.opinion == ""


def test_session_before_notice_period_is_422_with_earliest_date(place):
    c = _new(place)
    services.consultation_confirm(
        consultation_id=c.pk, actor=place.staff, participants=[P("group", "居委会")]
    )
    today = timezone.localdate()
    with pytest.raises(services.RecordsError) as refused:
        services.consultation_notice(
            consultation_id=c.pk,
            actor=place.staff,
            notice_on=today,
            session_at=_at(today + dt.timedelta(days=1)),
            place="议事厅",
            text="请参加。",
        )
    assert refused.value.status == 422
    assert "最早为" in refused.value.message
    assert "at the earliest" in refused.value.message
    c.refresh_from_db()
    assert c.status == "topic_confirmed"
    assert c.notice_on is None


def test_bad_participants_write_nothing(place):
    c = _new(place)
    with pytest.raises(services.RecordsError) as refused:
        services.consultation_confirm(
            consultation_id=c.pk,
            actor=place.staff,
            participants=[P("group", "居委会"), P("group", "居委会")],
        )
    assert refused.value.status == 422
    assert Participant.objects.count() == 0
    c.refresh_from_db()
    assert c.status == "topic_collected"


def test_outsider_is_refused_403(place):
    c = _new(place)
    with pytest.raises(services.RecordsForbidden):
        services.consultation_confirm(
            consultation_id=c.pk, actor=UserFactory(), participants=[P("group", "a")]
        )


def test_feedback_before_result_is_409_and_non_resident_403(place):
    c = _new(place)
    resident = linked_user(place.residents[0])
    with pytest.raises(services.RecordsConflict):
        services.feedback_leave(consultation_id=c.pk, actor=resident, text="x")
    with pytest.raises(services.RecordsForbidden):
        services.feedback_leave(consultation_id=c.pk, actor=UserFactory(), text="x")


def test_public_page_says_opinion_is_not_a_legal_decision(place, client):
    c = _new(place)
    response = client.get(reverse("consultations:detail", args=[c.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "本协商意见不是法定决定" in body
    assert "仍须由业主大会表决" in body
    listing = client.get(
        reverse("consultations:community", args=[place.community.slug])
    )
    assert c.title in listing.content.decode()


def test_view_step_out_of_order_answers_409(place, client):
    c = _new(place)
    client.force_login(place.staff)
    url = reverse("consultations:step", args=[c.pk, "publish_result"])
    response = client.post(url, {"text": "结果"})
    assert response.status_code == 409
    assert Consultation.objects.get(pk=c.pk).result == ""


def test_view_step_by_outsider_is_403(place, client):
    c = _new(place)
    client.force_login(UserFactory())
    url = reverse("consultations:step", args=[c.pk, "confirm_topic"])
    assert client.post(url, {"participants": "居委会"}).status_code == 403


def test_view_confirm_and_notice_too_early_422(place, client):
    c = _new(place)
    client.force_login(place.staff)
    url = reverse("consultations:step", args=[c.pk, "confirm_topic"])
    assert (
        client.post(url, {"participants": "#居委会｜组织\n张三｜居民"}).status_code
        == 302
    )
    today = timezone.localdate()
    response = client.post(
        reverse("consultations:step", args=[c.pk, "give_notice"]),
        {
            "notice_on": today.isoformat(),
            "session_at": f"{today.isoformat()} 19:00",
            "place": "厅",
            "text": "通知",
        },
    )
    assert response.status_code == 422
    assert "最早为" in response.content.decode()
    assert 'role="alert"' in response.content.decode()  # the page, the form kept:
    assert 'value="厅"' in response.content.decode()
    # A step already taken (another tab, another manager), sent with a bad form:
    # not put back in the box of the step now next.
    stale = client.post(url, {"participants": ""})
    assert stale.status_code == 409
    assert "这一步已由他人办理" in stale.content.decode()
