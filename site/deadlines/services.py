"""The only writers of the holiday calendar: the seed from the package, staff edits.

`holidays_seed` copies the `chinese-calendar` package's days into the table: rows it
wrote before are updated or, when the package dropped a day, deleted; a row that
staff entered or changed (source "staff") is never touched. Idempotent: a second run
changes nothing and writes no audit line. Staff edits (`holiday_day_save`,
`holiday_day_delete`) ask `permissions`, mark the row as staff's and are audited.
Every write makes the cached calendar stale (`selectors.calendar_changed`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from yishi.audit import audit_record

from .models import HolidayCalendarDay
from .package import PublishedDay, package_days
from .permissions import can_edit_calendar
from .selectors import calendar_changed

Kind = HolidayCalendarDay.Kind
Source = HolidayCalendarDay.Source


class CalendarError(Exception):
    """A refused calendar edit; `status` is the HTTP status a view answers."""

    status = 400

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        if status:
            self.status = status


@dataclass
class SeedReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept_staff: int = 0
    years: set[int] = field(default_factory=set)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


def _require(actor) -> None:
    if not can_edit_calendar(actor):
        raise PermissionDenied(
            _("你无权修改法定节假日安排。 You may not change the holiday calendar.")
        )


def _plan_year(
    published: list[PublishedDay], stored: dict[date, HolidayCalendarDay]
) -> tuple[list, list, list, SeedReport]:
    report = SeedReport()
    creates, updates = [], []
    for item in published:
        row = stored.pop(item.day, None)
        if row is None:
            creates.append(
                HolidayCalendarDay(
                    day=item.day,
                    kind=item.kind,
                    name=item.name,
                    note=item.note,
                    source=Source.PACKAGE,
                )
            )
        elif row.source == Source.STAFF:
            report.kept_staff += 1
        elif (row.kind, row.name, row.note) != (item.kind, item.name, item.note):
            row.kind, row.name, row.note = item.kind, item.name, item.note
            updates.append(row)
        else:
            report.unchanged += 1
    dropped = [row for row in stored.values() if row.source == Source.PACKAGE]
    report.kept_staff += len(stored) - len(dropped)
    return creates, updates, dropped, report


@transaction.atomic
def holidays_seed(*, actor=None) -> SeedReport:
    """Copy the package's schedule into the table; one audit line per changed year.

    `actor` None is the system (`manage.py holidays_seed`, the demo); a user must be
    allowed to edit the calendar.
    """
    if actor is not None:
        _require(actor)
    by_year: dict[int, list[PublishedDay]] = defaultdict(list)
    for item in package_days():
        by_year[item.day.year].append(item)
    stored: dict[int, dict[date, HolidayCalendarDay]] = defaultdict(dict)
    for row in HolidayCalendarDay.objects.select_for_update().filter(
        day__year__in=sorted(by_year)
    ):
        stored[row.day.year][row.day] = row
    total = SeedReport()
    for year in sorted(by_year):
        creates, updates, dropped, report = _plan_year(by_year[year], stored[year])
        HolidayCalendarDay.objects.bulk_create(creates)
        HolidayCalendarDay.objects.bulk_update(updates, ["kind", "name", "note"])
        HolidayCalendarDay.objects.filter(pk__in=[row.pk for row in dropped]).delete()
        report.created, report.updated, report.deleted = (
            len(creates),
            len(updates),
            len(dropped),
        )
        _add(total, report, year)
        if report.changed:
            _audit_year(actor, year, report)
    if total.changed:
        calendar_changed()
    return total


def _add(total: SeedReport, report: SeedReport, year: int) -> None:
    total.created += report.created
    total.updated += report.updated
    total.deleted += report.deleted
    total.unchanged += report.unchanged
    total.kept_staff += report.kept_staff
    total.years.add(year)


def _audit_year(actor, year: int, report: SeedReport) -> None:
    target = HolidayCalendarDay.objects.filter(day__year=year).order_by("day").first()
    if target is None:  # every package day of the year was dropped
        return
    audit_record(
        actor=actor,
        action="holidays_seed",
        target=target,
        detail={
            "year": year,
            "created": report.created,
            "updated": report.updated,
            "deleted": report.deleted,
            "kept_staff": report.kept_staff,
        },
    )


def _check_row(row: HolidayCalendarDay) -> None:
    if row.kind not in Kind.values:
        raise CalendarError(
            _("类型必须是休息日或工作日。 Kind must be holiday or workday.")
        )
    clash = HolidayCalendarDay.objects.filter(day=row.day).exclude(pk=row.pk)
    if clash.exists():
        raise CalendarError(
            _("这一天已有安排，请修改原有记录。 This day is already in the calendar."),
            status=409,
        )


@transaction.atomic
def holiday_day_save(
    *, actor, row: HolidayCalendarDay, fields=()
) -> HolidayCalendarDay:
    """Create or change one day; it becomes staff's, never overwritten by a seed."""
    _require(actor)
    creating = row.pk is None
    _check_row(row)
    row.source = Source.STAFF
    row.save()
    audit_record(
        actor=actor,
        action="holiday_day_create" if creating else "holiday_day_update",
        target=row,
        detail={} if creating else {"fields": sorted(fields)},
    )
    return row


@transaction.atomic
def holiday_day_delete(*, actor, row: HolidayCalendarDay) -> None:
    """Delete a day staff entered. A package day is corrected by changing it (it
    then becomes staff's), not deleted: the next seed would bring it back."""
    _require(actor)
    if row.source != Source.STAFF:
        raise CalendarError(
            _(
                "软件包导入的日期不能删除，请修改它（修改后不会被再次导入覆盖）。 "
                "A day from the package cannot be deleted; change it instead."
            ),
            status=409,
        )
    audit_record(actor=actor, action="holiday_day_delete", target=row)
    row.delete()
