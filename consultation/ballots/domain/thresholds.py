"""The threshold engine: conditions, AND/OR expressions, and exact evaluation.

Encodes the cross-cutting engine rule of RULES.md §9.2: a threshold is
``(numerator, denominator, fraction p/q, comparator)`` and a compound rule is AND/OR
over thresholds. The comparators follow 《民法典》第一千二百五十九条 (Civil Code
Art. 1259): "以上" includes the number itself (≥), while "过半数"/"超过" exclude it
(>). Everything is integer arithmetic: ``n/d ≥ p/q`` is decided as ``n*q >= p*d``
(no float, no division), and a zero denominator never satisfies a condition.

This module knows no law by itself; ``consultation.ballots.domain.rules`` holds the rules.
No Django import here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

__all__ = [
    "AllOf",
    "AnyOf",
    "Comparator",
    "Condition",
    "ConditionChange",
    "ConditionResult",
    "Evaluation",
    "Expression",
    "InvalidValues",
    "Role",
    "Rule",
    "RuleError",
    "SilentDimension",
    "StatusTag",
    "ValueKind",
    "ValueSpec",
    "evaluate",
    "format_fraction",
    "parse_fraction",
]


class RuleError(ValueError):
    """Base class of every error the decision-rule engine raises."""


class InvalidValues(RuleError):
    """The tallies handed to a rule are impossible (negative, parts above wholes …)."""


class Comparator(enum.StrEnum):
    """How an actual fraction is compared with the required one."""

    GE = ">="  # "以上" / "不少于": the bound itself is enough (民法典 Art. 1259)
    GT = ">"  # "过半数" / "超过": strictly more than the bound

    @property
    def zh(self) -> str:
        return "以上" if self is Comparator.GE else "超过"

    def holds(self, numerator: int, denominator: int, required: Fraction) -> bool:
        """``numerator/denominator`` against ``required``, by cross-multiplication."""
        if denominator <= 0:
            return False
        left = numerator * required.denominator
        right = required.numerator * denominator
        return left >= right if self is Comparator.GE else left > right

    def at_least_as_strict_as(self, other: Comparator) -> bool:
        """At the same fraction, is ``self`` at least as demanding as ``other``?"""
        return self is Comparator.GT or other is Comparator.GE


class Role(enum.StrEnum):
    """Whether a condition is part of the quorum or of the approval."""

    QUORUM = "quorum"
    APPROVAL = "approval"


class StatusTag(enum.StrEnum):
    """RULES.md §0.1: where a rule comes from, which decides who may change it."""

    NAT_LAW = "NAT-LAW"
    NAT_NORM = "NAT-NORM"
    LOCAL = "LOCAL"
    UNVERIFIED = "UNVERIFIED"

    @property
    def is_floor(self) -> bool:
        """National rules are a floor: settings may tighten them, never loosen them."""
        return self in (StatusTag.NAT_LAW, StatusTag.NAT_NORM)


class ValueKind(enum.StrEnum):
    """What an input value counts; areas are integers of 0.01 m² (RULES.md §2.2)."""

    AREA = "area_0_01_m2"
    COUNT = "count"


def format_fraction(value: Fraction) -> str:
    """Always ``"p/q"``, also for whole numbers (``Fraction(1)`` gives ``"1/1"``)."""
    return f"{value.numerator}/{value.denominator}"


_FRACTION_RE = re.compile(r"([0-9]+)\s*/\s*([0-9]+)|([0-9]+)")


def parse_fraction(value: Fraction | int | str) -> Fraction:
    """Read an exact fraction from a Fraction, an int or a string such as ``"2/3"``.

    Floats are refused: 0.1 + 0.2 != 0.3 is exactly the error this engine avoids.
    """
    if isinstance(value, bool):
        raise RuleError(f"not a fraction: {value!r}")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, str):
        match = _FRACTION_RE.fullmatch(value.strip())
        if match:
            if match.group(3) is not None:
                return Fraction(int(match.group(3)))
            denominator = int(match.group(2))
            if denominator == 0:
                raise RuleError(f"fraction with zero denominator: {value!r}")
            return Fraction(int(match.group(1)), denominator)
    raise RuleError(f"not an exact fraction (write it as 'p/q'): {value!r}")


@dataclass(frozen=True)
class Condition:
    """``values[numerator] / values[denominator]  <comparator>  fraction``."""

    key: str
    role: Role
    numerator: str
    denominator: str
    fraction: Fraction
    comparator: Comparator
    text_zh: str = ""
    text_en: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.fraction, Fraction):
            raise TypeError("Condition.fraction must be a fractions.Fraction")
        if not Fraction(0) <= self.fraction <= Fraction(1):
            raise RuleError(f"{self.key}: required fraction must be within 0..1")
        if self.fraction == 1 and self.comparator is Comparator.GT:
            raise RuleError(f"{self.key}: '> 1/1' can never be met")

    @property
    def required(self) -> str:
        return format_fraction(self.fraction)

    def describe(self) -> str:
        return (
            f"{self.numerator}/{self.denominator} {self.comparator.value} "
            f"{self.required}"
        )

    def conditions(self) -> Iterator[Condition]:
        yield self

    def logic(self) -> str:
        return self.key


@dataclass(frozen=True)
class AllOf:
    """Every item must hold (且)."""

    items: tuple[Expression, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise RuleError("AllOf needs at least one item")

    def conditions(self) -> Iterator[Condition]:
        for item in self.items:
            yield from item.conditions()

    def logic(self) -> str:
        return "(" + " AND ".join(item.logic() for item in self.items) + ")"


@dataclass(frozen=True)
class AnyOf:
    """At least one item must hold (或)."""

    items: tuple[Expression, ...]

    def __post_init__(self) -> None:
        if not self.items:
            raise RuleError("AnyOf needs at least one item")

    def conditions(self) -> Iterator[Condition]:
        for item in self.items:
            yield from item.conditions()

    def logic(self) -> str:
        return "(" + " OR ".join(item.logic() for item in self.items) + ")"


Expression = Condition | AllOf | AnyOf


def _holds(expression: Expression, results: Mapping[str, ConditionResult]) -> bool:
    # Monotone AND/OR: every leaf has already been evaluated, so every condition
    # is reported even where the outcome was decided early.
    if isinstance(expression, Condition):
        return results[expression.key].holds
    if isinstance(expression, AllOf):
        return all(_holds(item, results) for item in expression.items)
    return any(_holds(item, results) for item in expression.items)


def _replace_conditions(
    expression: Expression, replacements: Mapping[str, Condition]
) -> Expression:
    if isinstance(expression, Condition):
        return replacements.get(expression.key, expression)
    items = tuple(_replace_conditions(item, replacements) for item in expression.items)
    return type(expression)(items)


@dataclass(frozen=True)
class ValueSpec:
    """One input a rule needs."""

    name: str
    kind: ValueKind
    text_zh: str
    text_en: str


@dataclass(frozen=True)
class SilentDimension:
    """One dimension (area or head-count) in which silent owners can be counted.

    "沉默业主视为同意多数" (指导规则 2009 Art. 26 ¶2, legally contested, RULES.md §2.4).
    """

    total: str
    participating: str
    yes: str


@dataclass(frozen=True)
class ConditionChange:
    """A recorded difference between a customised rule and the rule as written."""

    original: Condition
    new_fraction: Fraction
    new_comparator: Comparator
    loosens: bool

    @property
    def key(self) -> str:
        return self.original.key

    @property
    def old_fraction(self) -> Fraction:
        return self.original.fraction

    @property
    def old_comparator(self) -> Comparator:
        return self.original.comparator

    def describe(self) -> str:
        return (
            f"{self.key}: {self.old_comparator.value} "
            f"{format_fraction(self.old_fraction)} -> {self.new_comparator.value} "
            f"{format_fraction(self.new_fraction)}"
            + (" (loosened)" if self.loosens else " (tightened)")
        )


@dataclass(frozen=True)
class Rule:
    """A decision rule: a quorum and an approval expression, and the law behind them.

    ``effective_from``/``effective_to`` are inclusive; ``effective_to=None`` means
    still in force. ``changes`` is empty for the rule as the law states it and records
    every condition a community setting changed (see ``consultation.ballots.domain.floors``).
    """

    id: str
    family: str
    title_zh: str
    title_en: str
    source: str
    source_en: str
    article: str
    article_en: str
    status_tag: StatusTag
    needs_legal_review: bool
    effective_from: date
    effective_to: date | None
    inputs: tuple[ValueSpec, ...]
    # (part, whole) pairs: part may never exceed whole.
    bounds: tuple[tuple[str, str], ...]
    quorum: Expression
    approval: Expression
    matters_zh: str = ""
    matters_en: str = ""
    note: str = ""
    silent_dimensions: tuple[SilentDimension, ...] = ()
    jurisdiction: str = "CN"
    changes: tuple[ConditionChange, ...] = ()

    def __post_init__(self) -> None:
        keys = [condition.key for condition in self.conditions()]
        if len(keys) != len(set(keys)):
            raise RuleError(f"{self.id}: condition keys must be unique")
        names = {spec.name for spec in self.inputs}
        for condition in self.conditions():
            if not {condition.numerator, condition.denominator} <= names:
                raise RuleError(f"{self.id}/{condition.key}: unknown input name")
        for part, whole in self.bounds:
            if not {part, whole} <= names:
                raise RuleError(f"{self.id}: bound {part} <= {whole} names no input")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise RuleError(f"{self.id}: effective_to precedes effective_from")

    @property
    def law(self) -> str:
        """The law and article, e.g. ``《民法典》第二百七十八条第二款``."""
        return f"{self.source}{self.article}"

    @property
    def law_en(self) -> str:
        return f"{self.source_en}, {self.article_en}"

    @property
    def is_customised(self) -> bool:
        return bool(self.changes)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(spec.name for spec in self.inputs)

    def conditions(self) -> Iterator[Condition]:
        yield from self.quorum.conditions()
        yield from self.approval.conditions()

    def condition(self, key: str) -> Condition:
        for condition in self.conditions():
            if condition.key == key:
                return condition
        raise KeyError(key)

    def in_force_on(self, day: date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )

    def replace_conditions(
        self, replacements: Mapping[str, Condition]
    ) -> tuple[Expression, Expression]:
        """The quorum and approval trees with the named leaves replaced."""
        return (
            _replace_conditions(self.quorum, replacements),
            _replace_conditions(self.approval, replacements),
        )


@dataclass(frozen=True)
class ConditionResult:
    """One condition as evaluated, with its exact actual fraction."""

    key: str
    role: Role
    numerator_field: str
    denominator_field: str
    numerator: int
    denominator: int
    required: Fraction
    comparator: Comparator
    holds: bool
    # Silent owners' votes added to this condition (approval only; 0 when not used).
    silent_added: int = 0
    silent_side: str | None = None

    @property
    def actual(self) -> Fraction | None:
        """The exact actual fraction, or None when the denominator is zero."""
        if self.denominator == 0:
            return None
        return Fraction(self.numerator, self.denominator)

    def as_dict(self) -> dict[str, object]:
        actual = self.actual
        return {
            "key": self.key,
            "role": self.role.value,
            "numerator_field": self.numerator_field,
            "denominator_field": self.denominator_field,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "actual": None if actual is None else format_fraction(actual),
            "required": format_fraction(self.required),
            "comparator": self.comparator.value,
            "holds": self.holds,
            "silent_added": self.silent_added,
            "silent_side": self.silent_side,
        }


@dataclass(frozen=True)
class Evaluation:
    """The frozen outcome of applying one rule to one set of tallies."""

    rule: Rule
    values: tuple[tuple[str, int], ...]
    passed: bool
    quorum_met: bool
    approval_met: bool
    conditions: tuple[ConditionResult, ...]
    # The contested "silent owners follow the majority" option was switched on.
    count_silent_owners_with_majority: bool = False

    def condition(self, key: str) -> ConditionResult:
        for result in self.conditions:
            if result.key == key:
                return result
        raise KeyError(key)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready dict (the shape `manage.py decide` prints)."""
        rule = self.rule
        return {
            "rule": rule.id,
            "family": rule.family,
            "passed": self.passed,
            "quorum_met": self.quorum_met,
            "approval_met": self.approval_met,
            "law": rule.law,
            "law_en": rule.law_en,
            "status_tag": rule.status_tag.value,
            "needs_legal_review": rule.needs_legal_review,
            "customised": rule.is_customised,
            "count_silent_owners_with_majority": (
                self.count_silent_owners_with_majority
            ),
            "quorum_logic": rule.quorum.logic(),
            "approval_logic": rule.approval.logic(),
            "values": dict(self.values),
            "value_kinds": {spec.name: spec.kind.value for spec in rule.inputs},
            "conditions": [result.as_dict() for result in self.conditions],
        }


def _validate(rule: Rule, values: Mapping[str, object]) -> dict[str, int]:
    expected = rule.input_names
    missing = [name for name in expected if name not in values]
    if missing:
        raise InvalidValues(
            f"{rule.id}: missing value(s) {', '.join(missing)} / 缺少数值"
        )
    extra = sorted(set(values) - set(expected))
    if extra:
        raise InvalidValues(
            f"{rule.id}: unknown value(s) {', '.join(extra)}; expected "
            f"{', '.join(expected)} / 未知数值"
        )
    clean: dict[str, int] = {}
    for name in expected:
        value = values[name]
        # bool is an int subclass; True is not a tally.
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValues(
                f"{name} must be an integer, got {value!r} / {name} 必须是整数"
            )
        if value < 0:
            raise InvalidValues(f"{name} is negative ({value}) / {name} 不能为负数")
        clean[name] = value
    for part, whole in rule.bounds:
        if clean[part] > clean[whole]:
            raise InvalidValues(
                f"{part} ({clean[part]}) exceeds {whole} ({clean[whole]}) "
                f"/ {part} 不能大于 {whole}"
            )
    return clean


def _silent_adjusted(
    rule: Rule, values: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, tuple[int, str]]]:
    """Tallies for the approval conditions with silent owners following the majority.

    Silent owners (total - participating) join the side holding a strict majority of
    the expressed votes in the same dimension: "yes" when yes > participating - yes,
    "not yes" when yes < participating - yes; on a tie there is no majority and they
    are not counted. They are then treated as having voted, so a denominator that is
    the participating tally becomes the total. Quorum conditions never see this.
    Returns the adjusted tallies and, per adjusted input name, (added, side).
    """
    adjusted = dict(values)
    added: dict[str, tuple[int, str]] = {}
    for dim in rule.silent_dimensions:
        total, part, yes = values[dim.total], values[dim.participating], values[dim.yes]
        silent = total - part
        if silent == 0 or 2 * yes == part:
            continue
        side = "yes" if 2 * yes > part else "no"
        adjusted[dim.participating] = total
        added[dim.participating] = (silent, side)
        if side == "yes":
            adjusted[dim.yes] = yes + silent
            added[dim.yes] = (silent, side)
    return adjusted, added


def evaluate(
    rule: Rule,
    values: Mapping[str, object],
    *,
    count_silent_owners_with_majority: bool = False,
) -> Evaluation:
    """Apply ``rule`` to integer tallies and return a frozen ``Evaluation``.

    ``values`` must hold exactly ``rule.input_names``, as non-negative ints (areas in
    0.01 m²). Raises ``InvalidValues`` for missing or unknown names, non-integers,
    negative values and parts above their wholes.

    ``count_silent_owners_with_majority`` (default off; legally contested, RULES.md
    §2.4) is only available on rules with silent dimensions (owners' decisions) and
    only ever affects the approval conditions, never the quorum.
    """
    clean = _validate(rule, values)
    if count_silent_owners_with_majority and not rule.silent_dimensions:
        raise RuleError(
            f"{rule.id}: counting silent owners with the majority applies only to "
            "owners' decisions / 沉默业主计入多数仅适用于业主共同决定"
        )
    approval_values, silent = (
        _silent_adjusted(rule, clean)
        if count_silent_owners_with_majority
        else (clean, {})
    )

    results: dict[str, ConditionResult] = {}
    for condition in rule.conditions():
        source = approval_values if condition.role is Role.APPROVAL else clean
        numerator = source[condition.numerator]
        denominator = source[condition.denominator]
        silent_added, silent_side = 0, None
        if condition.role is Role.APPROVAL:
            for name in (condition.numerator, condition.denominator):
                if name in silent:
                    silent_added, silent_side = silent[name]
        results[condition.key] = ConditionResult(
            key=condition.key,
            role=condition.role,
            numerator_field=condition.numerator,
            denominator_field=condition.denominator,
            numerator=numerator,
            denominator=denominator,
            required=condition.fraction,
            comparator=condition.comparator,
            holds=condition.comparator.holds(
                numerator, denominator, condition.fraction
            ),
            silent_added=silent_added,
            silent_side=silent_side,
        )

    quorum_met = _holds(rule.quorum, results)
    approval_met = _holds(rule.approval, results)
    return Evaluation(
        rule=rule,
        values=tuple((name, clean[name]) for name in rule.input_names),
        passed=quorum_met and approval_met,
        quorum_met=quorum_met,
        approval_met=approval_met,
        conditions=tuple(results.values()),
        count_silent_owners_with_majority=count_silent_owners_with_majority,
    )
