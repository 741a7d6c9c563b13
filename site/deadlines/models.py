"""The holiday calendar table: the State Council's published rest and working days.

One row per day that is not what its weekday says: a public holiday's rest day
(any weekday, weekend days inside a holiday block included) or a working day on a
weekend (调休上班日). Ordinary weekdays and weekends have no row. Seeded from the
`chinese-calendar` package (`manage.py holidays_seed`); staff add a year the package
does not know yet, or correct a day, in the admin — their rows are never overwritten
by a later seed. A year is *known* (its deadlines are certain) once the table holds
at least one rest day of it: enter a newly published year's whole notice at once.
Models of the `yishi` app (site/models.py imports this module).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidayCalendarDay(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日（休息）")
        WORKDAY = "workday", _("工作日（调休上班）")

    class Source(models.TextChoices):
        PACKAGE = "package", _("软件包 chinese-calendar")
        STAFF = "staff", _("工作人员录入")

    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("节日"), max_length=60, blank=True, help_text=_("例如：春节、国庆节。")
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.STAFF
    )
    note = models.CharField(
        _("备注"),
        max_length=200,
        blank=True,
        help_text=_("例如：国务院办公厅通知的文号，或更正的理由。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("法定节假日安排")
        verbose_name_plural = _("法定节假日安排")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]),
                name="holiday_day_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source__in=["package", "staff"]),
                name="holiday_day_source_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()} {self.name}".strip()
