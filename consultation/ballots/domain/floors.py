"""Per-community settings of a decision rule, within the limits the law sets.

Encodes RULES.md §0.1, §9.4 and §9a, and issue 9 item 5:

* A rule tagged [NAT-LAW] or [NAT-NORM] (e.g. 《民法典》第二百七十八条,
  《城市居民委员会组织法》第九条, 《业主大会和业主委员会指导规则》) is its own floor.
  A community, a covenant or a municipal rule may *tighten* it (a higher fraction,
  or "以上" ≥ turned into "超过" > at the same fraction) but never loosen it.
* A [LOCAL] or [UNVERIFIED] decision rule may be tightened freely, and loosened only
  down to the floor it states (``Rule.floors``): the party members' meeting down to
  《中国共产党支部工作条例（试行）》, the 2025 residents' meeting placeholder down to
  the 2018 law until the 2025 text is verified.
* A convening threshold (``RuleKind.CONVENING``) is a right of those proposing: a
  setting may LOWER it, never raise it above the law's value (nor above the
  placeholder of an unverified one) — the direction is reversed.

Every change is recorded in ``Rule.changes`` against the rule as first written, so
services can store it with who changed it and when. (The law's own delegations, such
as counting silent owners, are evaluation options, not overrides.) Refusals name the
law and read in Chinese, then English. No Django import here.
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
    is_at_least_as_strict,
    parse_fraction,
)
from .wording import requirement_words

__all__ = [
    "CeilingViolation",
    "ConditionOverride",
    "FloorViolation",
    "InvalidOverride",
    "LimitViolation",
    "customise",
    "is_at_least_as_strict",
    "parse_comparator",
    "setting_limits_zh",
]


class InvalidOverride(RuleError):
    """The proposed setting is malformed (unknown condition, fraction above 1 …)."""


def _requirement(fraction: Fraction, comparator: Comparator) -> str:
    return f"{comparator.value} {format_fraction(fraction)}"


class LimitViolation(RuleError):
    """A proposed setting goes beyond what the law lets a community set."""

    message_zh: str
    message_en: str

    def __init__(
        self,
        rule: Rule,
        condition: Condition,
        limit: tuple[Fraction, Comparator],
        proposed: tuple[Fraction, Comparator],
        *,
        law: str | None = None,
        law_en: str | None = None,
    ) -> None:
        self.rule_id = rule.id
        self.law = law or rule.law
        self.law_en = law_en or f"{rule.law_en} ({rule.law})"
        self.condition_key = condition.key
        self.limit_fraction, self.limit_comparator = limit
        self.proposed_fraction, self.proposed_comparator = proposed
        self.limit_text = _requirement(*limit)
        self.proposed_text = _requirement(*proposed)
        self.condition_text = condition.text_zh or condition.describe()
        self.message_zh, self.message_en = self._messages()
        super().__init__(f"{self.message_zh} / {self.message_en}")

    def _messages(self) -> tuple[str, str]:  # pragma: no cover - abstract
        raise NotImplementedError


class FloorViolation(LimitViolation):
    """A proposed setting would go below the floor (the law, or a stated floor)."""

    @property
    def floor_fraction(self) -> Fraction:
        return self.limit_fraction

    @property
    def floor_comparator(self) -> Comparator:
        return self.limit_comparator

    def _messages(self) -> tuple[str, str]:
        return (
            f"不得低于{self.law}规定的下限：条件“{self.condition_key}”"
            f"（{self.condition_text}）下限为 {self.limit_text}，"
            f"拟设为 {self.proposed_text}。",
            f"Refused: below the floor set by {self.law_en}: "
            f"condition '{self.condition_key}' may not ask less than "
            f"{self.limit_text}; proposed {self.proposed_text}.",
        )


class CeilingViolation(LimitViolation):
    """A proposed convening threshold would be higher than the law's."""

    def _messages(self) -> tuple[str, str]:
        return (
            f"召集会议的提议门槛只能降低，不得高于{self.law}的规定："
            f"条件“{self.condition_key}”（{self.condition_text}）"
            f"上限为 {self.limit_text}，拟设为 {self.proposed_text}。",
            f"Refused: a convening threshold may be lowered, never raised above "
            f"{self.law_en}: condition '{self.condition_key}' may not ask more than "
            f"{self.limit_text}; proposed {self.proposed_text}.",
        )


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


def _as_written(rule: Rule, key: str) -> Condition:
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


def _check_limits(
    rule: Rule, written: Condition, proposed: tuple[Fraction, Comparator]
) -> None:
    """Refuse a setting beyond the law: ``CeilingViolation`` for a convening
    threshold raised, ``FloorViolation`` for a decision rule loosened below the law
    (national rules) or below its stated floor (local and unverified rules)."""
    as_written = (written.fraction, written.comparator)
    if rule.kind.may_only_lower:
        if not is_at_least_as_strict(*as_written, *proposed):
            raise CeilingViolation(rule, written, as_written, proposed)
        return
    if rule.status_tag.is_floor:
        if not is_at_least_as_strict(*proposed, *as_written):
            raise FloorViolation(rule, written, as_written, proposed)
        return
    stated = rule.stated_floor(written.key)
    if stated is None:
        return
    floor = (stated.fraction, stated.comparator)
    if not is_at_least_as_strict(*proposed, *floor):
        raise FloorViolation(
            rule,
            written,
            floor,
            proposed,
            law=stated.source,
            law_en=stated.source_en,
        )


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

    written = _as_written(rule, key)
    _check_limits(rule, written, (new_fraction, new_comparator))
    strict_enough = is_at_least_as_strict(
        new_fraction, new_comparator, written.fraction, written.comparator
    )
    if (new_fraction, new_comparator) == (written.fraction, written.comparator):
        # Back to the rule as written: its own wording, nothing to record.
        return written, None
    change = ConditionChange(
        original=written,
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
    """Return ``rule`` with some conditions changed, or raise a ``LimitViolation``.

    ``overrides`` maps a condition key (e.g. ``"approval-area"``) to a
    ``ConditionOverride``, a ``(fraction, comparator)`` tuple or a mapping with
    ``"fraction"`` (``Fraction`` or ``"p/q"``) and/or ``"comparator"`` (``">="`` or
    ``">"``); what is left out keeps its current value. On a [NAT-LAW]/[NAT-NORM]
    decision rule each new requirement must be at least as strict as the law's
    (``FloorViolation``); on a [LOCAL] or [UNVERIFIED] one at least as strict as the
    floor it states for that condition (``FloorViolation`` naming the floor's source);
    a convening threshold may only be lowered (``CeilingViolation``). The result
    records every difference from the rule as first written in ``changes``
    (``loosens=True`` marks a loosened local setting or a lowered convening
    threshold). ``InvalidOverride`` for unknown keys or bad values.
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


def setting_limits_zh(rule: Rule) -> str:
    """How a community setting may move ``rule``, in one Chinese sentence for staff
    (the settings form shows it beside the rule; a rule needing legal review says so).
    """
    review = "（需法律审核）" if rule.needs_legal_review else ""
    head = f"{rule.id}（{rule.title_zh}）{review}："
    if rule.kind.may_only_lower:
        return f"{head}提议门槛只能降低，不得高于{rule.law}的规定。"
    if rule.floors:
        floors = "；".join(
            f"{floor.key} "
            f"{requirement_words(floor.fraction, floor.comparator.value)}"
            f"（{floor.source}）"
            for floor in rule.floors
        )
        return f"{head}可以提高；降低时不得低于：{floors}。"
    if all(condition.fraction == 1 for condition in rule.conditions()):
        return f"{head}须一致同意，不可更改（{rule.law}）。"
    return f"{head}只能提高，不得低于{rule.law}的规定。"
