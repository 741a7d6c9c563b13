"""The decision rules of each body, versioned by the date the decision is taken.

Laws encoded (RULES.md §2.2, §2.6, §1.2, §3, §9):

* 《中华人民共和国民法典》第二百七十八条第二款 (Civil Code Art. 278 ¶2, in force
  2021-01-01) [NAT-LAW]: owners' joint decisions. Quorum: participating exclusive
  area ≥ 2/3 of all area AND participating owners ≥ 2/3 of all owners ("三分之二以上").
  Items (6)–(8) of ¶1 (raising maintenance funds; renovation or reconstruction;
  changing the use of common parts or using them for business): yes ≥ 3/4 of the
  participating area AND of the participating owners ("四分之三以上"). Every other
  item: yes > 1/2 of each ("过半数"). Abstention is participation, not yes.
* 《物业管理条例》第十二条 (Property Management Regulation Art. 12, text of
  2007-10-01, superseded on these points by the Civil Code) [NAT-LAW, historic only]:
  quorum > 1/2 of all area and all owners; items (5)–(6) of Art. 11 need ≥ 2/3 of
  ALL area and ALL owners, other items > 1/2 of ALL. Kept to display pre-2021
  decisions.
* 《中华人民共和国城市居民委员会组织法》第九条 (Urban Residents' Committee Organic
  Law Art. 9; 1989 text as amended 2018, in force until 2025-12-31) [NAT-LAW]: the
  residents' meeting needs more than half of its constituency (adults, household
  representatives or group representatives) present; decisions pass with more than
  half of those present.
* The same law as revised 2025-10-28 (in force 2026-01-01) [UNVERIFIED numbers]: its
  quorum articles could not be read, so the rule repeats the 2018 numbers and is
  flagged ``needs_legal_review``.
* 《业主大会和业主委员会指导规则》(建房〔2009〕274号) (Guidance Rules, article about
  36–38, partly UNVERIFIED) [NAT-NORM]: the owners' committee meeting needs more than
  half of its members present; decisions need "全体委员半数以上同意" (≥ 1/2 of ALL).
* Party members' meeting in 四议两公开 step 3 (RULES.md §1.2) [LOCAL/UNVERIFIED]:
  quorum ≥ 2/3 of the members expected to attend; passes with > 1/2 of them.

A rule family (e.g. ``residents-meeting``) holds the successive versions of one
body's rule; ``rule_for(family, decision_date)`` picks the one in force that day.
No Django import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from functools import partial
from itertools import pairwise
from types import MappingProxyType

from .floors import (
    ConditionOverride,
    FloorViolation,
    InvalidOverride,
    customise,
    is_at_least_as_strict,
)
from .thresholds import (
    AllOf,
    AnyOf,
    Comparator,
    Condition,
    ConditionChange,
    ConditionResult,
    Evaluation,
    Expression,
    InvalidValues,
    Role,
    Rule,
    RuleError,
    SilentDimension,
    StatusTag,
    ValueKind,
    ValueSpec,
    evaluate,
    format_fraction,
    parse_fraction,
)
from .units import AreaFormatError, format_area, parse_area

__all__ = [
    "CIVIL_CODE_278_MAJOR",
    "CIVIL_CODE_278_ORDINARY",
    "FAMILIES",
    "OWNERS_COMMITTEE",
    "PARTY_MEMBERS_MEETING",
    "PROPERTY_REGULATION_12_LEGACY",
    "PROPERTY_REGULATION_12_LEGACY_MAJOR",
    "RESIDENTS_MEETING_2018",
    "RESIDENTS_MEETING_2025",
    "RULES_BY_ID",
    "AllOf",
    "AnyOf",
    "AreaFormatError",
    "Comparator",
    "Condition",
    "ConditionChange",
    "ConditionOverride",
    "ConditionResult",
    "Evaluation",
    "Expression",
    "FloorViolation",
    "InvalidOverride",
    "InvalidValues",
    "NoRuleInForce",
    "Role",
    "Rule",
    "RuleError",
    "SilentDimension",
    "StatusTag",
    "UnknownRule",
    "ValueKind",
    "ValueSpec",
    "all_rules",
    "customise",
    "decide",
    "evaluate",
    "format_area",
    "format_fraction",
    "get_rule",
    "is_at_least_as_strict",
    "lookup",
    "parse_area",
    "parse_fraction",
    "rule_for",
]

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
GE, GT = Comparator.GE, Comparator.GT
QUORUM, APPROVAL = Role.QUORUM, Role.APPROVAL


class UnknownRule(RuleError, LookupError):
    """No rule or rule family has this id."""


class NoRuleInForce(RuleError, LookupError):
    """The family has no version in force on the decision date."""


# --- owners' decisions ---------------------------------------------------------------

_OWNER_INPUTS = (
    ValueSpec("total_area", ValueKind.AREA, "专有部分总面积", "total exclusive area"),
    ValueSpec("total_owners", ValueKind.COUNT, "业主总人数", "total owners"),
    ValueSpec(
        "participating_area",
        ValueKind.AREA,
        "参与表决专有部分面积",
        "participating exclusive area",
    ),
    ValueSpec(
        "participating_owners",
        ValueKind.COUNT,
        "参与表决人数",
        "participating owners",
    ),
    ValueSpec("yes_area", ValueKind.AREA, "同意的专有部分面积", "agreeing area"),
    ValueSpec("yes_owners", ValueKind.COUNT, "同意人数", "agreeing owners"),
)
_OWNER_BOUNDS = (
    ("participating_area", "total_area"),
    ("participating_owners", "total_owners"),
    ("yes_area", "participating_area"),
    ("yes_owners", "participating_owners"),
)
_OWNER_SILENT = (
    SilentDimension("total_area", "participating_area", "yes_area"),
    SilentDimension("total_owners", "participating_owners", "yes_owners"),
)


def _owners_pair(
    role: Role,
    numerators: tuple[str, str],
    denominators: tuple[str, str],
    fraction: Fraction,
    comparator: Comparator,
    zh: tuple[str, str],
    en: tuple[str, str],
) -> AllOf:
    """The area condition AND the head-count condition (双过半 / 双三分之二 …)."""
    return AllOf(
        tuple(
            Condition(
                key=f"{role.value}-{dimension}",
                role=role,
                numerator=numerator,
                denominator=denominator,
                fraction=fraction,
                comparator=comparator,
                text_zh=text_zh,
                text_en=text_en,
            )
            for dimension, numerator, denominator, text_zh, text_en in zip(
                ("area", "owners"), numerators, denominators, zh, en, strict=True
            )
        )
    )


_civil_code_rule = partial(
    Rule,
    source="《民法典》",
    source_en="Civil Code of the PRC",
    article="第二百七十八条第二款",
    article_en="Art. 278 ¶2",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    effective_from=date(2021, 1, 1),
    effective_to=None,
    inputs=_OWNER_INPUTS,
    bounds=_OWNER_BOUNDS,
    silent_dimensions=_OWNER_SILENT,
    quorum=_owners_pair(
        QUORUM,
        ("participating_area", "participating_owners"),
        ("total_area", "total_owners"),
        TWO_THIRDS,
        GE,
        (
            "参与表决专有部分面积占总面积三分之二以上",
            "参与表决人数占总人数三分之二以上",
        ),
        (
            "participating area at least 2/3 of all area",
            "participating owners at least 2/3 of all owners",
        ),
    ),
)

CIVIL_CODE_278_ORDINARY = _civil_code_rule(
    id="civil-code-278-ordinary",
    family="owners-ordinary",
    title_zh="业主共同决定（一般事项）",
    title_en="Owners' joint decision, ordinary matters",
    matters_zh="第二百七十八条第一款第（一）至（五）项、第（九）项",
    matters_en="Art. 278 ¶1 items (1)-(5) and (9), including USING maintenance funds",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("participating_area", "participating_owners"),
        HALF,
        GT,
        ("同意面积超过参与表决面积的一半", "同意人数超过参与表决人数的一半"),
        (
            "agreeing area more than 1/2 of participating area",
            "agreeing owners more than 1/2 of participating owners",
        ),
    ),
)

CIVIL_CODE_278_MAJOR = _civil_code_rule(
    id="civil-code-278-major",
    family="owners-major",
    title_zh="业主共同决定（重大事项）",
    title_en="Owners' joint decision, major matters",
    matters_zh="第二百七十八条第一款第（六）至（八）项：筹集维修资金；改建、重建；"
    "改变共有部分用途或者利用共有部分从事经营活动",
    matters_en="Art. 278 ¶1 items (6)-(8): raising maintenance funds; renovation or "
    "reconstruction; changing the use of common parts or using them for business",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("participating_area", "participating_owners"),
        THREE_QUARTERS,
        GE,
        (
            "同意面积占参与表决面积四分之三以上",
            "同意人数占参与表决人数四分之三以上",
        ),
        (
            "agreeing area at least 3/4 of participating area",
            "agreeing owners at least 3/4 of participating owners",
        ),
    ),
)

_property_regulation_rule = partial(
    Rule,
    source="《物业管理条例》",
    source_en="Property Management Regulation",
    article="第十二条",
    article_en="Art. 12",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    # The 2007 revision (State Council Order No. 504) introduced these thresholds;
    # the 2003 text counted "voting rights" instead and is not encoded.
    effective_from=date(2007, 10, 1),
    effective_to=date(2020, 12, 31),
    inputs=_OWNER_INPUTS,
    bounds=_OWNER_BOUNDS,
    silent_dimensions=_OWNER_SILENT,
    note="Superseded by Civil Code Art. 278 from 2021-01-01; for historic decisions "
    "only. / 已被《民法典》第二百七十八条取代，仅用于显示2021年以前的决定。",
    quorum=_owners_pair(
        QUORUM,
        ("participating_area", "participating_owners"),
        ("total_area", "total_owners"),
        HALF,
        GT,
        (
            "参加的业主专有部分占建筑物总面积过半数",
            "参加的业主占总人数过半数",
        ),
        (
            "participating area more than 1/2 of all area",
            "participating owners more than 1/2 of all owners",
        ),
    ),
)

PROPERTY_REGULATION_12_LEGACY = _property_regulation_rule(
    id="property-regulation-12-legacy",
    family="owners-ordinary",
    title_zh="业主大会决定（一般事项，2021年以前）",
    title_en="Owners' assembly decision, ordinary matters (before 2021)",
    matters_zh="《物业管理条例》第十一条第（一）至（四）项、第（七）项",
    matters_en="Property Management Regulation Art. 11 items (1)-(4) and (7)",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("total_area", "total_owners"),
        HALF,
        GT,
        (
            "同意的业主专有部分占建筑物总面积过半数",
            "同意的业主占总人数过半数",
        ),
        (
            "agreeing area more than 1/2 of ALL area",
            "agreeing owners more than 1/2 of ALL owners",
        ),
    ),
)

PROPERTY_REGULATION_12_LEGACY_MAJOR = _property_regulation_rule(
    id="property-regulation-12-legacy-major",
    family="owners-major",
    title_zh="业主大会决定（维修资金、改建重建，2021年以前）",
    title_en="Owners' assembly decision, maintenance funds and reconstruction "
    "(before 2021)",
    matters_zh="《物业管理条例》第十一条第（五）项筹集和使用专项维修资金、"
    "第（六）项改建重建",
    matters_en="Property Management Regulation Art. 11 items (5) raising AND using "
    "maintenance funds and (6) renovation or reconstruction",
    approval=_owners_pair(
        APPROVAL,
        ("yes_area", "yes_owners"),
        ("total_area", "total_owners"),
        TWO_THIRDS,
        GE,
        (
            "同意的业主专有部分占建筑物总面积三分之二以上",
            "同意的业主占总人数三分之二以上",
        ),
        (
            "agreeing area at least 2/3 of ALL area",
            "agreeing owners at least 2/3 of ALL owners",
        ),
    ),
)


# --- residents' meeting -------------------------------------------------------------

_MEETING_INPUTS = (
    ValueSpec(
        "constituency",
        ValueKind.COUNT,
        "应到人数（十八周岁以上居民、户代表或者居民小组代表）",
        "constituency (adult residents, household or group representatives)",
    ),
    ValueSpec("present", ValueKind.COUNT, "出席人数", "present"),
    ValueSpec("yes", ValueKind.COUNT, "同意人数", "agreeing"),
)
_MEETING_BOUNDS = (("present", "constituency"), ("yes", "present"))


def _residents_quorum() -> Condition:
    return Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="constituency",
        fraction=HALF,
        comparator=GT,
        text_zh="出席人数超过应到人数的一半",
        text_en="more than half of the constituency present",
    )


def _residents_approval() -> Condition:
    return Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="present",
        fraction=HALF,
        comparator=GT,
        text_zh="同意人数超过出席人数的一半",
        text_en="more than half of those present agree",
    )


RESIDENTS_MEETING_2018 = Rule(
    id="residents-meeting-2018",
    family="residents-meeting",
    title_zh="居民会议（2018年修正的居组法）",
    title_en="Residents' meeting (Organic Law as amended 2018)",
    source="《城市居民委员会组织法》",
    source_en="Urban Residents' Committee Organic Law",
    article="第九条",
    article_en="Art. 9",
    status_tag=StatusTag.NAT_LAW,
    needs_legal_review=False,
    # Art. 9 is unchanged since the 1989 law took effect; the 2025 revision replaces it.
    effective_from=date(1990, 1, 1),
    effective_to=date(2025, 12, 31),
    inputs=_MEETING_INPUTS,
    bounds=_MEETING_BOUNDS,
    matters_zh="涉及全体居民利益的重要问题（第十条）",
    matters_en="important issues involving the interests of all residents (Art. 10)",
    quorum=_residents_quorum(),
    approval=_residents_approval(),
)

RESIDENTS_MEETING_2025 = Rule(
    id="residents-meeting-2025",
    family="residents-meeting",
    title_zh="居民会议（2025年修订的居组法，数值待核）",
    title_en="Residents' meeting (Organic Law as revised 2025; numbers unverified)",
    source="《城市居民委员会组织法》（2025年修订）",
    source_en="Urban Residents' Committee Organic Law (revised 2025)",
    article="第四章（条号待核）",
    article_en="ch. 4 (article unverified)",
    status_tag=StatusTag.UNVERIFIED,
    needs_legal_review=True,
    effective_from=date(2026, 1, 1),
    effective_to=None,
    inputs=_MEETING_INPUTS,
    bounds=_MEETING_BOUNDS,
    note="Placeholder: the 2018 numbers until the official text is checked. "
    "/ 暂沿用2018年数值，待核对正式文本。",
    quorum=_residents_quorum(),
    approval=_residents_approval(),
)


# --- owners' committee and party members' meeting -----------------------------------

OWNERS_COMMITTEE = Rule(
    id="owners-committee",
    family="owners-committee",
    title_zh="业主委员会会议",
    title_en="Owners' committee meeting",
    source="《业主大会和业主委员会指导规则》",
    source_en="Guidance Rules on Owners' Assemblies and Committees (2009)",
    article="约第三十六至三十八条（条号待核）",
    article_en="about Arts. 36-38 (article numbers unverified)",
    status_tag=StatusTag.NAT_NORM,
    needs_legal_review=True,
    effective_from=date(2010, 1, 1),
    effective_to=None,
    inputs=(
        ValueSpec("members", ValueKind.COUNT, "委员总数", "all members"),
        ValueSpec("present", ValueKind.COUNT, "出席委员", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "同意委员", "members agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="No proxies. 不得委托。",
    quorum=Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=HALF,
        comparator=GT,
        text_zh="过半数委员出席",
        text_en="more than half of the members present",
    ),
    approval=Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="members",
        fraction=HALF,
        comparator=GE,
        text_zh="全体委员半数以上同意",
        text_en="at least half of ALL members agree",
    ),
)

PARTY_MEMBERS_MEETING = Rule(
    id="party-members-meeting",
    family="party-members-meeting",
    title_zh="党员大会审议（四议两公开）",
    title_en="Party members' meeting (four deliberations, step 3)",
    source="地方实践（四议两公开）",
    source_en="local practice (four deliberations, two disclosures)",
    article="党员大会审议环节",
    article_en="party members' review step",
    status_tag=StatusTag.LOCAL,
    needs_legal_review=True,
    # Local practice has no start date of its own.
    effective_from=date.min,
    effective_to=None,
    inputs=(
        ValueSpec("members", ValueKind.COUNT, "应到会党员", "members expected"),
        ValueSpec("present", ValueKind.COUNT, "实到会党员", "members present"),
        ValueSpec("yes", ValueKind.COUNT, "赞成党员", "members agreeing"),
    ),
    bounds=(("present", "members"), ("yes", "present")),
    note="Per-community setting (RULES.md §1.2). / 各社区可配置。",
    quorum=Condition(
        key="quorum-present",
        role=QUORUM,
        numerator="present",
        denominator="members",
        fraction=TWO_THIRDS,
        comparator=GE,
        text_zh="到会党员达到应到会党员的三分之二以上",
        text_en="at least 2/3 of the members expected present",
    ),
    approval=Condition(
        key="approval-yes",
        role=APPROVAL,
        numerator="yes",
        denominator="members",
        fraction=HALF,
        comparator=GT,
        text_zh="赞成人数超过应到会党员的半数",
        text_en="more than half of the members expected agree",
    ),
)


# --- registry ------------------------------------------------------------------------


def _build_registry(rules: tuple[Rule, ...]) -> Mapping[str, tuple[Rule, ...]]:
    families: dict[str, list[Rule]] = {}
    for rule in rules:
        families.setdefault(rule.family, []).append(rule)
    for family, versions in families.items():
        versions.sort(key=lambda rule: rule.effective_from)
        for earlier, later in pairwise(versions):
            if earlier.effective_to is None or earlier.effective_to >= (
                later.effective_from
            ):
                raise RuleError(f"{family}: {earlier.id} overlaps {later.id}")
    return MappingProxyType({k: tuple(v) for k, v in families.items()})


_ALL = (
    CIVIL_CODE_278_ORDINARY,
    CIVIL_CODE_278_MAJOR,
    PROPERTY_REGULATION_12_LEGACY,
    PROPERTY_REGULATION_12_LEGACY_MAJOR,
    RESIDENTS_MEETING_2018,
    RESIDENTS_MEETING_2025,
    OWNERS_COMMITTEE,
    PARTY_MEMBERS_MEETING,
)

#: family -> its versions, oldest first; windows never overlap.
FAMILIES: Mapping[str, tuple[Rule, ...]] = _build_registry(_ALL)
#: rule id -> rule.
RULES_BY_ID: Mapping[str, Rule] = MappingProxyType({rule.id: rule for rule in _ALL})


def all_rules() -> tuple[Rule, ...]:
    """Every registered rule, grouped by family, oldest version first."""
    return tuple(rule for versions in FAMILIES.values() for rule in versions)


def get_rule(rule_id: str) -> Rule:
    """The rule with this id (whatever its dates); ``UnknownRule`` otherwise."""
    try:
        return RULES_BY_ID[rule_id]
    except KeyError:
        raise UnknownRule(
            f"unknown rule {rule_id!r}; known: {', '.join(sorted(RULES_BY_ID))}"
        ) from None


def rule_for(family: str, decision_date: date) -> Rule:
    """The version of ``family`` in force on ``decision_date`` (bounds inclusive)."""
    try:
        versions = FAMILIES[family]
    except KeyError:
        raise UnknownRule(
            f"unknown rule family {family!r}; known: {', '.join(sorted(FAMILIES))}"
        ) from None
    for rule in versions:
        if rule.in_force_on(decision_date):
            return rule
    raise NoRuleInForce(
        f"no {family} rule in force on {decision_date.isoformat()} "
        f"/ {decision_date.isoformat()} 无有效的 {family} 规则"
    )


def lookup(name: str, decision_date: date) -> Rule:
    """A rule id names that exact rule; a family name picks the version by date."""
    if name in RULES_BY_ID:
        return RULES_BY_ID[name]
    if name in FAMILIES:
        return rule_for(name, decision_date)
    raise UnknownRule(
        f"unknown rule {name!r}; rules: {', '.join(sorted(RULES_BY_ID))}; "
        f"families: {', '.join(sorted(FAMILIES))}"
    )


def decide(
    family: str,
    decision_date: date,
    values: Mapping[str, object],
    *,
    count_silent_owners_with_majority: bool = False,
) -> Evaluation:
    """Evaluate ``values`` with the version of ``family`` in force on the date."""
    return evaluate(
        rule_for(family, decision_date),
        values,
        count_silent_owners_with_majority=count_silent_owners_with_majority,
    )
