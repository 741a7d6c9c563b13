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
from .consent import CONSENT_RULES
from .convening import CONVENING_RULES
from .owners import OWNER_RULES
from .residents import RESIDENTS_RULES
from .villages import VILLAGE_RULES

__all__ = [
    "FAMILIES",
    "RULES_BY_ID",
    "NoRuleInForce",
    "RuleNotInForce",
    "UnknownRule",
    "all_rules",
    "build_registry",
    "decide",
    "get_rule",
    "lookup",
    "rule_for",
    "window",
]


class UnknownRule(RuleError, LookupError):
    """No rule or rule family has this id."""


class NoRuleInForce(RuleError, LookupError):
    """The family has no version in force on the decision date."""


class RuleNotInForce(NoRuleInForce):
    """A rule id named a version that is superseded or not yet in force that day.

    ``rule`` is the version named, ``in_force`` the family's version in force on
    ``day`` (None when there is none). RULES.md §9.3: refused, never applied with a
    warning.
    """

    def __init__(self, rule: Rule, day: date, in_force: Rule | None) -> None:
        self.rule, self.day, self.in_force = rule, day, in_force
        state_zh = "已失效" if in_force_after(rule, day) else "尚未生效"
        state_en = "superseded" if in_force_after(rule, day) else "not yet in force"
        instead_zh = (
            f"应适用 {in_force.id}（{in_force.title_zh}）"
            if in_force
            else ("无有效规则")
        )
        instead_en = (
            f"the rule in force is {in_force.id} ({in_force.title_en}, "
            f"{window(in_force)})"
            if in_force
            else "no rule of this family is in force"
        )
        super().__init__(
            f"{rule.id} 在 {day.isoformat()} {state_zh}（有效期 {window(rule)}），"
            f"{instead_zh}。 {rule.id} is {state_en} on {day.isoformat()} "
            f"(in force {window(rule)}); {instead_en}."
        )


def in_force_after(rule: Rule, day: date) -> bool:
    """True when ``rule``'s window ended before ``day`` (superseded, not future)."""
    return rule.effective_to is not None and rule.effective_to < day


def window(rule: Rule) -> str:
    """``from..to`` in ISO dates; an open end is left empty."""
    start = "" if rule.effective_from == date.min else rule.effective_from.isoformat()
    end = rule.effective_to.isoformat() if rule.effective_to else ""
    return f"{start}..{end}"


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


_ALL = (
    *OWNER_RULES,
    *RESIDENTS_RULES,
    *BODY_RULES,
    *VILLAGE_RULES,
    *CONVENING_RULES,
    *CONSENT_RULES,
)

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
    """The rule to apply on ``decision_date``: a family picks its version by date; a
    rule id names that exact version, and ``RuleNotInForce`` (naming the version in
    force) refuses it when it is superseded or not yet in force that day."""
    if name in RULES_BY_ID:
        rule = RULES_BY_ID[name]
        if rule.in_force_on(decision_date):
            return rule
        try:
            in_force: Rule | None = rule_for(rule.family, decision_date)
        except NoRuleInForce:
            in_force = None
        raise RuleNotInForce(rule, decision_date, in_force)
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
