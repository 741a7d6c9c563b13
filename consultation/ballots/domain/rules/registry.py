"""The registry of decision rules: every family's versions, chosen by decision date.

A rule family (e.g. ``residents-meeting``) holds the successive versions of one
body's rule, whose windows of force never overlap; ``rule_for(family,
decision_date)`` picks the one in force that day (the decision date: the day voting
closes and the resolution is made, in Asia/Shanghai, RULES.md §9.3). A rule id names
one version whatever the date. No Django import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from itertools import pairwise
from types import MappingProxyType

from ..thresholds import Evaluation, Rule, RuleError, evaluate
from .bodies import BODY_RULES
from .owners import OWNER_RULES
from .residents import RESIDENTS_RULES

__all__ = [
    "FAMILIES",
    "RULES_BY_ID",
    "NoRuleInForce",
    "UnknownRule",
    "all_rules",
    "build_registry",
    "decide",
    "get_rule",
    "lookup",
    "rule_for",
]


class UnknownRule(RuleError, LookupError):
    """No rule or rule family has this id."""


class NoRuleInForce(RuleError, LookupError):
    """The family has no version in force on the decision date."""


def build_registry(rules: tuple[Rule, ...]) -> Mapping[str, tuple[Rule, ...]]:
    """family -> its versions, oldest first; ``RuleError`` when windows overlap."""
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


_ALL = (*OWNER_RULES, *RESIDENTS_RULES, *BODY_RULES)

#: family -> its versions, oldest first; windows never overlap.
FAMILIES: Mapping[str, tuple[Rule, ...]] = build_registry(_ALL)
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
