"""The holiday calendar's part of `manage.py seed_demo` (first: every capability's
demo dates its deadlines on it).

Seeds the table from the `chinese-calendar` package (a second run changes nothing;
days staff entered are kept) and prints what it knows, with one deadline counted
from today, so the report shows the calendar at work.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from . import calendar
from .domain import format_day, period_end
from .services import holidays_seed

if TYPE_CHECKING:
    from neighbourhoods.demo.context import DemoContext


def seed(*, context: DemoContext) -> list[str]:
    report = holidays_seed(actor=None)
    known = sorted(calendar().known_years)
    today = timezone.localdate()
    example = period_end(today, 7, calendar())
    lines = [
        f"法定节假日安排：已载入 {known[0]}–{known[-1]} 年"
        f"（本次新增 {report.created} 天，更新 {report.updated} 天，"
        f"保留工作人员录入 {report.kept_staff} 天）。"
        if known
        else "法定节假日安排：软件包中没有数据。",
        f"期限示例：自今天 {format_day(today)} 起 7 日，"
        f"截止于 {format_day(example.last_day)}"
        + ("" if example.certain else "（该年节假日尚未公布，请人工核对）")
        + "（python manage.py deadline 可查看计算理由）。",
    ]
    if known and today.year + 1 not in known:
        lines.append(
            f"{today.year + 1} 年的法定节假日尚未公布：国务院公布后，"
            "请在管理后台“法定节假日安排”中录入。"
        )
    return lines
