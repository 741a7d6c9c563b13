"""The calendar's demo module: seeds the table and shows a deadline from today."""

from __future__ import annotations

from datetime import date

import pytest

from neighbourhoods.demo.context import DemoContext
from neighbourhoods.management.commands.seed_demo import DEMO_MODULES
from yishi.deadlines import demo
from yishi.deadlines.models import HolidayCalendarDay

pytestmark = pytest.mark.django_db


def test_it_runs_first_and_is_idempotent(monkeypatch):
    assert DEMO_MODULES[0] == "yishi.deadlines.demo"
    monkeypatch.setattr(demo.timezone, "localdate", lambda: date(2026, 9, 28))
    lines = demo.seed(context=DemoContext())
    assert lines[0].startswith("法定节假日安排 Holiday calendar：已载入 2004–2026 年")
    assert "截止于 2026年10月8日（星期四）" in lines[1]
    assert "2027 年的法定节假日尚未公布" in lines[2]
    rows = HolidayCalendarDay.objects.count()
    again = demo.seed(context=DemoContext())
    assert "本次新增 0 天" in again[0]
    assert HolidayCalendarDay.objects.count() == rows
