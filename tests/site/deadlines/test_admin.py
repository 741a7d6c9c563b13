"""The holiday calendar in the admin: staff read it; only superusers and holders of
`yishi.change_holidaycalendarday` edit it, through the services (audited)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from yishi.audit import AuditEntry
from yishi.deadlines import calendar, services
from yishi.deadlines.models import HolidayCalendarDay

pytestmark = pytest.mark.django_db
LIST = reverse("admin:yishi_holidaycalendarday_changelist")
ADD = reverse("admin:yishi_holidaycalendarday_add")


def change_url(row) -> str:
    return reverse("admin:yishi_holidaycalendarday_change", args=[row.pk])


def delete_url(row) -> str:
    return reverse("admin:yishi_holidaycalendarday_delete", args=[row.pk])


NEW_YEAR_2027 = {"day": "2027-01-01", "kind": "holiday", "name": "元旦", "note": "通知"}


def test_staff_read_but_cannot_add(client, plain_staff, small_package):
    services.holidays_seed(actor=None)
    client.force_login(plain_staff)
    page = client.get(LIST)
    assert page.status_code == 200
    assert "国庆节" in page.content.decode()
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, NEW_YEAR_2027).status_code == 403
    assert not HolidayCalendarDay.objects.filter(day=date(2027, 1, 1)).exists()


def test_an_editor_adds_an_unpublished_year(client, calendar_editor):
    client.force_login(calendar_editor)
    response = client.post(ADD, NEW_YEAR_2027)
    assert response.status_code == 302
    row = HolidayCalendarDay.objects.get(day=date(2027, 1, 1))
    assert (row.source, row.note) == (HolidayCalendarDay.Source.STAFF, "通知")
    assert 2027 in calendar().known_years
    line = AuditEntry.objects.get(action="holiday_day_create")
    assert line.actor == calendar_editor


def test_a_second_row_for_a_day_is_a_form_error(client, superuser):
    client.force_login(superuser)
    client.post(ADD, NEW_YEAR_2027)
    response = client.post(ADD, {**NEW_YEAR_2027, "kind": "workday"})
    assert response.status_code == 200  # the form again, with the error
    assert HolidayCalendarDay.objects.count() == 1


def test_editing_a_package_day_makes_it_staffs(client, superuser, small_package):
    services.holidays_seed(actor=None)
    row = HolidayCalendarDay.objects.get(day=date(2026, 10, 7))
    client.force_login(superuser)
    data = {"day": "2026-10-07", "kind": "workday", "name": "国庆节", "note": "更正"}
    assert client.post(change_url(row), data).status_code == 302
    row.refresh_from_db()
    assert (row.kind, row.source) == ("workday", "staff")
    assert calendar().is_working_day(date(2026, 10, 7))
    assert AuditEntry.objects.get(action="holiday_day_update").detail == {
        "fields": ["kind", "note"]
    }


def test_package_days_cannot_be_deleted_staff_days_can(
    client, superuser, small_package
):
    services.holidays_seed(actor=None)
    package_row = HolidayCalendarDay.objects.get(day=date(2026, 10, 1))
    client.force_login(superuser)
    assert client.post(delete_url(package_row), {"post": "yes"}).status_code == 403
    client.post(ADD, NEW_YEAR_2027)
    staff_row = HolidayCalendarDay.objects.get(day=date(2027, 1, 1))
    assert client.post(delete_url(staff_row), {"post": "yes"}).status_code == 302
    assert not HolidayCalendarDay.objects.filter(pk=staff_row.pk).exists()
    assert HolidayCalendarDay.objects.filter(pk=package_row.pk).exists()


def test_bulk_delete_with_a_package_day_deletes_nothing(
    client, superuser, small_package
):
    services.holidays_seed(actor=None)
    client.force_login(superuser)
    client.post(ADD, NEW_YEAR_2027)
    ids = list(HolidayCalendarDay.objects.values_list("pk", flat=True))
    action = {"action": "delete_selected", "post": "yes"}
    response = client.post(LIST, {**action, "_selected_action": ids})
    assert response.status_code == 403
    assert HolidayCalendarDay.objects.count() == len(small_package) + 1
    staff_ids = HolidayCalendarDay.objects.filter(source="staff").values_list("pk")
    response = client.post(
        LIST, {**action, "_selected_action": [i for (i,) in staff_ids]}
    )
    assert response.status_code == 302
    assert HolidayCalendarDay.objects.count() == len(small_package)
