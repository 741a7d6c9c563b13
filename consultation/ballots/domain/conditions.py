"""Decision rules as data: comparators, conditions, AND/OR expressions, the Rule.

Encodes the cross-cutting engine rule of RULES.md §9.2: a threshold is
``(numerator, denominator, fraction p/q, comparator)`` and a compound rule is AND/OR
over thresholds. The comparators follow 《民法典》第一千二百五十九条 (Civil Code
Art. 1259): "以上" includes the number itself (≥), while "过半数"/"超过" exclude it
(>). Fractions are exact (``Fraction``, written ``"p/q"``); floats are refused.
A rule carries the law behind it (RULES.md §0.1 status tags) and its window of force.

``thresholds`` evaluates these rules; ``consultation.ballots.domain.rules`` holds the
rules themselves. No Django import here.
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
    "Expression",
    "InvalidValues",
    "Role",
    "Rule",
    "RuleError",
    "SilentDimension",
    "StatusTag",
    "ValueKind",
    "ValueSpec",
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
    every condition a community setting changed (see ``floors``).
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
