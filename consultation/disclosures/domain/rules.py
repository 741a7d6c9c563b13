"""The numbers of 居务公开, each with its law and status tag (RULES.md §4.1, §4.3).

Urban law gives no numbers: the 2018 居组法 has only Art. 16 ("收支帐目应当及时公布"),
the 2025 revision's details are unverified. The rural 村组法 (2018) Art. 30 gives the
national template for the schedule; 山东省村务公开条例 (2018) the concrete days. A
community changes them in its disclosure settings; each carries its tag, and those
marked `needs_legal_review` are shown so.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    NAT_LAW = "NAT-LAW"
    LOCAL = "LOCAL"
    UNVERIFIED = "UNVERIFIED"


@dataclass(frozen=True)
class DaySetting:
    name: str
    default: int
    minimum: int  # a floor no community setting may go below
    maximum: int
    law: str
    status: Status
    needs_legal_review: bool

    def check(self, value: object) -> int:
        """The value as a whole number of days; raises SettingRefused."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingRefused(self, "not_a_number")
        if value < self.minimum:
            raise SettingRefused(self, "below_floor")
        if value > self.maximum:
            raise SettingRefused(self, "above_maximum")
        return value


class SettingRefused(ValueError):
    def __init__(self, setting: DaySetting, code: str):
        super().__init__(f"{setting.name}: {code}")
        self.setting, self.code = setting, code


DISPLAY_DAYS = DaySetting(
    name="display_days",
    default=7,
    # The floor of this platform (issue 10: "default 7 days, never less"), above
    # 山东省村务公开条例 第十三条 (notice kept ≥ 5 days). Urban numbers unverified.
    minimum=7,
    maximum=90,
    law="山东省村务公开条例 第十三条（≥5日）；本平台下限7日",
    status=Status.UNVERIFIED,
    needs_legal_review=True,
)
REVIEW_DAYS = DaySetting(
    name="review_days",
    default=5,
    minimum=1,
    maximum=30,
    law="山东省村务公开条例 第十一条、第十六条（监督委员会5日内提出意见）",
    status=Status.LOCAL,
    needs_legal_review=True,
)
REPLY_DAYS = DaySetting(
    name="reply_days",
    default=5,
    minimum=1,
    maximum=30,
    law="山东省村务公开条例 第十六条（5日内答复）",
    status=Status.LOCAL,
    needs_legal_review=True,
)
PERIODIC_DUE_DAYS = DaySetting(
    name="periodic_due_days",
    default=10,
    minimum=1,
    maximum=31,
    law="村民委员会组织法 第三十条（财务每月、一般事项每季度公布）；期限为地方实践",
    status=Status.UNVERIFIED,
    needs_legal_review=True,
)
DAY_SETTINGS = {
    s.name: s for s in (DISPLAY_DAYS, REVIEW_DAYS, REPLY_DAYS, PERIODIC_DUE_DAYS)
}
