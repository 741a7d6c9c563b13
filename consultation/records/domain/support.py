"""A residents' proposal's support against the convening threshold, in plain Chinese.

The thresholds are the convening rules of the decision engine
(``consultation.ballots.domain.rules.convening``): ``residents-meeting-convening``
(《城市居民委员会组织法》第十条第一款: 1/5 of residents aged 18+, 1/5 of households
or 1/3 of residents' groups; its 2025 placeholder, flagged) and
``owners-extraordinary-meeting`` (《物业管理条例》第十三条: 20% of owners). Any one
route suffices ("或者"); "以上" includes the bound (民法典第一千二百五十九条). A
residents' group's proposal is an act of the group, not a count of supports
(RULES.md §9a).

Each route reads "已有 37 户支持，须达五分之一以上即 120 户（还差 83 户）": the count
needed is the least whole number meeting the condition, computed exactly. No
Django import here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from consultation.ballots.domain.rules import Comparator, Rule, evaluate
from consultation.ballots.domain.wording import fraction_words

# Days the committee has to put a proposal on an agenda once its threshold is met:
# the default of the per-community setting. LOCAL practice, needs legal review (the
# project knows of no national period for putting a proposal on an agenda).
AGENDA_DAYS_DEFAULT = 15

#: How each proposing count reads: (the unit, who).
UNITS_ZH = {
    "proposing_residents": ("人", "十八周岁以上居民"),
    "proposing_households": ("户", "户"),
    "proposing_groups": ("个", "居民小组"),
    "proposing_representatives": ("名", "居民代表"),
    "proposing_owners": ("人", "业主"),
}


def least_count(whole: int, fraction: Fraction, comparator: Comparator) -> int:
    """The least n with n/whole meeting (fraction, comparator); exact integers."""
    product = fraction.numerator * whole
    if comparator is Comparator.GE:
        return -(-product // fraction.denominator)  # ceiling
    return product // fraction.denominator + 1


@dataclass(frozen=True)
class Route:
    """One way to reach the threshold (by residents, households, groups …)."""

    numerator: str
    have: int
    whole: int
    need: int
    fraction: Fraction
    comparator: Comparator
    met: bool

    @property
    def words(self) -> str:
        unit, who = UNITS_ZH.get(self.numerator, ("", ""))
        had = (
            f"已有 {self.have} 户支持"
            if who == "户"
            else f"已有{who} {self.have} {unit}支持"
        )
        if self.whole == 0:
            return f"{had}；登记中尚无{who}，无法计算门槛。"
        share = fraction_words(self.fraction)
        bound = f"达{share}以上" if self.comparator is Comparator.GE else f"超过{share}"
        target = f"须{bound}即 {self.need} {unit}"
        if self.met:
            return f"{had}，{target}，已达到。"
        return f"{had}，{target}（还差 {self.need - self.have} {unit}）。"


@dataclass(frozen=True)
class Progress:
    rule: Rule
    routes: tuple[Route, ...]
    met: bool


def progress(rule: Rule, values: Mapping[str, int]) -> Progress:
    """Every route of a convening ``rule`` against ``values`` (its inputs)."""
    evaluation = evaluate(rule, values)
    routes = []
    for result in evaluation.conditions:
        need = least_count(result.denominator, result.required, result.comparator)
        routes.append(
            Route(
                numerator=result.numerator_field,
                have=result.numerator,
                whole=result.denominator,
                need=need,
                fraction=result.required,
                comparator=result.comparator,
                met=result.holds,
            )
        )
    return Progress(rule=rule, routes=tuple(routes), met=evaluation.passed)
