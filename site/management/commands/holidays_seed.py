"""`manage.py holidays_seed`: copy the State Council's published holidays and adjusted
working days from the `chinese-calendar` package into the holiday calendar table.

Idempotent (a second run changes nothing); days staff entered or changed in the
admin are never overwritten. Prints what changed and the years known. `make demo`
runs it through `seed_demo`; production runs it after upgrading the package.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from yishi.deadlines.selectors import known_years
from yishi.deadlines.services import holidays_seed


class Command(BaseCommand):
    help = (
        "从 chinese-calendar 导入法定节假日和调休上班日（不覆盖工作人员录入的日期）。 "
        "Seed the holiday calendar from the chinese-calendar package."
    )

    def handle(self, *args, **options):
        report = holidays_seed(actor=None)
        years = known_years()
        span = f"{years[0]}–{years[-1]}" if years else "—"
        self.stdout.write(
            f"新增 {report.created} 天，更新 {report.updated} 天，删除 {report.deleted} 天，"
            f"未变 {report.unchanged} 天，保留工作人员录入 {report.kept_staff} 天。"
            f"已知年份：{span}（共 {len(years)} 年）。\n"
            f"Created {report.created}, updated {report.updated}, deleted "
            f"{report.deleted}, unchanged {report.unchanged}, staff rows kept "
            f"{report.kept_staff}. Known years: {span}."
        )
