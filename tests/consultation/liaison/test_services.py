"""Requests through their services: who may, what is refused (status, zh/en, nothing
written), due dates, overdue, supervision, reply, rating, reopening, audit lines,
notifications and the idempotent overdue notices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from consultation.liaison import services
from consultation.liaison.errors import LiaisonError
from consultation.liaison.models import LiaisonRequest, OverdueNotice, RequestImage
from tests.consultation.liaison.factories import (
    at,
    draft,
    liaison_setup,
    png,
    referred,
    submitted,
)
from tests.neighbourhoods.factories import UserFactory
from yishi import sms
from yishi.audit import AuditEntry
from yishi.notifications.models import Message

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def liaison():
    return liaison_setup()


def test_online_request_to_a_representative(liaison):
    request = submitted(
        liaison, images=[png()], building_id=liaison.building.pk, now=at(DAY)
    )
    assert request.state == "submitted"
    assert request.community == liaison.community
    assert request.resident == liaison.resident
    assert request.resident_name
    assert request.images.count() == 1
    assert request.images.get().file.name.endswith(".png")
    assert AuditEntry.objects.filter(action="liaison_request_submit").count() == 1
    # the deputy and the community's editor hear of it in their inboxes
    told = set(Message.objects.values_list("recipient_id", flat=True))
    assert {liaison.deputy.pk, liaison.staff.pk} <= told


@pytest.mark.parametrize(
    ("fields", "status", "code"),
    [
        ({"title": "  ", "text": "x"}, 422, "empty"),
        ({"text": ""}, 422, "empty"),
        ({"category": "nope"}, 422, "category"),
        ({"target": "somewhere"}, 422, "unknown_target"),
        (
            {"images": [SimpleUploadedFile("p.jpg", b"<html>hi</html>")]},
            422,
            "wrong_type",
        ),
        (
            {"images": [SimpleUploadedFile("p.jpg", b"%PDF-1.4 hello")]},
            422,
            "wrong_type",
        ),
    ],
)
def test_bad_input_refused_and_nothing_written(liaison, fields, status, code):
    with pytest.raises(LiaisonError) as refused:
        submitted(liaison, **fields)
    assert (refused.value.status, refused.value.code) == (status, code)
    assert " " in refused.value.message  # Chinese, then English
    assert not LiaisonRequest.objects.exists()
    assert not RequestImage.objects.exists()


def test_image_over_10_mb_is_413(liaison, settings):
    settings.YISHI_UPLOAD_MAX_BYTES = 100
    with pytest.raises(LiaisonError) as refused:
        submitted(liaison, images=[png(size=(64, 64))])
    assert refused.value.status == 413
    assert "10" not in refused.value.message or "MB" in refused.value.message
    assert not LiaisonRequest.objects.exists()


def test_grid_worker_enters_for_a_resident_recording_who_helped(liaison):
    request = services.request_submit(
        actor=liaison.grid_worker,
        draft=draft(
            liaison,
            channel="grid",
            target="community",
            community_id=liaison.community.pk,
            resident_name="王大爷",
            resident_phone="138 0013 8000",
        ),
    )
    assert request.entered_by == liaison.grid_worker
    assert request.person == liaison.resident_person  # matched by phone in the register
    assert request.resident == liaison.resident  # so the resident may rate it
    stranger = UserFactory()
    with pytest.raises(LiaisonError) as refused:
        services.request_submit(
            actor=stranger, draft=draft(liaison, channel="grid", resident_name="x")
        )
    assert refused.value.status == 403


def test_referral_due_date_by_profile(liaison):
    request = referred(liaison, DAY)
    assert request.state == "referred"
    assert request.profile == "community_local"
    # 15 days after Monday 2 Nov → 17 Nov (a Tuesday)
    assert request.due_date == dt.date(2026, 11, 17)
    assert request.assignee == liaison.staff


def test_deputy_suggestion_three_months(liaison):
    request = submitted(liaison, now=at(DAY))
    services.request_register(request_id=request.pk, actor=liaison.deputy, now=at(DAY))
    services.request_classify(
        request_id=request.pk, actor=liaison.deputy, route="deputy_suggestion"
    )
    request = services.request_refer(
        request_id=request.pk, actor=liaison.deputy, referred_to="区住建局", now=at(DAY)
    )
    assert request.profile == "deputy_suggestion"
    assert request.due_date == dt.date(2027, 2, 2)
    assert "代表法第五十一条" in request.due_law


def test_overdue_supervised_replied_rated_closed(liaison):
    request = referred(liaison, DAY)
    due = request.due_date
    with pytest.raises(LiaisonError) as early:
        services.request_supervise(
            request_id=request.pk,
            actor=liaison.subdistrict_staff,
            note="请加快",
            now=at(due),
        )
    assert (early.value.status, early.value.code) == (409, "not_overdue")
    with pytest.raises(LiaisonError) as who:
        services.request_supervise(
            request_id=request.pk,
            actor=liaison.resident,
            note="请加快",
            now=at(due + dt.timedelta(days=1)),
        )
    assert who.value.status == 403
    request = services.request_supervise(
        request_id=request.pk,
        actor=liaison.subdistrict_staff,
        note="请三日内答复",
        now=at(due + dt.timedelta(days=1)),
    )
    assert request.state == "supervised"
    with pytest.raises(LiaisonError) as not_assigned:
        services.request_reply(request_id=request.pk, actor=liaison.deputy, text="已修")
    assert not_assigned.value.status == 403
    request = services.request_reply(
        request_id=request.pk,
        actor=liaison.staff,
        text="路灯已修复。",
        now=at(due + dt.timedelta(days=2)),
    )
    assert request.state == "replied"
    assert request.reply_days == 17
    with pytest.raises(LiaisonError) as stranger:
        services.request_rate(request_id=request.pk, actor=liaison.deputy, score=5)
    assert stranger.value.status == 403
    with pytest.raises(LiaisonError) as bad:
        services.request_rate(request_id=request.pk, actor=liaison.resident, score=9)
    assert bad.value.status == 422
    request = services.request_rate(
        request_id=request.pk, actor=liaison.resident, score=4
    )
    assert request.state == "rated"
    assert request.rating == 4
    request = services.request_close(request_id=request.pk, actor=liaison.staff)
    assert request.state == "closed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "liaison_request_supervise",
        "liaison_request_reply",
        "liaison_request_rate",
    } <= actions


def test_reopen_then_refer_again(liaison):
    request = referred(liaison, DAY)
    services.request_reply(request_id=request.pk, actor=liaison.staff, text="已处理")
    request = services.request_reopen(
        request_id=request.pk, actor=liaison.resident, reason="没修好"
    )
    assert request.state == "reopened"
    assert request.reopened_count == 1
    request = services.request_refer(
        request_id=request.pk, actor=liaison.staff, referred_to="物业"
    )
    assert request.state == "referred"


def test_out_of_order_is_409(liaison):
    request = submitted(liaison)
    with pytest.raises(LiaisonError) as refused:
        services.request_reply(request_id=request.pk, actor=None, text="x")
    assert refused.value.status == 409


def test_overdue_notices_sent_once(liaison, settings):
    request = referred(liaison, DAY)
    later = at(request.due_date + dt.timedelta(days=1))
    sms.outbox.clear()
    first = services.overdue_notify(now=later)
    again = services.overdue_notify(now=later)
    assert len(first) == 1
    assert again == []
    assert OverdueNotice.objects.count() == 1
    assert (
        Message.objects.filter(
            title__startswith="诉求已逾期", recipient=liaison.staff
        ).count()
        == 1
    )
    call_command(
        "liaison_notify"
    )  # today is before the due date's year is over: idempotent
    assert OverdueNotice.objects.count() == 1


def _announce(liaison, station, day, *, actor=None):
    return services.reception_day_announce(
        actor=actor or liaison.staff,
        station_id=station.pk,
        day=day,
        starts=dt.time(9),
        ends=dt.time(11),
        place="社区活动室",
        representative_ids=[liaison.representative.pk],
        now=at(DAY),
    )


def test_reception_day_announced_three_days_ahead(liaison):
    station = services.station_create(
        actor=liaison.staff, community=liaison.community, name="阳光社区代表联络站"
    )
    with pytest.raises(LiaisonError) as refused:
        _announce(liaison, station, DAY + dt.timedelta(days=2))
    assert (refused.value.status, refused.value.code) == (422, "notice")
    day = _announce(liaison, station, DAY + dt.timedelta(days=3))
    assert day.announced_on == DAY
    with pytest.raises(LiaisonError):
        _announce(liaison, station, DAY + dt.timedelta(days=9), actor=liaison.resident)


def test_reception_day_announced_at_most_a_year_ahead(liaison):
    """A day further off is a mistyped year: refused, naming the last day."""
    station = services.station_create(
        actor=liaison.staff, community=liaison.community, name="阳光社区代表联络站"
    )
    assert _announce(liaison, station, DAY + dt.timedelta(days=366)).pk
    for mistyped in (DAY + dt.timedelta(days=367), dt.date(2207, 3, 1)):
        with pytest.raises(LiaisonError) as refused:
            _announce(liaison, station, mistyped)
        assert (refused.value.status, refused.value.code) == (422, "too_far")
        assert "请检查年份" in refused.value.message
    with pytest.raises(LiaisonError) as refused:
        _announce(liaison, station, dt.date(9999, 12, 31))
    assert refused.value.code == "too_far"


def test_muted_topic_gets_nothing(liaison):
    from yishi.notifications.services import preference_update

    preference_update(
        actor=liaison.resident,
        by_email=False,
        by_sms=True,
        muted_topics=["liaison_mine"],
    )
    request = submitted(liaison)
    services.request_register(request_id=request.pk, actor=liaison.staff)
    assert not Message.objects.filter(recipient=liaison.resident).exists()


def test_community_satisfaction_for_the_assessment(liaison):
    from consultation.liaison.selectors import community_satisfaction

    for score in (5, 2):
        request = referred(liaison, DAY)
        services.request_reply(request_id=request.pk, actor=liaison.staff, text="已办")
        services.request_rate(
            request_id=request.pk, actor=liaison.resident, score=score
        )
    found = community_satisfaction(liaison.community.pk)
    assert (found["rated"], found["satisfied"]) == (2, 1)
    assert found["mean"] == 3.5


def test_taken_on_a_reception_day_by_the_representative(liaison):
    station = services.station_create(
        actor=liaison.staff, community=liaison.community, name="联络站"
    )
    day = services.reception_day_announce(
        actor=liaison.staff,
        station_id=station.pk,
        day=DAY + dt.timedelta(days=5),
        starts=dt.time(9),
        ends=dt.time(11),
        place="活动室",
        representative_ids=[liaison.representative.pk],
        now=at(DAY),
    )
    fields = {
        "channel": "reception_day",
        "reception_day_id": day.pk,
        "resident_name": "李阿姨",
        "resident_phone": "",
    }
    request = services.request_submit(
        actor=liaison.deputy, draft=draft(liaison, **fields)
    )
    assert request.reception_day == day
    assert request.entered_by == liaison.deputy
    assert request.resident is None  # no login found: staff follow up by phone
    with pytest.raises(LiaisonError) as refused:
        services.request_submit(
            actor=liaison.deputy,
            draft=draft(liaison, **{**fields, "reception_day_id": None}),
        )
    assert refused.value.code == "reception_day"
    with pytest.raises(LiaisonError) as stranger:
        services.request_submit(actor=liaison.resident, draft=draft(liaison, **fields))
    assert stranger.value.status == 403


def test_the_assignee_is_someone_who_may_handle_the_request(liaison):
    request = submitted(liaison, now=at(DAY))
    services.request_register(request_id=request.pk, actor=liaison.staff, now=at(DAY))
    services.request_classify(
        request_id=request.pk, actor=liaison.staff, route="community", now=at(DAY)
    )
    stranger = UserFactory()  # active, but no part in this community's requests
    with pytest.raises(LiaisonError) as refused:
        services.request_refer(
            request_id=request.pk,
            actor=liaison.staff,
            referred_to="社区居委会",
            assignee_id=stranger.pk,
            now=at(DAY),
        )
    assert refused.value.status == 422
    assert "承办人须为" in refused.value.message
    request.refresh_from_db()
    assert request.assignee_id is None
    assert request.state == "classified"
    handled = services.request_refer(
        request_id=request.pk,
        actor=liaison.staff,
        referred_to="社区居委会",
        assignee_id=liaison.staff.pk,
        now=at(DAY),
    )
    assert handled.assignee == liaison.staff
