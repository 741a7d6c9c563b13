"""Convening thresholds: how many must propose before a meeting must be convened.

Families ``residents-meeting-convening`` and ``owners-extraordinary-meeting``
(``RuleKind.CONVENING``). A threshold here is a right of those proposing: a community
may LOWER it (easier to convene), never raise it above the law's value — the reverse
of a quorum (``floors``; RULES.md §9a). Laws encoded:

* 《中华人民共和国城市居民委员会组织法》第十条第一款 (Urban Residents' Committee
  Organic Law Art. 10 ¶1; 1989 text as amended 2018, in force until 2025-12-31)
  [NAT-LAW, verified]: "有五分之一以上的十八周岁以上的居民、五分之一以上的户或者
  三分之一以上的居民小组提议，应当召集居民会议" — any one of the three suffices;
  "以上" includes the bound (民法典第一千二百五十九条).
* The same law as revised 2025-10-28 (in force 2026-01-01) lowers the threshold; the
  number could not be read [UNVERIFIED]. Placeholder per RULES.md §9a, the rural
  analogue 《村民委员会组织法》第二十一条 ("十分之一以上的村民或者三分之一以上的
  村民代表"): ≥ 1/10 of the residents aged 18+, ≥ 1/10 of the households, or ≥ 1/3 of
  the residents' representatives; the 2018 route of ≥ 1/3 of the residents' groups is
  kept (dropping it would raise the threshold for groups). Flagged; a community may
  lower it further, never raise it above the placeholder.
* 《物业管理条例》第十三条 (Property Management Regulation Art. 13, 2003, text as
  amended 2018) [NAT-LAW, verified]: "经20%以上的业主提议，业主委员会应当组织召开
  业主大会临时会议" — owners counted as heads (SPI 法释〔2009〕7号 第九条). The
  Guidance Rules' variant (20% by area AND by heads, 指导规则 Art. 19) is UNVERIFIED
  and not encoded.

A group's proposal is an act of the group (recorded by its leader after a group
meeting), not a count of individual supports (RULES.md §9a). No Django import here.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from ..conditions import (
    AnyOf,
    Condition,
    Role,
    Rule,
    RuleKind,
    StatusTag,
    ValueKind,
    ValueSpec,
)
from .common import GE

__all__ = [
    "CONVENING_RULES",
    "OWNERS_EXTRAORDINARY_MEETING",
    "RESIDENTS_MEETING_CONVENING_2018",
    "RESIDENTS_MEETING_CONVENING_2025",
]

ONE_FIFTH = Fraction(1, 5)
ONE_TENTH = Fraction(1, 10)
ONE_THIRD = Fraction(1, 3)
PROPOSAL = Role.PROPOSAL


def _spec(name: str, zh: str, en: str) -> ValueSpec:
    return ValueSpec(name, ValueKind.COUNT, zh, en)


_RESIDENTS = (
    _spec("adult_residents", "本居住地区十八周岁以上居民人数", "residents aged 18+"),
    _spec("proposing_residents", "提议的十八周岁以上居民人数", "residents proposing"),
    _spec("resident_households", "本居住地区户数", "households"),
    _spec("proposing_households", "提议的户数", "households proposing"),
    _spec("resident_groups", "居民小组数", "residents' groups"),
    _spec("proposing_groups", "提议的居民小组数", "groups proposing"),
)
_REPRESENTATIVES = (
    _spec("representatives", "居民代表人数", "residents' representatives"),
    _spec(
        "proposing_representatives", "提议的居民代表人数", "representatives proposing"
    ),
)
_PAIRS = {
    "residents": ("proposing_residents", "adult_residents", "十八周岁以上的居民"),
    "households": ("proposing_households", "resident_households", "户"),
    "groups": ("proposing_groups", "resident_groups", "居民小组"),
    "representatives": ("proposing_representatives", "representatives", "居民代表"),
}
_WORDS = {ONE_FIFTH: "五分之一", ONE_TENTH: "十分之一", ONE_THIRD: "三分之一"}


def _proposal(route: str, fraction: Fraction) -> Condition:
    numerator, denominator, whom = _PAIRS[route]
    return Condition(
        key=f"proposal-{route}",
        role=PROPOSAL,
        numerator=numerator,
        denominator=denominator,
        fraction=fraction,
        comparator=GE,
        text_zh=f"{_WORDS[fraction]}以上的{whom}提议",
        text_en=f"at least {fraction} of the {route} propose",
    )


def _bounds(routes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(_PAIRS[route][:2] for route in routes)


_RESIDENTS_COMMON = {
    "family": "residents-meeting-convening",
    "kind": RuleKind.CONVENING,
    "quorum": None,
    "matters_zh": "居民委员会应当召集居民会议",
    "matters_en": "the residents' committee must convene a residents' meeting",
}

RESIDENTS_MEETING_CONVENING_2018 = Rule(
    id="residents-meeting-convening-2018",
    title_zh="提议召集居民会议（2018年修正的居组法）",
    title_en="Proposal to convene a residents' meeting (Organic Law as amended 2018)",
    source="《城市居民委员会组织法》",
    source_en="Urban Residents' Committee Organic Law",
    article="第十条第一款",
    article_en="Art. 10 ¶1",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    # Art. 10 is unchanged since the 1989 law took effect; the 2025 revision
    # replaces it.
    effective_from=date(1990, 1, 1),
    effective_to=date(2025, 12, 31),
    inputs=_RESIDENTS,
    bounds=_bounds(("residents", "households", "groups")),
    approval=AnyOf(
        (
            _proposal("residents", ONE_FIFTH),
            _proposal("households", ONE_FIFTH),
            _proposal("groups", ONE_THIRD),
        )
    ),
    **_RESIDENTS_COMMON,
)

RESIDENTS_MEETING_CONVENING_2025 = Rule(
    id="residents-meeting-convening-2025",
    title_zh="提议召集居民会议（2025年修订的居组法，门槛待核）",
    title_en="Proposal to convene a residents' meeting (revised 2025; unverified)",
    source="《城市居民委员会组织法》（2025年修订）",
    source_en="Urban Residents' Committee Organic Law (revised 2025)",
    article="第四章（条号和门槛待核）",
    article_en="ch. 4 (article and threshold unverified)",
    status_tag=StatusTag.UNVERIFIED,
    needs_legal_review=True,
    effective_from=date(2026, 1, 1),
    effective_to=None,
    inputs=_RESIDENTS + _REPRESENTATIVES,
    bounds=_bounds(("residents", "households", "groups", "representatives")),
    note="Placeholder: the rural analogue (村组法 Art. 21) until the 2025 text is "
    "checked; may be lowered, never raised. / 暂参照《村民委员会组织法》第二十一条，"
    "待核对2025年修订文本；只可降低，不得提高。",
    approval=AnyOf(
        (
            _proposal("residents", ONE_TENTH),
            _proposal("households", ONE_TENTH),
            _proposal("groups", ONE_THIRD),
            _proposal("representatives", ONE_THIRD),
        )
    ),
    **_RESIDENTS_COMMON,
)

OWNERS_EXTRAORDINARY_MEETING = Rule(
    id="owners-extraordinary-meeting",
    family="owners-extraordinary-meeting",
    kind=RuleKind.CONVENING,
    title_zh="提议召开业主大会临时会议",
    title_en="Proposal to convene an extraordinary owners' assembly",
    source="《物业管理条例》",
    source_en="Property Management Regulation",
    article="第十三条",
    article_en="Art. 13",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    effective_from=date(2003, 9, 1),
    effective_to=None,
    inputs=(
        _spec("total_owners", "业主总人数", "all owners"),
        _spec("proposing_owners", "提议的业主人数", "owners proposing"),
    ),
    bounds=(("proposing_owners", "total_owners"),),
    matters_zh="业主委员会应当组织召开业主大会临时会议",
    matters_en="the owners' committee must convene an extraordinary assembly",
    quorum=None,
    approval=Condition(
        key="proposal-owners",
        role=PROPOSAL,
        numerator="proposing_owners",
        denominator="total_owners",
        fraction=ONE_FIFTH,
        comparator=GE,
        text_zh="20%以上的业主提议",
        text_en="at least 20% of the owners propose",
    ),
)

CONVENING_RULES: tuple[Rule, ...] = (
    RESIDENTS_MEETING_CONVENING_2018,
    RESIDENTS_MEETING_CONVENING_2025,
    OWNERS_EXTRAORDINARY_MEETING,
)
