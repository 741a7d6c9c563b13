"""Consultation forms and topics, and which topics the law reserves for a vote.

Forms (协商形式): 中办发〔2015〕41号 lists 居民议事会, 居民理事会, 小区协商, 业主协商,
居民决策听证, 民主评议 and online consultation [NAT-NORM, RULES.md §6.1].

An opinion is not a legal decision (RULES.md §6.2 guard). Topics whose decision the
law reserves:

* to the residents' meeting (居民会议), 《城市居民委员会组织法》(2018):
  第十条 important issues involving all residents' interests, 第十五条 the residents'
  pact, 第十六条 fund-raising for public-welfare matters [NAT-LAW, verified]; the
  categories of ``consultation.records.domain.categories`` that carry them;
* to the owners (业主大会), 《民法典》第二百七十八条第一款 items (1)–(9) [NAT-LAW,
  verified].

No Django import here.
"""

from __future__ import annotations

import enum

from consultation.records.domain.categories import CATEGORY_LABELS_ZH, Category


class Form(enum.StrEnum):
    COUNCIL = "council"
    BOARD = "board"
    COMPOUND = "compound"
    OWNERS = "owners"
    HEARING = "hearing"
    APPRAISAL = "appraisal"
    ONLINE = "online"


FORM_LABELS_ZH = {
    Form.COUNCIL: "居民议事会",
    Form.BOARD: "居民理事会",
    Form.COMPOUND: "小区协商",
    Form.OWNERS: "业主协商",
    Form.HEARING: "居民决策听证",
    Form.APPRAISAL: "民主评议",
    Form.ONLINE: "线上协商",
}


class OwnersMatter(enum.StrEnum):
    """民法典第二百七十八条第一款, items (1)–(9)."""

    ASSEMBLY_RULES = "owners_assembly_rules"
    COVENANT = "owners_covenant"
    COMMITTEE = "owners_committee"
    PROPERTY_SERVICE = "owners_property_service"
    FUND_USE = "owners_fund_use"
    FUND_RAISE = "owners_fund_raise"
    RENOVATION = "owners_renovation"
    COMMON_PARTS = "owners_common_parts"
    OTHER_MAJOR = "owners_other_major"


OWNERS_LABELS_ZH = {
    OwnersMatter.ASSEMBLY_RULES: "制定和修改业主大会议事规则（民法典第278条第1项）",
    OwnersMatter.COVENANT: "制定和修改管理规约（第2项）",
    OwnersMatter.COMMITTEE: "选举业主委员会或者更换业主委员会成员（第3项）",
    OwnersMatter.PROPERTY_SERVICE: "选聘和解聘物业服务企业或者其他管理人（第4项）",
    OwnersMatter.FUND_USE: "使用建筑物及其附属设施的维修资金（第5项）",
    OwnersMatter.FUND_RAISE: "筹集建筑物及其附属设施的维修资金（第6项）",
    OwnersMatter.RENOVATION: "改建、重建建筑物及其附属设施（第7项）",
    OwnersMatter.COMMON_PARTS: "改变共有部分的用途或者利用共有部分"
    "从事经营活动（第8项）",
    OwnersMatter.OTHER_MAJOR: "有关共有和共同管理权利的其他重大事项（第9项）",
}

#: Every topic category: the records' matter categories, then the owners' matters.
TOPIC_LABELS_ZH: dict[str, str] = {
    **{key.value: label for key, label in CATEGORY_LABELS_ZH.items()},
    **{key.value: label for key, label in OWNERS_LABELS_ZH.items()},
}

#: Records' categories the residents' meeting decides (居组法 2018 第十、十五、十六条).
RESIDENTS_MEETING_CATEGORIES = frozenset(
    {Category.CHARTER_PACT, Category.PUBLIC_WELFARE, Category.VITAL_INTERESTS}
)


class ReservedTo(enum.StrEnum):
    NONE = "none"
    RESIDENTS_MEETING = "residents_meeting"
    OWNERS_ASSEMBLY = "owners_assembly"


def reserved_to(category: str) -> ReservedTo:
    """Which body the law reserves the decision of `category` to (``ValueError``
    for an unknown category)."""
    if category not in TOPIC_LABELS_ZH:
        raise ValueError(f"unknown topic category {category!r}")
    if category in {m.value for m in OwnersMatter}:
        return ReservedTo.OWNERS_ASSEMBLY
    if Category(category) in RESIDENTS_MEETING_CATEGORIES:
        return ReservedTo.RESIDENTS_MEETING
    return ReservedTo.NONE


def not_a_decision_zh(category: str) -> str:
    """The plain sentence a consultation page shows ('' when nothing is reserved)."""
    body = reserved_to(category)
    if body is ReservedTo.OWNERS_ASSEMBLY:
        return (
            "本协商意见不是法定决定：此事项属于《民法典》第二百七十八条规定由业主"
            "共同决定的事项，仍须由业主大会表决。"
        )
    if body is ReservedTo.RESIDENTS_MEETING:
        return (
            "本协商意见不是法定决定：此事项依《城市居民委员会组织法》应由居民会议"
            "讨论决定，仍须由居民会议表决。"
        )
    return ""
