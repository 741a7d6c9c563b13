"""The decision rules of each body, versioned by the date the decision is taken.

One module per family of rules, each naming the law it encodes (RULES.md §2.2, §2.6,
§1.2, §3, §9):

* ``owners``: owners' joint decisions (业主共同决定), 《民法典》第二百七十八条 and,
  for decisions before 2021, 《物业管理条例》第十二条 (families ``owners-ordinary``,
  ``owners-major``);
* ``residents``: the residents' meeting (居民会议), 《城市居民委员会组织法》第九条
  and its 2025 revision (family ``residents-meeting``), and the residents'
  representatives' meeting (居民代表会议, unverified; family
  ``residents-representatives-meeting``);
* ``villages``: the villagers' meeting and representatives' meeting of mixed
  communities, 《村民委员会组织法》第二十二条、第二十六条;
* ``bodies``: the owners' committee (《业主大会和业主委员会指导规则》), the
  committees' meetings of 四议两公开 steps 1–2 (local, flagged), the party
  members' meeting of 四议两公开 with its floor from 《中国共产党支部工作条例（试行）》,
  and the party members' meeting electing a committee (《中国共产党基层组织选举工作
  条例》) (families ``owners-committee``, ``committee-meeting``,
  ``party-members-meeting``,
  ``party-members-election``);
* ``convening``: how many must propose before a residents' meeting (居组法 第十条 and
  its 2025 revision) or an extraordinary owners' assembly (《物业管理条例》第十三条)
  must be convened — thresholds a community may lower, never raise (families
  ``residents-meeting-convening``, ``owners-extraordinary-meeting``);
* ``consent``: a dwelling turned to business use needs the unanimous consent of the
  interested owners, 《民法典》第二百七十九条 (family ``dwelling-to-business``);
* ``registry``: every family's versions; ``rule_for(family, decision_date)`` picks the
  one in force that day, ``lookup`` takes a rule id or a family and refuses a rule id
  that is not in force that day (``RuleNotInForce`` names the one that is);
* ``dating``: ``choose_rule`` — the version that judges a ballot, in force on the day
  voting closes, and whether voting was open across an effective date.

This package is the public entry point of the decision-rule engine: every name below
is importable from ``consultation.ballots.domain.rules``, including those of the
engine it is built on (``thresholds``, ``floors``, ``units``, ``inputs``). No Django
import here.
"""

from ..floors import (
    CeilingViolation,
    ConditionOverride,
    FloorViolation,
    InvalidOverride,
    LimitViolation,
    customise,
    is_at_least_as_strict,
)
from ..inputs import parse_rule_inputs
from ..thresholds import (
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
    RuleKind,
    SilentDimension,
    StatedFloor,
    StatusTag,
    ValueKind,
    ValueSpec,
    evaluate,
    format_fraction,
    parse_fraction,
)
from ..units import AreaFormatError, format_area, parse_area
from .bodies import (
    COMMITTEE_MEETING,
    OWNERS_COMMITTEE,
    PARTY_MEMBERS_ELECTION_2020,
    PARTY_MEMBERS_MEETING,
)
from .consent import CIVIL_CODE_279
from .convening import (
    OWNERS_EXTRAORDINARY_MEETING,
    RESIDENTS_MEETING_CONVENING_2018,
    RESIDENTS_MEETING_CONVENING_2025,
)
from .dating import RuleChoice, choose_rule, versions_taking_effect
from .owners import (
    CIVIL_CODE_278_MAJOR,
    CIVIL_CODE_278_ORDINARY,
    PROPERTY_REGULATION_12_LEGACY,
    PROPERTY_REGULATION_12_LEGACY_MAJOR,
)
from .registry import (
    FAMILIES,
    RULES_BY_ID,
    NoRuleInForce,
    RuleNotInForce,
    UnknownRule,
    all_rules,
    decide,
    get_rule,
    lookup,
    rule_for,
    window,
)
from .residents import (
    RESIDENTS_MEETING_2018,
    RESIDENTS_MEETING_2025,
    RESIDENTS_REPRESENTATIVES_MEETING,
)
from .villages import (
    VILLAGERS_MEETING_2010,
    VILLAGERS_MEETING_2026,
    VILLAGERS_REPRESENTATIVES_2010,
    VILLAGERS_REPRESENTATIVES_2026,
)

__all__ = [
    "CIVIL_CODE_278_MAJOR",
    "CIVIL_CODE_278_ORDINARY",
    "CIVIL_CODE_279",
    "COMMITTEE_MEETING",
    "FAMILIES",
    "OWNERS_COMMITTEE",
    "OWNERS_EXTRAORDINARY_MEETING",
    "PARTY_MEMBERS_ELECTION_2020",
    "PARTY_MEMBERS_MEETING",
    "PROPERTY_REGULATION_12_LEGACY",
    "PROPERTY_REGULATION_12_LEGACY_MAJOR",
    "RESIDENTS_MEETING_2018",
    "RESIDENTS_MEETING_2025",
    "RESIDENTS_MEETING_CONVENING_2018",
    "RESIDENTS_MEETING_CONVENING_2025",
    "RESIDENTS_REPRESENTATIVES_MEETING",
    "RULES_BY_ID",
    "VILLAGERS_MEETING_2010",
    "VILLAGERS_MEETING_2026",
    "VILLAGERS_REPRESENTATIVES_2010",
    "VILLAGERS_REPRESENTATIVES_2026",
    "AllOf",
    "AnyOf",
    "AreaFormatError",
    "CeilingViolation",
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
    "LimitViolation",
    "NoRuleInForce",
    "Role",
    "Rule",
    "RuleChoice",
    "RuleError",
    "RuleKind",
    "RuleNotInForce",
    "SilentDimension",
    "StatedFloor",
    "StatusTag",
    "UnknownRule",
    "ValueKind",
    "ValueSpec",
    "all_rules",
    "choose_rule",
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
    "parse_rule_inputs",
    "rule_for",
    "versions_taking_effect",
    "window",
]
