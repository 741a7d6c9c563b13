"""Which version of a rule judges a ballot: the one in force when voting closes.

RULES.md §9.3: a vote is evaluated with the rule in force on its decision date, the
day voting closes and the resolution is made (Asia/Shanghai), never the day it
opened or the day its roll was taken (the roll stays fixed at opening). Basis:
最高人民法院关于适用《中华人民共和国民法典》时间效力的若干规定 (法释〔2020〕15号)
第一条 — the Civil Code governs facts that begin before 2021-01-01 and continue after
it; the 2025 revision of the Urban Residents' Committee Organic Law takes effect
2026-01-01 the same way. A ballot open across the date a new version takes effect is
flagged. No Django import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..thresholds import Rule
from .registry import FAMILIES, NoRuleInForce, get_rule, rule_for

__all__ = ["RuleChoice", "choose_rule", "versions_taking_effect"]


def versions_taking_effect(family: str, start: date, end: date) -> tuple[Rule, ...]:
    """The versions of ``family`` that take effect after ``start``, up to ``end``."""
    return tuple(
        rule for rule in FAMILIES[family] if start < rule.effective_from <= end
    )


@dataclass(frozen=True)
class RuleChoice:
    """The version applied to a ballot, and how its dates were read."""

    rule: Rule
    requested: str
    decision_date: date
    # The decision date is the expected one: voting has not closed yet.
    provisional: bool
    opened_on: date | None
    at_opening: Rule | None
    taking_effect: tuple[Rule, ...]

    @property
    def spans_effective_date(self) -> bool:
        return bool(self.taking_effect)

    def as_dict(self) -> dict[str, object]:
        dates = [rule.effective_from.isoformat() for rule in self.taking_effect]
        return {
            "rule_requested": self.requested,
            "decision_date": self.decision_date.isoformat(),
            "decision_date_provisional": self.provisional,
            "opened_on": self.opened_on.isoformat() if self.opened_on else None,
            "rule_at_opening": self.at_opening.id if self.at_opening else None,
            "spans_effective_date": self.spans_effective_date,
            "effective_dates_crossed": dates,
            "spans_note_zh": (
                f"本次表决跨越新规则生效日（{'、'.join(dates)}），"
                f"依表决截止日适用 {self.rule.title_zh}"
                if dates
                else None
            ),
            "spans_note_en": (
                f"Voting was open across the date a new rule took effect "
                f"({', '.join(dates)}); the rule in force when voting closes "
                f"applies: {self.rule.title_en}"
                if dates
                else None
            ),
        }


def choose_rule(
    name: str,
    decision_date: date,
    *,
    opened_on: date | None = None,
    provisional: bool = False,
) -> RuleChoice:
    """The version of ``name``'s family in force on ``decision_date``.

    ``name`` is a family or a rule id; a rule id stands for its family here, since a
    ballot is judged by the law in force when voting closes whatever version was
    expected when it was set up (``ballot_create`` refuses a version not in force on
    the expected closing date). ``UnknownRule``/``NoRuleInForce`` otherwise.
    """
    family = name if name in FAMILIES else get_rule(name).family
    rule = rule_for(family, decision_date)
    at_opening: Rule | None = None
    taking_effect: tuple[Rule, ...] = ()
    if opened_on is not None:
        try:
            at_opening = rule_for(family, opened_on)
        except NoRuleInForce:
            at_opening = None
        taking_effect = versions_taking_effect(family, opened_on, decision_date)
    return RuleChoice(
        rule=rule,
        requested=name,
        decision_date=decision_date,
        provisional=provisional,
        opened_on=opened_on,
        at_opening=at_opening,
        taking_effect=taking_effect,
    )
