"""The State Council's published schedules as `chinese-calendar` carries them.

`chinese-calendar` (PyPI, MIT) transcribes each year's 国务院办公厅关于部分节假日安排的
通知: the rest days of every public holiday (weekend days inside a holiday block
included) and the adjusted weekend working days (调休上班日). The `holidays` package
was not chosen: it lists the public holidays but not the adjusted working days, which
the Civil Code count needs. The package raises for a year it has no notice for; its
years are exactly those it lists days for. Pure Python: no Django import.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .domain import HolidayCalendar

__all__ = [
    "HOLIDAY",
    "NAMES",
    "WORKDAY",
    "PublishedDay",
    "package_calendar",
    "package_days",
]

HOLIDAY = "holiday"
WORKDAY = "workday"
# The package's English names → the names in the State Council's notices.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@dataclass(frozen=True)
class PublishedDay:
    day: date
    kind: str  # HOLIDAY or WORKDAY
    name: str  # the holiday it belongs to, in Chinese

    @property
    def note(self) -> str:
        suffix = "放假" if self.kind == HOLIDAY else "调休上班"
        return f"{self.name}{suffix}"


def _chinese(name: object) -> str:
    english = str(getattr(name, "value", name))
    return NAMES.get(english, english)


def package_days() -> list[PublishedDay]:
    """Every published rest day and adjusted working day, by date."""
    from chinese_calendar import constants

    days = [
        PublishedDay(day, HOLIDAY, _chinese(name))
        for day, name in constants.holidays.items()
    ] + [
        PublishedDay(day, WORKDAY, _chinese(name))
        for day, name in constants.workdays.items()
    ]
    return sorted(days, key=lambda published: published.day)


def package_calendar() -> HolidayCalendar:
    """The package's schedule as a calendar: the years it lists days for are known."""
    days = package_days()
    return HolidayCalendar.build(
        holidays=(d.day for d in days if d.kind == HOLIDAY),
        adjusted_workdays=(d.day for d in days if d.kind == WORKDAY),
        known_years={d.day.year for d in days if d.kind == HOLIDAY},
    )
