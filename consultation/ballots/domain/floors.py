"""Per-community settings of a decision rule, never below the national floor.

Encodes RULES.md §0.1 and §9.4: a rule tagged [NAT-LAW] or [NAT-NORM] (e.g.
《民法典》第二百七十八条, 《城市居民委员会组织法》第九条,
《业主大会和业主委员会指导规则》) is a floor. A community, a covenant or a
municipal rule may *tighten* it (a higher fraction, or "以上" ≥ turned into
"超过" > at the same fraction) but never loosen it. [LOCAL] and [UNVERIFIED] rules
are settings and may move either way. Every change is recorded in ``Rule.changes``
against the rule as first written, so services can store it with who changed it
and when. (The law's own delegations, such as counting silent owners, are
evaluation options, not overrides.) No Django import here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .conditions import (
    Comparator,
    Condition,
    ConditionChange,
    Rule,
    RuleError,
    format_fraction,
    parse_fraction,
)

__all__ = [
    "ConditionOverride",
    "FloorViolation",
    "InvalidOverride",
    "customise",
    "is_at_least_as_strict",
    "parse_comparator",
]


class InvalidOverride(RuleError):
    """The proposed setting is malformed (unknown condition, fraction above 1 …)."""


class FloorViolation(RuleError):
    """A proposed setting would go below the national-law floor."""

    def __init__(
        self,
        rule: Rule,
        floor: Condition,
        proposed_fraction: Fraction,
        proposed_comparator: Comparator,
    ) -> None:
        self.rule_id = rule.id
        self.law = rule.law
        self.condition_key = floor.key
        self.floor_fraction = floor.fraction
        self.floor_comparator = floor.comparator
        self.proposed_fraction = proposed_fraction
        self.proposed_comparator = proposed_comparator
        floor_text = f"{floor.comparator.value} {format_fraction(floor.fraction)}"
        proposed = f"{proposed_comparator.value} {format_fraction(proposed_fraction)}"
        self.message_zh = (
            f"不得低于{rule.law}规定的下限：条件“{floor.key}”"
            f"（{floor.text_zh or floor.describe()}）法定要求 {floor_text}，"
            f"拟设为 {proposed}。"
        )
        self.message_en = (
            f"Refused: below the floor set by {rule.law_en} ({rule.law}): "
            f"condition '{floor.key}' requires {floor_text}; proposed {proposed}."
        )
        super().__init__(f"{self.message_zh} / {self.message_en}")


@dataclass(frozen=True)
class ConditionOverride:
    """A proposed new fraction and/or comparator for one condition."""

    fraction: Fraction | None = None
    comparator: Comparator | None = None


def parse_comparator(value: Comparator | str) -> Comparator:
    """Accept a Comparator, ``">="``/``">"``, ``"≥"``, or the names ``GE``/``GT``."""
    if isinstance(value, Comparator):
        return value
    aliases = {">=": Comparator.GE, "≥": Comparator.GE, "GE": Comparator.GE}
    aliases |= {">": Comparator.GT, "GT": Comparator.GT}
    if isinstance(value, str) and value.strip().upper() in aliases:
        return aliases[value.strip().upper()]
    raise InvalidOverride(f"comparator must be '>=' or '>', got {value!r}")


def is_at_least_as_strict(
    fraction: Fraction,
    comparator: Comparator,
    floor_fraction: Fraction,
    floor_comparator: Comparator,
) -> bool:
    """Does every tally meeting (fraction, comparator) also meet the floor?

    A higher fraction always does; at the same fraction, ">" satisfies ">=" but
    not the other way round. A lower fraction never does (some tally between the two
    meets the new requirement and not the floor).
    """
    if fraction != floor_fraction:
        return fraction > floor_fraction
    return comparator.at_least_as_strict_as(floor_comparator)


def _normalise(
    override: ConditionOverride | tuple[object, object] | Mapping[str, object],
) -> tuple[Fraction | None, Comparator | None]:
    if isinstance(override, ConditionOverride):
        fraction, comparator = override.fraction, override.comparator
    elif isinstance(override, tuple) and len(override) == 2:
        fraction, comparator = override
    elif isinstance(override, Mapping):
        unknown = set(override) - {"fraction", "comparator"}
        if unknown:
            raise InvalidOverride(f"unknown override field(s): {sorted(unknown)}")
        fraction, comparator = override.get("fraction"), override.get("comparator")
    else:
        raise InvalidOverride(f"not an override: {override!r}")
    try:
        parsed_fraction = None if fraction is None else parse_fraction(fraction)
    except RuleError as error:
        raise InvalidOverride(str(error)) from None
    parsed_comparator = None if comparator is None else parse_comparator(comparator)
    return parsed_fraction, parsed_comparator


def _floor_of(rule: Rule, key: str) -> Condition:
    """The condition as the rule's own text states it, before any customisation."""
    for change in rule.changes:
        if change.key == key:
            return change.original
    return rule.condition(key)


def _proposed(
    rule: Rule, current: Condition, fraction: Fraction, comparator: Comparator
) -> Condition:
    """``current`` with the new requirement, worded as a community setting."""
    labels = {spec.name: spec for spec in rule.inputs}
    numerator, denominator = labels[current.numerator], labels[current.denominator]
    required = f"{comparator.value} {format_fraction(fraction)}"
    try:
        return dataclasses.replace(
            current,
            fraction=fraction,
            comparator=comparator,
            text_zh=f"{numerator.text_zh}/{denominator.text_zh} {required}"
            "（本社区设定）",
            text_en=f"{numerator.text_en} / {denominator.text_en} {required} "
            "(community setting)",
        )
    except RuleError as error:
        raise InvalidOverride(str(error)) from None


def _override_one(
    rule: Rule,
    key: str,
    override: ConditionOverride | tuple[object, object] | Mapping[str, object],
) -> tuple[Condition, ConditionChange | None]:
    """The condition replacing ``key``, and the change to record (None: as written)."""
    try:
        current = rule.condition(key)
    except KeyError:
        known = ", ".join(condition.key for condition in rule.conditions())
        raise InvalidOverride(
            f"{rule.id}: no condition {key!r}; conditions: {known}"
        ) from None
    fraction, comparator = _normalise(override)
    new_fraction = current.fraction if fraction is None else fraction
    new_comparator = current.comparator if comparator is None else comparator
    proposed = _proposed(rule, current, new_fraction, new_comparator)

    floor = _floor_of(rule, key)
    strict_enough = is_at_least_as_strict(
        new_fraction, new_comparator, floor.fraction, floor.comparator
    )
    if rule.status_tag.is_floor and not strict_enough:
        raise FloorViolation(rule, floor, new_fraction, new_comparator)
    if (new_fraction, new_comparator) == (floor.fraction, floor.comparator):
        # Back to the rule as written: its own wording, nothing to record.
        return floor, None
    change = ConditionChange(
        original=floor,
        new_fraction=new_fraction,
        new_comparator=new_comparator,
        loosens=not strict_enough,
    )
    return proposed, change


def customise(
    rule: Rule,
    overrides: Mapping[
        str, ConditionOverride | tuple[object, object] | Mapping[str, object]
    ],
    *,
    jurisdiction: str | None = None,
) -> Rule:
    """Return ``rule`` with some conditions changed, or raise ``FloorViolation``.

    ``overrides`` maps a condition key (e.g. ``"approval-area"``) to a
    ``ConditionOverride``, a ``(fraction, comparator)`` tuple or a mapping with
    ``"fraction"`` (``Fraction`` or ``"p/q"``) and/or ``"comparator"`` (``">="`` or
    ``">"``); what is left out keeps its current value. On a [NAT-LAW]/[NAT-NORM] rule
    each new requirement must be at least as strict as the law's; on a [LOCAL] or
    [UNVERIFIED] rule it may be anything within 0..1. The result records every
    difference from the rule as first written in ``changes`` (``loosens=True`` marks a
    loosened local setting). ``InvalidOverride`` for unknown keys or bad values.
    """
    replacements: dict[str, Condition] = {}
    records = {change.key: change for change in rule.changes}
    for key, override in overrides.items():
        replacements[key], change = _override_one(rule, key, override)
        if change is None:
            records.pop(key, None)
        else:
            records[key] = change

    quorum, approval = rule.replace_conditions(replacements)
    order = [condition.key for condition in rule.conditions()]
    return dataclasses.replace(
        rule,
        quorum=quorum,
        approval=approval,
        changes=tuple(records[key] for key in order if key in records),
        jurisdiction=rule.jurisdiction if jurisdiction is None else jurisdiction,
    )
