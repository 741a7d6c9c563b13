"""The assessment of a community, mainly by its residents' satisfaction.

Law: 民发〔2015〕136号 [NAT-NORM] and the Panzhihua opinion [LOCAL]: one indicator
system per district; the residents' satisfaction is the main measure; no "one-vote
veto" (一票否决) — no single indicator may decide the whole. Weights are whole
percentages summing to exactly 100; each indicator's score is an exact fraction in
[0, 1]; the total is Σ weight × score, an exact Fraction out of 100. Never floats.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from fractions import Fraction

TOTAL_WEIGHT = 100
VETO_WORDS = (
    "社区考核不得设置“一票否决”事项（民发〔2015〕136号，社区减负实施意见）。"
    " A veto indicator is not allowed: no single item may decide the assessment."
)


class Source(enum.StrEnum):
    SATISFACTION_BALLOT = "satisfaction_ballot"  # 满意度测评: a rating ballot
    REQUEST_RATINGS = "request_ratings"  # residents' ratings of answered requests
    LIST_COMPLETION = "list_completion"  # the two lists' items completed
    MANUAL = "manual"  # entered by the office, with its source


class SystemError_(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Indicator:
    key: str
    weight: int  # whole per cent
    source: Source | str
    veto: bool = False


def check_system(indicators: list[Indicator] | tuple[Indicator, ...]) -> None:
    """Refuse a veto indicator, a weight outside 1–100, weights not summing to 100,
    a repeated key, or a system without a residents' satisfaction indicator."""
    if any(indicator.veto for indicator in indicators):
        raise SystemError_("veto")
    if not indicators:
        raise SystemError_("empty")
    if any(not 1 <= indicator.weight <= TOTAL_WEIGHT for indicator in indicators):
        raise SystemError_("weight_range")
    if sum(indicator.weight for indicator in indicators) != TOTAL_WEIGHT:
        raise SystemError_("weights_sum")
    if len({indicator.key for indicator in indicators}) != len(indicators):
        raise SystemError_("duplicate")
    if not any(
        Source(indicator.source) is Source.SATISFACTION_BALLOT
        for indicator in indicators
    ):
        raise SystemError_("no_satisfaction")


def rating_score(mean: Fraction, low: int, high: int) -> Fraction:
    """A mean rating on low..high as a score in [0, 1]: (mean − low) / (high − low)."""
    if high <= low:
        raise ValueError("high must exceed low")
    if not low <= mean <= high:
        raise ValueError("mean outside the scale")
    return (Fraction(mean) - low) / (high - low)


def share_score(done: int, total: int) -> Fraction:
    """A completion share; a period with nothing to complete scores full."""
    if done < 0 or total < 0 or done > total:
        raise ValueError("0 <= done <= total")
    return Fraction(1) if total == 0 else Fraction(done, total)


def total(indicators, scores: dict[str, Fraction]) -> Fraction:
    """Σ weight × score over a checked system: an exact Fraction in [0, 100].
    Every indicator needs a score in [0, 1]."""
    check_system(indicators)
    result = Fraction(0)
    for indicator in indicators:
        score = scores.get(indicator.key)
        if score is None:
            raise SystemError_("missing_input")
        score = Fraction(score)
        if not 0 <= score <= 1:
            raise SystemError_("score_range")
        result += indicator.weight * score
    return result


def cut_two(value: Fraction) -> str:
    """A Fraction shown with two decimals, cut, never rounded (as ballots show)."""
    hundredths = (value.numerator * 100) // value.denominator
    return f"{hundredths // 100}.{hundredths % 100:02d}"
