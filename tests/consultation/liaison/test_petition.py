"""Petition-like requests (信访类) through services and pages: the acceptance date
(受理期限) stored, shown to staff, the resident and on the dashboard, counted as
overdue and announced by the periodic notices; the one 30-day extension (延期) with
its refusals (twice, another profile, not permitted, too late, no reason)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from consultation.liaison import services
from consultation.liaison.errors import LiaisonError
from consultation.liaison.models import LiaisonRequest, OverdueNotice
from tests.consultation.liaison.factories import at, liaison_setup, referred
from tests.neighbourhoods.factories import UserFactory
from yishi.audit import AuditEntry
from yishi.notifications.models import Message

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 2)  # a Monday


@pytest.fixture
def liaison():
    cache.clear()
    return liaison_setup()


def petition(liaison, day: dt.date, **fields) -> LiaisonRequest:
    return referred(liaison, day, route="referred", unit="区住建局", **fields)


def _today_minus(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


# --- acceptance date -----------------------------------------------------------


def test_referral_as_petition_sets_the_acceptance_date(liaison):
    request = petition(liaison, DAY)
    assert request.profile == "petition"
    assert request.accept_due_date == dt.date(2026, 11, 17)  # 15 days, a Tuesday
    assert request.due_date >= DAY + dt.timedelta(days=60)
    told = Message.objects.get(recipient=liaison.resident, title__contains="转交")
    assert "受理期限 2026-11-17" in told.title
    community = referred(liaison, DAY, title="社区事项")
    assert community.accept_due_date is None


def test_unaccepted_petition_is_overdue_and_announced_once(liaison):
    request = petition(liaison, DAY)
    late = at(request.accept_due_date + dt.timedelta(days=1))
    assert services.overdue_notify(now=at(request.accept_due_date)) == []
    first = services.overdue_notify(now=late)
    assert [n.due_date for n in first] == [request.accept_due_date]
    assert services.overdue_notify(now=late) == []
    assert Message.objects.filter(
        recipient=liaison.staff, title__startswith="信访事项逾期未受理"
    ).exists()
    assert Message.objects.filter(
        recipient=liaison.subdistrict_staff, title__startswith="信访事项逾期未受理"
    ).exists()
    # Accepted late: no second notice for acceptance; the reply date still counts.
    services.request_start(request_id=request.pk, actor=liaison.staff, now=late)
    after_due = at(request.due_date + dt.timedelta(days=1))
    again = services.overdue_notify(now=after_due)
    assert [n.due_date for n in again] == [request.due_date]
    assert OverdueNotice.objects.filter(request=request).count() == 2


def test_a_late_acceptance_is_supervised(liaison):
    request = petition(liaison, DAY)
    late = at(request.accept_due_date + dt.timedelta(days=1))
    supervised = services.request_supervise(
        request_id=request.pk,
        actor=liaison.subdistrict_staff,
        note="请尽快受理",
        now=late,
    )
    assert supervised.state == "supervised"


def test_reopening_clears_both_dates(liaison):
    request = petition(liaison, DAY)
    services.request_reply(request_id=request.pk, actor=liaison.staff, text="已办理")
    reopened = services.request_reopen(
        request_id=request.pk, actor=liaison.resident, reason="没有解决"
    )
    assert reopened.due_date is None
    assert reopened.accept_due_date is None


def test_acceptance_date_on_the_pages_and_counted_as_overdue(client, liaison):
    late = petition(liaison, _today_minus(30), title="信访逾期未受理")
    soon = petition(liaison, _today_minus(10), title="信访待受理")
    staff_page = client.force_login(liaison.staff) or client.get(
        reverse("liaison:request", args=[late.pk])
    )
    html = staff_page.content.decode()
    assert 'id="accept-due-date"' in html
    assert "受理期限" in html
    assert "已逾期，尚未受理" in html
    assert "已逾期" in html  # the state shown
    dashboard = client.get(reverse("liaison:dashboard")).content.decode()
    overdue, due_soon = dashboard.split("7 天内到期", 1)
    assert "信访逾期未受理" in overdue.split('id="overdue-h"', 1)[1]
    assert "信访待受理" in due_soon
    assert f"受理期限 {soon.accept_due_date:%Y-%m-%d}" in due_soon
    client.force_login(liaison.resident)
    own = client.get(reverse("liaison:request", args=[soon.pk])).content.decode()
    assert f"{soon.accept_due_date:%Y-%m-%d}" in own
    assert "待承办单位受理" in own
    mine = client.get(reverse("liaison:mine")).content.decode()
    assert f"受理期限 {soon.accept_due_date:%Y-%m-%d}" in mine
    cache.clear()
    figures = client.get(reverse("liaison:statistics")).content.decode()
    assert 'data-figure="overdue">1<' in figures


def test_deputy_and_grid_worker_dashboards_show_the_acceptance_date(client, liaison):
    soon = petition(liaison, _today_minus(10), title="信访待受理")
    later = petition(liaison, _today_minus(1), title="信访刚转办")
    LiaisonRequest.objects.filter(pk__in=[soon.pk, later.pk]).update(
        entered_by=liaison.grid_worker
    )
    for user in (liaison.deputy, liaison.grid_worker, liaison.staff):
        client.force_login(user)
        page = client.get(reverse("liaison:dashboard")).content.decode()
        to_accept = page.split('id="to-accept-h"', 1)[1].split("</ul>", 1)[0]
        assert f"受理期限 {later.accept_due_date:%Y-%m-%d}" in to_accept
        assert f"受理期限 {soon.accept_due_date:%Y-%m-%d}" in to_accept
    services.request_start(request_id=later.pk, actor=liaison.staff)  # accepted
    page = client.get(reverse("liaison:dashboard")).content.decode()
    to_accept = page.split('id="to-accept-h"', 1)[1].split("</ul>", 1)[0]
    assert "信访刚转办" not in to_accept


# --- extension -----------------------------------------------------------------


def test_staff_extend_a_petition_once(liaison):
    request = petition(liaison, DAY)
    before = request.due_date
    extended = services.request_extend(
        request_id=request.pk,
        actor=liaison.staff,
        reason="涉及多个部门，需现场勘查",
        now=at(DAY + dt.timedelta(days=30)),
    )
    assert extended.due_date == dt.date(2027, 2, 1)  # 90 days from referral
    assert extended.due_date > before
    assert extended.extension_reason == "涉及多个部门，需现场勘查"
    assert "延期至 2027-02-01" in extended.due_law
    entry = AuditEntry.objects.get(action="liaison_request_extend")
    assert entry.detail["due_before"] == before.isoformat()
    assert entry.detail["reason"] == "涉及多个部门，需现场勘查"
    told = Message.objects.get(recipient=liaison.resident, title__contains="延长")
    assert "2027-02-01" in told.title
    assert "涉及多个部门" in told.body
    with pytest.raises(LiaisonError) as refused:
        services.request_extend(
            request_id=request.pk, actor=liaison.staff, reason="再延一次"
        )
    assert (refused.value.status, refused.value.code) == (409, "already_extended")
    assert LiaisonRequest.objects.get(pk=request.pk).due_date == extended.due_date


def test_the_subdistrict_office_may_extend(liaison):
    request = petition(liaison, DAY)
    extended = services.request_extend(
        request_id=request.pk,
        actor=liaison.subdistrict_staff,
        reason="案情复杂",
        now=at(DAY + dt.timedelta(days=5)),
    )
    assert extended.extended_at is not None


@pytest.mark.parametrize("who", ["deputy", "resident", "stranger"])
def test_extension_not_permitted(liaison, who):
    request = petition(liaison, DAY)
    actor = UserFactory() if who == "stranger" else getattr(liaison, who)
    with pytest.raises(LiaisonError) as refused:
        services.request_extend(request_id=request.pk, actor=actor, reason="复杂")
    assert refused.value.status == 403
    assert "工作人员" in refused.value.message
    assert LiaisonRequest.objects.get(pk=request.pk).extended_at is None


def test_extension_refusals(liaison):
    community = referred(liaison, DAY, title="社区事项")
    with pytest.raises(LiaisonError) as refused:
        services.request_extend(
            request_id=community.pk, actor=liaison.staff, reason="复杂"
        )
    assert (refused.value.status, refused.value.code) == (409, "not_petition")
    request = petition(liaison, DAY)
    with pytest.raises(LiaisonError) as refused:
        services.request_extend(request_id=request.pk, actor=liaison.staff, reason=" ")
    assert (refused.value.status, refused.value.code) == (422, "empty")
    with pytest.raises(LiaisonError) as refused:
        services.request_extend(
            request_id=request.pk,
            actor=liaison.staff,
            reason="复杂",
            now=at(request.due_date + dt.timedelta(days=1)),
        )
    assert (refused.value.status, refused.value.code) == (409, "due_passed")
    with pytest.raises(LiaisonError) as refused:
        services.request_extend(request_id=10**9, actor=liaison.staff, reason="复杂")
    assert refused.value.status == 404
    assert not AuditEntry.objects.filter(action="liaison_request_extend").exists()


def _extend(client, request, reason="案情复杂，需协调多个部门"):
    return client.post(
        reverse("liaison:act", args=[request.pk]),
        {"action": "extend", "reason": reason},
    )


def test_extension_form_and_its_refusals_on_the_page(client, liaison):
    request = petition(liaison, _today_minus(5))
    client.force_login(liaison.staff)
    page = client.get(reverse("liaison:request", args=[request.pk])).content.decode()
    assert 'id="extend-form"' in page
    assert _extend(client, request).status_code == 302
    page = client.get(reverse("liaison:request", args=[request.pk])).content.decode()
    assert 'id="extension"' in page
    assert "案情复杂" in page
    assert 'id="extend-form"' not in page
    twice = _extend(client, request)
    assert twice.status_code == 409
    assert "已经延期过一次" in twice.content.decode()
    community = referred(liaison, _today_minus(5), title="社区事项")
    page = client.get(reverse("liaison:request", args=[community.pk])).content.decode()
    assert 'id="extend-form"' not in page
    wrong = _extend(client, community)
    assert wrong.status_code == 409
    assert "只有信访类诉求" in wrong.content.decode()
    empty = _extend(client, petition(liaison, _today_minus(5)), reason="")
    assert empty.status_code == 422


def test_extension_not_permitted_on_the_page(client, liaison):
    request = petition(liaison, _today_minus(5))
    client.force_login(liaison.deputy)
    page = client.get(reverse("liaison:request", args=[request.pk])).content.decode()
    assert 'id="extend-form"' not in page
    refused = _extend(client, request)
    assert refused.status_code == 403
    assert "只有社区或街道工作人员可以批准延期" in refused.content.decode()
    client.force_login(liaison.resident)
    assert _extend(client, request).status_code == 403
    client.force_login(UserFactory())
    assert _extend(client, request).status_code == 404  # does not see it at all
    json = client.post(
        reverse("liaison:act", args=[request.pk]),
        {"action": "extend", "reason": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert json.status_code == 404
    assert LiaisonRequest.objects.get(pk=request.pk).extended_at is None


def test_the_petition_pages_in_english(client, liaison):
    request = petition(liaison, _today_minus(5))
    services.request_extend(request_id=request.pk, actor=None, reason="案情复杂")
    client.force_login(liaison.staff)
    with translation.override("en"):
        page_url = reverse("liaison:request", args=[request.pk])
        dashboard_url = reverse("liaison:dashboard")
    with translation.override("zh-hans"):  # the request activates English: undo it
        page = client.get(page_url).content.decode()
        dashboard = client.get(dashboard_url).content.decode()
    assert page_url.startswith("/en/")
    assert "Acceptance due" in page
    assert "Extended by 30 days on" in page
    assert "Reception day summary" in dashboard
