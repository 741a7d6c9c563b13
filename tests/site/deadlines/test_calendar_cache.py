"""`yishi.deadlines.calendar()`: built from the table once, rebuilt after a change."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yishi.deadlines import calendar, selectors, services
from yishi.deadlines.domain import period_end
from yishi.deadlines.models import HolidayCalendarDay

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_warm_calendar_costs_no_query_and_is_the_same_object(small_package):
    services.holidays_seed(actor=None)
    first = calendar()
    with CaptureQueriesContext(connection) as queries:
        again = calendar()
    assert again is first
    assert len(queries) == 0


def test_a_save_or_delete_rebuilds_it(small_package, superuser):
    services.holidays_seed(actor=None)
    before = calendar()
    assert period_end(date(2026, 12, 28), 3, before).unknown_years == {2026} - {2026}
    row = services.holiday_day_save(
        actor=superuser,
        row=HolidayCalendarDay(day=date(2027, 1, 1), kind="holiday", name="元旦"),
    )
    after = calendar()
    assert after is not before
    assert date(2027, 1, 1) in after.holidays
    assert 2027 in after.known_years
    services.holiday_day_delete(actor=superuser, row=row)
    assert 2027 not in calendar().known_years


def test_a_write_from_anywhere_bumps_the_version(small_package):
    services.holidays_seed(actor=None)
    calendar()
    version = selectors.version()
    HolidayCalendarDay.objects.create(day=date(2027, 1, 1), kind="holiday")
    assert selectors.version() > version
    assert 2027 in calendar().known_years


def test_a_bulk_seed_is_seen_although_bulk_writes_send_no_signal(small_package):
    assert calendar().known_years == frozenset()
    services.holidays_seed(actor=None)
    assert calendar().known_years == {2026}
