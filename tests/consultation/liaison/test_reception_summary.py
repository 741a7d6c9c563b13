"""A past reception day's summary (接待日小结): written on its page by the community's
staff or an attending representative, only once the day has ended; refused for
others and for a day to come; a correction keeps the replaced text in the audit
log; the summary shows among the representative page's past activities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from consultation.liaison import services
from consultation.liaison.errors import LiaisonError
from consultation.liaison.models import ReceptionDay
from neighbourhoods.models import Representative
from tests.consultation.liaison.factories import liaison_setup
from tests.neighbourhoods.factories import PersonFactory, UserFactory
from yishi.audit import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def liaison():
    cache.clear()
    return liaison_setup()


def _station(liaison):
    return services.station_create(
        actor=None,
        community=liaison.community,
        name="阳光社区代表联络站",
        representative_ids=[liaison.representative.pk],
    )


def _reception(liaison, offset: int) -> ReceptionDay:
    day = timezone.localdate() + dt.timedelta(days=offset)
    return services.reception_day_announce(
        actor=None,
        station_id=_station(liaison).pk,
        day=day,
        starts=dt.time(9),
        ends=dt.time(11),
        place="党群服务中心",
        representative_ids=[liaison.representative.pk],
        now=timezone.now() + dt.timedelta(days=offset - 10),
    )


def _url(reception) -> str:
    return reverse("liaison:reception_summary", args=[reception.pk])


def test_staff_write_a_past_reception_days_summary(client, liaison):
    past = _reception(liaison, -3)
    client.force_login(liaison.staff)
    dashboard = client.get(reverse("liaison:dashboard")).content.decode()
    assert _url(past) in dashboard
    assert "填写小结" in dashboard
    form = client.get(_url(past))
    assert form.status_code == 200
    assert 'name="summary"' in form.content.decode()
    response = client.post(_url(past), {"summary": "接待居民 7 人，现场答复 3 条。"})
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.summary == "接待居民 7 人，现场答复 3 条。"
    assert "修改小结" in client.get(reverse("liaison:dashboard")).content.decode()
    assert AuditEntry.objects.filter(action="reception_day_summarise").count() == 1


def test_an_attending_representative_writes_it_and_a_correction_is_kept(
    client, liaison
):
    past = _reception(liaison, -1)
    client.force_login(liaison.deputy)
    assert client.post(_url(past), {"summary": "第一稿"}).status_code == 302
    assert client.post(_url(past), {"summary": "更正后的小结"}).status_code == 302
    past.refresh_from_db()
    assert past.summary == "更正后的小结"
    entries = AuditEntry.objects.filter(action="reception_day_summarise").order_by("pk")
    assert [e.detail.get("replaced") for e in entries] == [None, "第一稿"]
    form = client.get(_url(past)).content.decode()
    assert "更正后的小结" in form
    assert "原来的内容保留在操作记录中" in form
    assert past.summary_corrected_at is not None


def test_others_may_not_write_it(client, liaison):
    past = _reception(liaison, -1)
    other_rep_user = UserFactory()
    Representative.objects.create(
        person=PersonFactory(home_community=liaison.community, user=other_rep_user),
        kind="peoples_congress",
        level="district",
    )
    for user in (liaison.resident, liaison.subdistrict_staff, other_rep_user):
        client.force_login(user)
        assert client.get(_url(past)).status_code == 403
        refused = client.post(_url(past), {"summary": "不该写入"})
        assert refused.status_code == 403
        assert "参加接待的代表委员" in refused.content.decode()
    with pytest.raises(LiaisonError) as error:
        services.reception_day_summarise(
            actor=liaison.resident, reception_id=past.pk, summary="x"
        )
    assert error.value.status == 403
    past.refresh_from_db()
    assert past.summary == ""
    client.logout()
    assert client.get(_url(past)).status_code == 302  # to the login page


def test_not_before_the_reception_has_ended(client, liaison):
    coming = _reception(liaison, 4)
    client.force_login(liaison.staff)
    page = client.get(_url(coming))
    assert page.status_code == 200
    assert "接待日还没有结束" in page.content.decode()
    assert 'name="summary"' not in page.content.decode()
    refused = client.post(_url(coming), {"summary": "提前写的"})
    assert refused.status_code == 409
    coming.refresh_from_db()
    assert coming.summary == ""
    today = timezone.localtime()
    with pytest.raises(LiaisonError) as error:
        services.reception_day_summarise(
            actor=None,
            reception_id=coming.pk,
            summary="x",
            now=today.replace(hour=10) + dt.timedelta(days=4),  # during the reception
        )
    assert error.value.code == "future"


def test_bad_input(client, liaison):
    past = _reception(liaison, -2)
    client.force_login(liaison.staff)
    assert client.post(_url(past), {"summary": "   "}).status_code == 422
    too_long = client.post(_url(past), {"summary": "长" * 2001})
    assert too_long.status_code == 422
    shown = too_long.content.decode()
    assert 'role="alert"' in shown  # the form again, with the message
    assert 'name="summary"' in shown
    assert "长" * 2001 + "</textarea>" in shown  # with what was typed
    assert client.post(_url(past), {}).status_code == 422
    assert client.get("/liaison/receptions/999999999/summary/").status_code == 404
    assert client.get("/liaison/receptions/abc/summary/").status_code == 404
    past.refresh_from_db()
    assert past.summary == ""


def test_the_summary_shows_among_the_representatives_past_activities(client, liaison):
    from neighbourhoods.pages import RepresentativePage
    from neighbourhoods.services import register_pages_sync

    register_pages_sync(actor=None)
    page = RepresentativePage.objects.get(representative=liaison.representative)
    past = _reception(liaison, -5)
    client.force_login(liaison.deputy)
    client.post(_url(past), {"summary": "接待居民 9 人，收集意见 4 条。"})
    client.logout()
    html = client.get(page.url).content.decode()
    past_activities = html.split('id="past-receptions"', 1)[1].split("</ul>", 1)[0]
    assert "接待居民 9 人，收集意见 4 条。" in past_activities
    assert "更正" not in past_activities
    client.force_login(liaison.deputy)
    client.post(_url(past), {"summary": "接待居民 9 人，收集意见 5 条。"})
    client.logout()
    html = client.get(page.url).content.decode()
    past_activities = html.split('id="past-receptions"', 1)[1].split("</ul>", 1)[0]
    assert "收集意见 5 条" in past_activities
    assert f"（{timezone.localdate():%Y-%m-%d} 更正）" in past_activities
