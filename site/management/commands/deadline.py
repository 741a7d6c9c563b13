"""`manage.py deadline START --days N [--working]`: the last day of a period, and why.

For staff and auditors: counts N days (or N working days with `--working`) from
START (YYYY-MM-DD; the start day itself is not counted) by the Civil Code, Arts.
200–204, on the holiday calendar table (`yishi.deadlines.calendar()`). Prints the
last day and each step in Chinese; a year whose holidays are not published yet is
flagged. Exit 0; bad input (a date that does not exist, days below 1 or above 3650)
exits 2 with a one-line message in Chinese and English.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from yishi.deadlines import calendar
from yishi.deadlines.domain import (
    DeadlineError,
    format_day,
    period_end,
    working_days_end,
)

EXIT_INVALID = 2
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_start(text: str) -> date:
    invalid = CommandError(
        f"起算日必须是 YYYY-MM-DD 格式的真实日期，收到 {text!r}。 "
        f"START must be a real date as YYYY-MM-DD; got {text!r}.",
        returncode=EXIT_INVALID,
    )
    if not _DATE_RE.fullmatch(text):
        raise invalid
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise invalid from None


class Command(BaseCommand):
    help = (
        "按民法典第二百条至第二百零四条计算期限的最后一日并说明理由。 "
        "Print the last day of a period (Civil Code Arts. 200-204) and why."
    )
    # Read-only and for people: no system-check warnings before the answer.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("start", help="起算日 YYYY-MM-DD (the start day)")
        parser.add_argument(
            "--days", required=True, help="期限天数 1–3650 (the number of days)"
        )
        parser.add_argument(
            "--working",
            action="store_true",
            help="按工作日计算 (count working days: 个工作日)",
        )

    def handle(self, *args, **options):
        start = parse_start(options["start"])
        text = str(options["days"]).strip()
        if not re.fullmatch(r"-?[0-9]+", text):
            raise CommandError(
                f"--days 必须是整数，收到 {text!r}。 --days must be an integer.",
                returncode=EXIT_INVALID,
            )
        count = working_days_end if options["working"] else period_end
        try:
            deadline = count(start, int(text), calendar())
        except DeadlineError as error:
            raise CommandError(str(error), returncode=EXIT_INVALID) from None
        unit = "个工作日" if deadline.working_days else "日"
        lines = [
            f"最后一日：{format_day(deadline.last_day)}（{deadline.last_day.isoformat()}）",
            f"期限：自 {format_day(start)} 起 {deadline.days} {unit}",
        ]
        if not deadline.certain:
            lines.append("注意：结果不确定，请人工核对。")
        lines += ["理由："] + [f"  {i}. {r}" for i, r in enumerate(deadline.reasons, 1)]
        self.stdout.write("\n".join(lines))
