"""The liaison's pages: submit, track, act, refusals with their statuses, private
images, the dashboard, the public statistics (constant queries, no personal data)
and the archive (only what residents chose to publish)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultation.liaison import services
from consultation.liaison.models import LiaisonRequest
from tests.consultation.liaison.factories import liaison_setup, png, referred, submitted
from tests.neighbourhoods.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def liaison():
    cache.clear()
    return liaison_setup()


def _form(liaison, **extra):
    data = {
        "target": "representative",
        "representative": liaison.representative.pk,
        "category": "environment",
        "title": "垃圾清运不及时",
        "text": "2 号楼垃圾桶三天没有清运。",
        "public_reply": "on",
    }
    data.update(extra)
    return data


def test_resident_submits_and_tracks(client, liaison):
    client.force_login(liaison.resident)
    assert client.get(reverse("liaison:new")).status_code == 200
    response = client.post(reverse("liaison:new"), _form(liaison, images=png()))
    assert response.status_code == 302
    request = LiaisonRequest.objects.get()
    page = client.get(reverse("liaison:request", args=[request.pk]))
    assert "垃圾清运不及时" in page.content.decode()
    mine = client.get(reverse("liaison:mine")).content.decode()
    assert "垃圾清运不及时" in mine
    assert "已提交" in mine
    image = request.images.get()
    served = client.get(reverse("liaison:image", args=[request.pk, image.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    client.force_login(UserFactory())
    assert (
        client.get(reverse("liaison:image", args=[request.pk, image.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("extra", "status", "words"),
    [
        ({"text": " "}, 422, "不能为空"),
        ({"text": "长" * 4001}, 422, "长" * 4001 + "</textarea>"),
        ({"images": SimpleUploadedFile("a.png", b"MZ not an image")}, 422, "JPEG"),
        ({"category": ""}, 422, "类别"),
    ],
)
def test_bad_submissions_refused(client, liaison, extra, status, words):
    client.force_login(liaison.resident)
    response = client.post(reverse("liaison:new"), _form(liaison, **extra))
    assert response.status_code == status
    assert words in response.content.decode()
    assert not LiaisonRequest.objects.exists()
    # The form again, with what was typed (a photo is chosen again).
    shown = response.content.decode()
    assert 'role="alert"' in shown
    assert 'value="垃圾清运不及时"' in shown
    assert ("照片需要重新选择" in shown) == ("images" in extra)
    assert 'name="public_reply" checked' in shown
    as_json = client.post(
        reverse("liaison:new"), _form(liaison, **extra), HTTP_ACCEPT="application/json"
    )
    assert as_json.status_code == status
    assert as_json.json()["ok"] is False


def test_reply_by_someone_not_assigned_is_403(client, liaison):
    request = referred(liaison, DAY)
    client.force_login(liaison.deputy)
    url = reverse("liaison:act", args=[request.pk])
    response = client.post(url, {"action": "reply", "text": "已处理"})
    assert response.status_code == 403
    assert "承办人" in response.content.decode()
    request.refresh_from_db()
    assert request.state == "referred"
    assert not request.reply


def test_a_refused_reply_shows_the_page_again_with_what_was_typed(client, liaison):
    """A reply the service refuses for its text (too long, a NUL) is not lost: the
    request's page again, the message on top, the text in the reply box."""
    request = referred(liaison, DAY)
    client.force_login(liaison.staff)
    url = reverse("liaison:act", args=[request.pk])
    typed = "路灯已修复" * 801  # 4,005 characters: one reply holds 4,000
    response = client.post(url, {"action": "reply", "text": typed})
    assert response.status_code == 422
    shown = response.content.decode()
    assert 'role="alert"' in shown
    assert f'name="text" rows="5" maxlength="4000" required>{typed}</textarea>' in shown
    assert response.content.decode().count(typed) == 1  # in that box only
    with_nul = client.post(url, {"action": "reply", "text": "已修\x00好"})
    assert with_nul.status_code == 422
    request.refresh_from_db()
    assert (request.state, request.reply) == ("referred", "")


def test_rating_by_someone_else_is_403_and_resident_rates(client, liaison):
    request = referred(liaison, DAY)
    services.request_reply(request_id=request.pk, actor=liaison.staff, text="已处理")
    url = reverse("liaison:act", args=[request.pk])
    client.force_login(liaison.staff)
    assert client.post(url, {"action": "rate", "score": "5"}).status_code == 403
    client.force_login(liaison.resident)
    assert client.post(url, {"action": "rate", "score": "9"}).status_code == 422
    assert client.post(url, {"action": "rate", "score": "4"}).status_code == 302
    request.refresh_from_db()
    assert request.rating == 4


def test_strangers_do_not_see_requests(client, liaison):
    request = submitted(liaison)
    client.force_login(UserFactory())
    assert client.get(reverse("liaison:request", args=[request.pk])).status_code == 404
    assert (
        client.post(
            reverse("liaison:act", args=[request.pk]), {"action": "register"}
        ).status_code
        == 404
    )


def test_dashboard_lists_overdue_for_staff(
    client, liaison, django_assert_max_num_queries
):
    for _ in range(3):
        referred(liaison, DAY - dt.timedelta(days=60))
    client.force_login(liaison.staff)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("liaison:dashboard"))
    assert page.status_code == 200
    assert page.content.decode().count("路灯不亮") >= 3


def _answered(liaison, *, public: bool, title: str):
    request = referred(
        liaison, DAY, public_reply=public, title=title, text="电话 13800138000"
    )
    services.request_reply(
        request_id=request.pk, actor=liaison.staff, text="已修复，联系 13800138000"
    )
    return request


def test_statistics_constant_queries_and_no_personal_data(
    client, liaison, django_assert_num_queries
):
    _answered(liaison, public=True, title="甲")
    cache.clear()
    url = reverse("liaison:statistics")
    with django_assert_num_queries(2):
        first = client.get(url)
    for _ in range(5):
        _answered(liaison, public=False, title="乙")
    cache.clear()
    with django_assert_num_queries(2):
        again = client.get(url)
    with django_assert_num_queries(0):
        client.get(url)  # warm: the cache
    body = again.content.decode()
    assert first.status_code == 200
    assert "<svg" in body
    assert liaison.resident_person.full_name not in body
    assert "13800138000" not in body
    assert 'data-figure="total">6<' in body


def test_statistics_change_when_a_request_is_rated(client, liaison):
    request = _answered(liaison, public=False, title="丙")
    before = client.get(reverse("liaison:statistics")).content.decode()
    services.request_rate(request_id=request.pk, actor=liaison.resident, score=5)
    after = client.get(reverse("liaison:statistics")).content.decode()
    assert before != after
    assert "100%" in after


def test_archive_shows_only_public_answers_anonymised(
    client, liaison, django_assert_max_num_queries
):
    public = _answered(liaison, public=True, title="电梯噪音")
    private = _answered(liaison, public=False, title="私事")
    with django_assert_max_num_queries(3):
        page = client.get(reverse("liaison:archive"), {"q": "电梯"}).content.decode()
    assert "电梯噪音" in page
    assert "私事" not in page
    answer = client.get(reverse("liaison:answer", args=[public.pk])).content.decode()
    assert "13800138000" not in answer
    assert "138****8000" in answer
    assert liaison.resident_person.full_name not in answer
    assert client.get(reverse("liaison:answer", args=[private.pk])).status_code == 404


def test_reception_day_form_refuses_short_notice(client, liaison):
    station = services.station_create(
        actor=None, community=liaison.community, name="联络站"
    )
    client.force_login(liaison.staff)
    url = reverse("liaison:reception_new")
    typed = {
        "station": station.pk,
        "starts": "09:00",
        "ends": "11:00",
        "place": "活动室",
        "representatives": [liaison.representative.pk],
    }
    response = client.post(url, {**typed, "day": "2000-01-01"})
    assert response.status_code == 422
    assert "提前" in response.content.decode()
    bad = client.post(url, {"station": station.pk, "day": "x"})
    assert bad.status_code == 422
    far = client.post(url, {**typed, "day": "9999-12-31"})
    assert far.status_code == 422
    shown = far.content.decode()
    assert "请检查年份" in shown
    # The form again, with what was typed.
    assert 'value="活动室"' in shown
    assert 'value="9999-12-31"' in shown
    assert f'value="{liaison.representative.pk}" checked' in shown
    assert f'value="{station.pk}" selected' in shown


def test_notifications_inbox_and_preferences(client, liaison):
    request = submitted(liaison)
    services.request_register(request_id=request.pk, actor=liaison.staff)
    client.force_login(liaison.resident)
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "您的诉求已登记" in inbox
    response = client.post(reverse("notifications:preferences"), {"by_sms": "on"})
    assert response.status_code == 200
    from yishi.notifications.models import NotificationPreference

    assert NotificationPreference.objects.get(user=liaison.resident).muted_topics


def test_representative_page_lists_reception_days_and_activities(client, liaison):
    from django.utils import timezone

    from neighbourhoods.pages import RepresentativePage
    from neighbourhoods.services import register_pages_sync

    register_pages_sync(actor=None)
    page = RepresentativePage.objects.get(representative=liaison.representative)
    station = services.station_create(
        actor=None,
        community=liaison.community,
        name="阳光社区代表联络站",
        office_hours="工作日 9:00–17:00",
        representative_ids=[liaison.representative.pk],
    )
    today = timezone.localdate()
    services.reception_day_announce(
        actor=None,
        station_id=station.pk,
        day=today + dt.timedelta(days=5),
        starts=dt.time(9),
        ends=dt.time(11),
        place="社区活动室二楼",
        representative_ids=[liaison.representative.pk],
    )
    past = services.reception_day_announce(
        actor=None,
        station_id=station.pk,
        day=today - dt.timedelta(days=20),
        starts=dt.time(9),
        ends=dt.time(11),
        place="党群服务中心",
        representative_ids=[liaison.representative.pk],
        now=timezone.now() - dt.timedelta(days=30),
    )
    services.reception_day_summarise(
        actor=None, reception_id=past.pk, summary="接待居民 6 人"
    )
    html = client.get(page.url).content.decode()
    assert "社区活动室二楼" in html
    assert "接待居民 6 人" in html
    assert "工作日 9:00–17:00" in html
    assert f"?representative={liaison.representative.pk}" in html


def test_grid_worker_form_and_representative_dashboard(
    client, liaison, django_assert_max_num_queries
):
    client.force_login(liaison.grid_worker)
    form = client.get(reverse("liaison:new"), {"channel": "grid"}).content.decode()
    assert "居民姓名" in form
    response = client.post(
        reverse("liaison:new"),
        _form(
            liaison,
            channel="grid",
            target="community",
            community=liaison.community.pk,
            resident_name="王大爷",
            resident_phone="13800138000",
        ),
    )
    assert response.status_code == 302
    request = LiaisonRequest.objects.get()
    assert request.entered_by == liaison.grid_worker
    assert request.resident == liaison.resident
    page = client.get(reverse("liaison:request", args=[request.pk])).content.decode()
    assert "138****8000" in page
    assert "13800138000" not in page
    submitted(liaison)
    client.force_login(liaison.deputy)
    with django_assert_max_num_queries(20):
        dashboard = client.get(reverse("liaison:dashboard")).content.decode()
    assert "路灯不亮" in dashboard  # addressed to the deputy
    client.force_login(liaison.resident)
    with django_assert_max_num_queries(10):
        mine = client.get(reverse("liaison:mine")).content.decode()
    assert "垃圾清运不及时" in mine
    assert "路灯不亮" in mine
