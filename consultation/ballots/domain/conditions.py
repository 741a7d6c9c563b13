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
    "RuleKind",
    "SilentDimension",
    "StatedFloor",
    "StatusTag",
    "ValueKind",
    "ValueSpec",
    "format_fraction",
    "is_at_least_as_strict",
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
    """Whether a condition is part of the quorum, the approval or a proposal."""

    QUORUM = "quorum"
    APPROVAL = "approval"
    # A share of the constituency proposing that a meeting be convened (提议).
    PROPOSAL = "proposal"


class RuleKind(enum.StrEnum):
    """What a rule decides, which also decides which way a setting may move.

    * ``DECISION``: a meeting's quorum and approval. A setting may tighten it; a
      national rule is its own floor, a local or unverified rule states its floor.
    * ``CONVENING``: the share of proposers that obliges a body to convene a meeting.
      It is a right of those proposing: a setting may LOWER it (easier to convene),
      never raise it above the law's value (RULES.md §9a).
    * ``CONSENT``: every member of a named set must consent (民法典第二百七十九条);
      nothing to tighten, nothing to loosen.
    """

    DECISION = "decision"
    CONVENING = "convening"
    CONSENT = "consent"

    @property
    def may_only_lower(self) -> bool:
        return self is RuleKind.CONVENING


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
class StatedFloor:
    """The least a local or unverified rule's condition may ask, and its source.

    A [LOCAL] or [UNVERIFIED] decision rule may be tightened freely but loosened only
    down to this floor (issue 9 item 5), e.g. the party members' meeting down to
    《中国共产党支部工作条例（试行）》, the 2025 residents' meeting placeholder down to
    the 2018 law until its text is verified.
    """

    key: str
    fraction: Fraction
    comparator: Comparator
    source: str
    source_en: str
    status_tag: StatusTag
    needs_legal_review: bool = False

    @property
    def required(self) -> str:
        return f"{self.comparator.value} {format_fraction(self.fraction)}"


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
    # None: the rule has no quorum (a proposal to convene, a unanimous consent).
    quorum: Expression | None
    approval: Expression
    matters_zh: str = ""
    matters_en: str = ""
    note: str = ""
    silent_dimensions: tuple[SilentDimension, ...] = ()
    jurisdiction: str = "CN"
    changes: tuple[ConditionChange, ...] = ()
    kind: RuleKind = RuleKind.DECISION
    # Floors of a [LOCAL]/[UNVERIFIED] decision rule's conditions (see ``floors``).
    floors: tuple[StatedFloor, ...] = ()
    # (parts, whole): the parts together may never exceed the whole.
    sum_bounds: tuple[tuple[tuple[str, ...], str], ...] = ()
    # Inputs that must be at least 1 for the rule to apply at all.
    positive: tuple[str, ...] = ()

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
        for parts, whole in self.sum_bounds:
            if not {*parts, whole} <= names:
                raise RuleError(f"{self.id}: bound on {parts} names no input")
        if not set(self.positive) <= names:
            raise RuleError(f"{self.id}: a positive input names no input")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise RuleError(f"{self.id}: effective_to precedes effective_from")
        self._check_floors(set(keys))

    def _check_floors(self, keys: set[str]) -> None:
        """A stated floor belongs to a local/unverified decision rule and is met by
        the rule as written."""
        for floor in self.floors:
            if floor.key not in keys:
                raise RuleError(f"{self.id}: floor for unknown condition {floor.key}")
            if self.status_tag.is_floor or self.kind is not RuleKind.DECISION:
                raise RuleError(f"{self.id}: only local decision rules state floors")
            condition = self.condition(floor.key)
            if not is_at_least_as_strict(
                condition.fraction,
                condition.comparator,
                floor.fraction,
                floor.comparator,
            ):
                raise RuleError(f"{self.id}/{floor.key}: default below its floor")

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
        if self.quorum is not None:
            yield from self.quorum.conditions()
        yield from self.approval.conditions()

    def stated_floor(self, key: str) -> StatedFloor | None:
        for floor in self.floors:
            if floor.key == key:
                return floor
        return None

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
    ) -> tuple[Expression | None, Expression]:
        """The quorum and approval trees with the named leaves replaced."""
        return (
            None
            if self.quorum is None
            else _replace_conditions(self.quorum, replacements),
            _replace_conditions(self.approval, replacements),
        )


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
