"""The threshold engine: exact evaluation of a rule on integer tallies.

Encodes the cross-cutting engine rule of RULES.md §9.2: a threshold is
``(numerator, denominator, fraction p/q, comparator)`` and a compound rule is AND/OR
over thresholds (``conditions``). The comparators follow 《民法典》第一千二百五十九条
(Civil Code Art. 1259): "以上" includes the number itself (≥), while "过半数"/"超过"
exclude it (>). Everything is integer arithmetic: ``n/d ≥ p/q`` is decided as
``n*q >= p*d`` (no float, no division), and a zero denominator never satisfies a
condition. The contested "silent owners follow the majority" option (RULES.md §2.4)
only ever touches the approval.

This module knows no law by itself; ``consultation.ballots.domain.rules`` holds the
rules. It also re-exports the names of ``conditions``, its building blocks.
No Django import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from fractions import Fraction

from .conditions import (
    AllOf,
    AnyOf,
    Comparator,
    Condition,
    ConditionChange,
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
    format_fraction,
    parse_fraction,
)

__all__ = [
    "BELOW_QUORUM",
    "BELOW_QUORUM_EN",
    "BELOW_QUORUM_ZH",
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
    "RuleKind",
    "SilentDimension",
    "StatedFloor",
    "StatusTag",
    "ValueKind",
    "ValueSpec",
    "check_input_names",
    "check_values",
    "evaluate",
    "format_fraction",
    "parse_fraction",
]


#: The state of approval conditions when the quorum (participation) fails.
BELOW_QUORUM = "below_quorum"
BELOW_QUORUM_ZH = "未达到参会（参与）要求，表决条件不予认定"
BELOW_QUORUM_EN = "not reached: below quorum; the approval conditions are not assessed"


def _holds(expression: Expression, results: Mapping[str, ConditionResult]) -> bool:
    # Monotone AND/OR: every leaf has already been evaluated, so every condition
    # is reported even where the outcome was decided early.
    if isinstance(expression, Condition):
        return results[expression.key].holds
    if isinstance(expression, AllOf):
        return all(_holds(item, results) for item in expression.items)
    return any(_holds(item, results) for item in expression.items)


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
    # An approval condition is not assessed when the quorum fails: it then never
    # holds, whatever its arithmetic (its fraction is still reported).
    below_quorum: bool = False

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
            "below_quorum": self.below_quorum,
            "state": self.state,
        }

    @property
    def state(self) -> str:
        """``met``, ``not_met``, or ``below_quorum`` (approval not assessed)."""
        if self.below_quorum:
            return BELOW_QUORUM
        return "met" if self.holds else "not_met"


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
            "kind": rule.kind.value,
            "title": rule.title_zh,
            "title_en": rule.title_en,
            # date.min: a local practice with no start date of its own.
            "effective_from": (
                None
                if rule.effective_from == date.min
                else rule.effective_from.isoformat()
            ),
            "effective_to": (
                rule.effective_to.isoformat() if rule.effective_to else None
            ),
            "passed": self.passed,
            "quorum_met": self.quorum_met,
            "approval_met": self.approval_met,
            "below_quorum": not self.quorum_met,
            "approval_state_zh": None if self.quorum_met else BELOW_QUORUM_ZH,
            "approval_state_en": None if self.quorum_met else BELOW_QUORUM_EN,
            "law": rule.law,
            "law_en": rule.law_en,
            "status_tag": rule.status_tag.value,
            "needs_legal_review": rule.needs_legal_review,
            "customised": rule.is_customised,
            "count_silent_owners_with_majority": (
                self.count_silent_owners_with_majority
            ),
            "quorum_logic": None if rule.quorum is None else rule.quorum.logic(),
            "approval_logic": rule.approval.logic(),
            "values": dict(self.values),
            "value_kinds": {spec.name: spec.kind.value for spec in rule.inputs},
            "conditions": [result.as_dict() for result in self.conditions],
        }


def check_input_names(rule: Rule, values: Mapping[str, object]) -> None:
    """``InvalidValues`` unless ``values`` names exactly the rule's inputs."""
    expected = rule.input_names
    missing = [name for name in expected if name not in values]
    if missing:
        raise InvalidValues(
            f"{rule.id}：缺少数值 {', '.join(missing)}。 "
            f"{rule.id}: missing value(s) {', '.join(missing)}; "
            f"expected {', '.join(expected)}."
        )
    extra = sorted(set(values) - set(expected))
    if extra:
        raise InvalidValues(
            f"{rule.id}：未知数值 {', '.join(extra)}。 "
            f"{rule.id}: unknown value(s) {', '.join(extra)}; "
            f"expected {', '.join(expected)}."
        )


def check_values(rule: Rule, values: Mapping[str, object]) -> dict[str, int]:
    """The tallies as non-negative ints, parts within wholes; else ``InvalidValues``."""
    check_input_names(rule, values)
    clean: dict[str, int] = {}
    for name in rule.input_names:
        value = values[name]
        # bool is an int subclass; True is not a tally.
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValues(
                f"{name} 须为非负整数。 {name} must be a whole number "
                f"(a non-negative integer), got {value!r}."
            )
        if value < 0:
            raise InvalidValues(f"{name} 不能为负数。 {name} is negative ({value}).")
        clean[name] = value
    for part, whole in rule.bounds:
        if clean[part] > clean[whole]:
            raise InvalidValues(
                f"{part} 不能大于 {whole}。 "
                f"{part} ({clean[part]}) exceeds {whole} ({clean[whole]})."
            )
    for parts, whole in rule.sum_bounds:
        if sum(clean[part] for part in parts) > clean[whole]:
            together = " + ".join(parts)
            raise InvalidValues(
                f"{together} 之和不能大于 {whole}。 "
                f"{together} together exceed {whole} ({clean[whole]})."
            )
    for name in rule.positive:
        if clean[name] < 1:
            raise InvalidValues(
                f"{name} 须至少为1，否则本规则不适用。 "
                f"{name} must be at least 1 for {rule.id} to apply."
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


def _condition_result(
    condition: Condition,
    values: Mapping[str, int],
    silent: Mapping[str, tuple[int, str]],
) -> ConditionResult:
    """One condition evaluated on ``values`` (the silent-adjusted ones for approval)."""
    numerator = values[condition.numerator]
    denominator = values[condition.denominator]
    silent_added, silent_side = 0, None
    if condition.role is Role.APPROVAL:
        for name in (condition.numerator, condition.denominator):
            if name in silent:
                silent_added, silent_side = silent[name]
    return ConditionResult(
        key=condition.key,
        role=condition.role,
        numerator_field=condition.numerator,
        denominator_field=condition.denominator,
        numerator=numerator,
        denominator=denominator,
        required=condition.fraction,
        comparator=condition.comparator,
        holds=condition.comparator.holds(numerator, denominator, condition.fraction),
        silent_added=silent_added,
        silent_side=silent_side,
    )


def evaluate(
    rule: Rule,
    values: Mapping[str, object],
    *,
    count_silent_owners_with_majority: bool = False,
) -> Evaluation:
    """Apply ``rule`` to integer tallies and return a frozen ``Evaluation``.

    ``values`` must hold exactly ``rule.input_names``, as non-negative ints (areas in
    0.01 m²; ``inputs.parse_rule_inputs`` reads them from JSON or a form). Raises
    ``InvalidValues`` for missing or unknown names, non-integers, negative values and
    parts above their wholes.

    ``count_silent_owners_with_majority`` (default off; legally contested, RULES.md
    §2.4) is only available on rules with silent dimensions (owners' decisions) and
    only ever affects the approval conditions, never the quorum.
    """
    clean = check_values(rule, values)
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
    results = {
        condition.key: _condition_result(
            condition,
            approval_values if condition.role is Role.APPROVAL else clean,
            silent,
        )
        for condition in rule.conditions()
    }
    # A rule without a quorum (a proposal, a consent) has nothing to fail there.
    quorum_met = rule.quorum is None or _holds(rule.quorum, results)
    if not quorum_met:
        # Below quorum there is no decision to approve: no approval condition is
        # presented as met (issue 9 item 8).
        results = {
            key: replace(result, holds=False, below_quorum=True)
            if result.role is Role.APPROVAL
            else result
            for key, result in results.items()
        }
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
