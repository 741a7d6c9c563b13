"""`manage.py deadline` and `manage.py holidays_seed`: what staff and auditors see."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from yishi.deadlines import services
from yishi.deadlines.models import HolidayCalendarDay

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded():
    services.holidays_seed(actor=None)


def test_deadline_prints_the_last_day_and_why(seeded):
    text = run("deadline", "2026-09-28", "--days", "7")
    assert text.startswith("最后一日：2026年10月8日（星期四）（2026-10-08）")
    assert "期限：自 2026年9月28日（星期一） 起 7 日" in text
    assert "当日不计入" in text
    assert "2026年10月5日（星期一） 是法定节假日（法定休假日）" in text
    assert "不确定" not in text


def test_deadline_counts_working_days(seeded):
    text = run("deadline", "2025-09-26", "--days", "5", "--working")
    assert text.startswith("最后一日：2025年10月10日（星期五）")
    assert "起 5 个工作日" in text
    assert "计入调休上班日 1 天" in text


def test_an_unknown_year_is_flagged(seeded):
    text = run("deadline", "2028-03-01", "--days", "3")
    assert "最后一日：2028年3月6日（星期一）" in text
    assert "注意：结果不确定，请人工核对。" in text
    assert "2028 年的法定节假日尚未公布，期限可能顺延，请人工核对。" in text


def test_an_empty_table_flags_every_year_and_still_skips_weekends():
    text = run("deadline", "2026-03-08", "--days", "7")
    assert "最后一日：2026年3月16日（星期一）" in text
    assert "2026 年的法定节假日尚未公布" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("2026-02-30", "--days", "7"), "真实日期"),
        (("2026-2-3", "--days", "7"), "YYYY-MM-DD"),
        (("tomorrow", "--days", "7"), "START must be a real date"),
        (("2026-01-05", "--days", "-1"), "期限至少为 1 天"),
        (("2026-01-05", "--days", "0"), "期限至少为 1 天"),
        (("2026-01-05", "--days", "3651"), "期限不能超过 3650 天"),
        (("2026-01-05", "--days", "7.5"), "--days 必须是整数"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(args, message):
    with pytest.raises(CommandError, match=message) as refused:
        call_command("deadline", *args)
    assert refused.value.returncode == 2


def test_holidays_seed_is_idempotent_and_says_what_it_did():
    first = run("holidays_seed")
    assert first.startswith("新增 ")
    assert "已知年份：2004–2026" in first
    rows = HolidayCalendarDay.objects.count()
    second = run("holidays_seed")
    assert second.startswith("新增 0 天，更新 0 天，删除 0 天")
    assert HolidayCalendarDay.objects.count() == rows
