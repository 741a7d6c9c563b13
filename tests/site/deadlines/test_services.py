"""Seeding the holiday calendar from the package, and staff edits: who may, what is
kept, what is audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from yishi.audit import AuditEntry
from yishi.deadlines import calendar, services
from yishi.deadlines.models import HolidayCalendarDay
from yishi.deadlines.package import HOLIDAY, PublishedDay

pytestmark = pytest.mark.django_db
Source = HolidayCalendarDay.Source
Kind = HolidayCalendarDay.Kind


def test_the_real_package_seeds_once_and_then_changes_nothing():
    first = services.holidays_seed(actor=None)
    assert first.created > 700
    assert {2025, 2026} <= calendar().known_years
    audited = AuditEntry.objects.filter(action="holidays_seed").count()
    assert audited == len(first.years)
    second = services.holidays_seed(actor=None)
    assert second.changed == 0
    assert second.unchanged == first.created
    assert AuditEntry.objects.filter(action="holidays_seed").count() == audited
    row = HolidayCalendarDay.objects.get(day=date(2025, 9, 28))
    assert (row.kind, row.name, row.source) == (Kind.WORKDAY, "国庆节", Source.PACKAGE)
    assert row.note == "国庆节调休上班"


def test_staff_rows_are_never_overwritten(small_package, superuser):
    services.holidays_seed(actor=None)
    row = HolidayCalendarDay.objects.get(day=date(2026, 10, 7))
    row.kind, row.note = Kind.WORKDAY, "更正：本地安排上班"
    services.holiday_day_save(actor=superuser, row=row, fields=["kind", "note"])
    report = services.holidays_seed(actor=None)
    row.refresh_from_db()
    assert (row.kind, row.source, row.note) == (
        Kind.WORKDAY,
        Source.STAFF,
        "更正：本地安排上班",
    )
    assert report.kept_staff == 1
    assert report.changed == 0


def test_package_corrections_update_and_drop_package_rows(small_package):
    services.holidays_seed(actor=None)
    small_package[1] = PublishedDay(date(2026, 10, 1), HOLIDAY, "中秋节")
    del small_package[-1]  # the package dropped Sat 2026-10-10
    report = services.holidays_seed(actor=None)
    assert (report.updated, report.deleted) == (1, 1)
    assert HolidayCalendarDay.objects.get(day=date(2026, 10, 1)).name == "中秋节"
    assert not HolidayCalendarDay.objects.filter(day=date(2026, 10, 10)).exists()
    assert not calendar().is_working_day(date(2026, 10, 10))


def test_a_user_seed_needs_the_right(small_package, plain_staff, calendar_editor):
    with pytest.raises(PermissionDenied):
        services.holidays_seed(actor=plain_staff)
    assert not HolidayCalendarDay.objects.exists()
    assert services.holidays_seed(actor=calendar_editor).created == len(small_package)
    line = AuditEntry.objects.get(action="holidays_seed")
    assert line.actor == calendar_editor
    assert line.detail["year"] == 2026


def test_staff_add_an_unpublished_year_and_it_becomes_known(superuser):
    assert 2027 not in calendar().known_years
    row = HolidayCalendarDay(
        day=date(2027, 1, 1), kind=Kind.HOLIDAY, name="元旦", note="国办发明电"
    )
    services.holiday_day_save(actor=superuser, row=row)
    assert row.source == Source.STAFF
    assert 2027 in calendar().known_years
    assert AuditEntry.objects.filter(action="holiday_day_create").count() == 1


def test_an_edit_without_the_right_is_refused_and_nothing_is_written(plain_staff):
    row = HolidayCalendarDay(day=date(2027, 1, 1), kind=Kind.HOLIDAY)
    with pytest.raises(PermissionDenied, match="无权修改法定节假日安排"):
        services.holiday_day_save(actor=plain_staff, row=row)
    assert not HolidayCalendarDay.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_second_row_for_a_day_is_refused(superuser):
    services.holiday_day_save(
        actor=superuser, row=HolidayCalendarDay(day=date(2027, 1, 1), kind=Kind.HOLIDAY)
    )
    with pytest.raises(services.CalendarError) as refused:
        services.holiday_day_save(
            actor=superuser,
            row=HolidayCalendarDay(day=date(2027, 1, 1), kind=Kind.WORKDAY),
        )
    assert refused.value.status == 409
    assert HolidayCalendarDay.objects.count() == 1


def test_package_days_are_corrected_not_deleted(small_package, superuser):
    services.holidays_seed(actor=None)
    row = HolidayCalendarDay.objects.get(day=date(2026, 10, 1))
    with pytest.raises(services.CalendarError, match="不能删除"):
        services.holiday_day_delete(actor=superuser, row=row)
    assert HolidayCalendarDay.objects.filter(pk=row.pk).exists()
    staff_row = services.holiday_day_save(
        actor=superuser, row=HolidayCalendarDay(day=date(2027, 1, 1), kind=Kind.HOLIDAY)
    )
    services.holiday_day_delete(actor=superuser, row=staff_row)
    assert not HolidayCalendarDay.objects.filter(day=date(2027, 1, 1)).exists()
    assert AuditEntry.objects.filter(action="holiday_day_delete").count() == 1
