"""Notice before a vote (公告): how many days ahead, and whether a ballot may open.

A ballot's notice is published (its date and channels recorded) before voting opens,
at least as many calendar days ahead as the rule that judges the ballot requires
(RULES.md §2.4, §3.2, §9.5: the notice proof is part of a vote's evidence). No Django
import here; dates are passed in (days in Asia/Shanghai, taken by the caller).

Reading of "提前15日" (物业管理条例 Art. 14: "应当于会议召开15日以前通知全体业主"):

* The period is counted in whole calendar days; the notice day itself is not counted
  (民法典 Art. 201 ¶1: a period counted in days starts the next day). A notice
  published on day D covers D+1 … D+15, so voting may open on D+15 at the earliest:
  ``opening_day - notice_day >= 15``. "以前", like "以上" (民法典 Art. 1259),
  includes the number itself, so exactly 15 days before is enough.
* Calendar days, not working days: the regulation says 日, not 工作日.
* 民法典 Art. 203 (a period whose last day is a holiday ends the day after) governs
  periods within which someone must act; a notice period counted back from the
  meeting is not one, so holidays do not move the earliest opening day.

NEEDS LEGAL REVIEW: some practice reads "15日以前" as 15 clear days between notice and
meeting (opening on D+16); this module does not.

Requirements by rule version (``NOTICE_BY_RULE``), each with its law and status tag:

* owners' assembly (families ``owners-ordinary``, ``owners-major``, both the Civil
  Code rules and the legacy ones): 15 days, 物业管理条例 Art. 14 [NAT-LAW, verified].
* owners' committee meeting: the agenda is posted 7 days before, 业主大会和业主委员会
  指导规则 (article about 36–38) [NAT-NORM, article UNVERIFIED: needs legal review].
* residents' meeting, 2018 law (居组法 2018, full text verified): no notice period,
  0 [NAT-LAW].
* residents' meeting, 2025 revision: its notice article could not be read; the
  placeholder is the rural analogue, 村民委员会组织法 Art. 21 (10 days), as RULES.md
  §3.2 lists it [UNVERIFIED: needs legal review].
* residents' representatives' meeting: the rural analogue (村组法 Art. 26) sets no
  notice period, 0 [UNVERIFIED].
* villagers' meeting: 10 days, 村组法 Art. 21 [NAT-LAW; the 2026 version UNVERIFIED].
* villagers' representatives' meeting: Art. 26 sets no notice period, 0.
* party members' meeting: the "circulate the plan 3 days before" of RULES.md §1.2 is
  local practice [LOCAL/UNVERIFIED], not a national requirement: 0 here.
* a ballot without a rule (a survey, a rating): no requirement, 0; nor the rules that
  are not an assembly's vote (Civil Code Art. 279 consent, convening proposals).

A rule with no requirement (0 days) opens without a notice; a recorded notice is
still checked: it cannot be dated after the opening day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .conditions import StatusTag


class NoticeChannel(StrEnum):
    """Where a notice was published (RULES.md §9.5: the channel is evidence)."""

    NOTICE_BOARD = "notice_board"  # 公告栏 (公开栏)
    WECHAT_GROUP = "wechat_group"  # 小区微信群
    WEBSITE = "website"  # 网站
    WRITTEN = "written"  # 书面送达 (delivered to every owner, 条例 Art. 12)


@dataclass(frozen=True)
class NoticeRequirement:
    """How many calendar days before opening a notice must be published, and why."""

    days: int
    law_zh: str
    law_en: str
    status_tag: StatusTag

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int):
            raise TypeError("days must be an int")
        if self.days < 0:
            raise ValueError("days must be >= 0")

    @property
    def needs_legal_review(self) -> bool:
        return not self.status_tag.is_floor


_PROPERTY_14 = NoticeRequirement(
    15,
    "《物业管理条例》第十四条",
    "Property Management Regulation Art. 14",
    StatusTag.NAT_LAW,
)
_COMMITTEE = NoticeRequirement(
    7,
    "《业主大会和业主委员会指导规则》（条号待核）",
    "Guidance Rules on Owners' Assemblies and Committees (article unverified)",
    StatusTag.UNVERIFIED,
)
_URCOL_2018 = NoticeRequirement(
    0,
    "《城市居民委员会组织法》（2018）未规定",
    "Residents' Committee Law 2018: none",
    StatusTag.NAT_LAW,
)
_URCOL_2025 = NoticeRequirement(
    10,
    "参照《村民委员会组织法》第二十一条（2025年修订条文待核）",
    "by analogy with the Villagers' Committee Law Art. 21 (2025 text unverified)",
    StatusTag.UNVERIFIED,
)
_VILLAGE_21 = NoticeRequirement(
    10,
    "《村民委员会组织法》第二十一条",
    "Villagers' Committee Law Art. 21",
    StatusTag.NAT_LAW,
)
_VILLAGE_21_2026 = NoticeRequirement(
    10,
    "《村民委员会组织法》第二十一条（2025年修正条文待核）",
    "Villagers' Committee Law Art. 21 (2025 amendment unverified)",
    StatusTag.UNVERIFIED,
)
_NONE_RURAL_26 = NoticeRequirement(
    0,
    "《村民委员会组织法》第二十六条未规定",
    "Villagers' Committee Law Art. 26: none",
    StatusTag.UNVERIFIED,
)
_NONE_LOCAL = NoticeRequirement(
    0,
    "无全国性规定（地方做法提前3日）",
    "no national rule (local practice: 3 days)",
    StatusTag.LOCAL,
)
NO_REQUIREMENT = NoticeRequirement(
    0, "无法定提前公告要求", "no statutory notice period", StatusTag.NAT_LAW
)

#: rule version id -> its notice requirement (a family resolves to a version first).
NOTICE_BY_RULE: dict[str, NoticeRequirement] = {
    "property-regulation-12-legacy": _PROPERTY_14,
    "property-regulation-12-legacy-major": _PROPERTY_14,
    "civil-code-278-ordinary": _PROPERTY_14,
    "civil-code-278-major": _PROPERTY_14,
    "owners-committee": _COMMITTEE,
    "residents-meeting-2018": _URCOL_2018,
    "residents-meeting-2025": _URCOL_2025,
    "residents-representatives-meeting": _NONE_RURAL_26,
    "villagers-meeting-2010": _VILLAGE_21,
    "villagers-meeting-2026": _VILLAGE_21_2026,
    "villagers-representatives-meeting-2010": _NONE_RURAL_26,
    "villagers-representatives-meeting-2026": _NONE_RURAL_26,
    "party-members-meeting": _NONE_LOCAL,
    # Rules that are not an assembly's vote, or whose regulation sets no period
    # (added beside issue 9 item 7's rules): no notice period.
    "party-members-election-2020": NoticeRequirement(
        0,
        "《中国共产党基层组织选举工作条例》未规定天数（待核）",
        "Party grassroots election regulation: no period found (unverified)",
        StatusTag.UNVERIFIED,
    ),
    "civil-code-279": NoticeRequirement(
        0,
        "《民法典》第二百七十九条未规定",
        "Civil Code Art. 279: none",
        StatusTag.NAT_LAW,
    ),
    "owners-extraordinary-meeting": NoticeRequirement(
        0,
        "提议召开业主大会，无公告期",
        "a proposal to convene: no notice period",
        StatusTag.NAT_LAW,
    ),
    "residents-meeting-convening-2018": NoticeRequirement(
        0,
        "提议召开居民会议，无公告期",
        "a proposal to convene: no notice period",
        StatusTag.NAT_LAW,
    ),
    "residents-meeting-convening-2025": NoticeRequirement(
        0,
        "提议召开居民会议，无公告期",
        "a proposal to convene: no notice period",
        StatusTag.UNVERIFIED,
    ),
    # The two committees' meeting of 四议两公开 (consultation/records): called by the
    # party organisation; no national notice period.
    "committee-meeting": NoticeRequirement(
        0,
        "“两委”联席会议无全国性提前公告规定",
        "joint committee meeting: no national notice period",
        StatusTag.LOCAL,
    ),
}


def notice_requirement(rule_id: str) -> NoticeRequirement:
    """The notice a ballot judged by this rule version needs ("" = no rule: none).

    A version without an entry needs none, flagged for review (UNVERIFIED).
    """
    if not rule_id:
        return NO_REQUIREMENT
    found = NOTICE_BY_RULE.get(rule_id)
    if found is not None:
        return found
    return NoticeRequirement(
        0, "未登记提前公告要求", "no notice period recorded", StatusTag.UNVERIFIED
    )


def earliest_opening(notice_day: date, days: int) -> date:
    """The first day voting may open after a notice published on ``notice_day``."""
    if days < 0:
        raise ValueError("days must be >= 0")
    return notice_day + timedelta(days=days)


def days_between(notice_day: date, opening_day: date) -> int:
    """Calendar days from the notice to the opening (the notice day not counted)."""
    return (opening_day - notice_day).days


class NoticeProblem(StrEnum):
    MISSING = "notice_missing"  # a notice is required and none is recorded
    TOO_LATE = "notice_too_late"  # published fewer days ahead than required


@dataclass(frozen=True)
class NoticeShortfall:
    problem: NoticeProblem
    required_days: int
    earliest_opening: date | None  # None when no notice is recorded


def notice_shortfall(
    notice_day: date | None, opening_day: date, requirement: NoticeRequirement
) -> NoticeShortfall | None:
    """Why voting may not open on ``opening_day`` yet, or None when it may.

    No notice is needed when the rule requires 0 days; a recorded notice is never
    accepted when dated after the opening day.
    """
    days = requirement.days
    if notice_day is None:
        if days == 0:
            return None
        return NoticeShortfall(NoticeProblem.MISSING, days, None)
    earliest = earliest_opening(notice_day, days)
    if opening_day < earliest:
        return NoticeShortfall(NoticeProblem.TOO_LATE, days, earliest)
    return None
