"""Summary figures of answered requests, from counts (no personal data needed).

The median of a multiset given as {value: count} (the days each reply took), exact:
with an even number of values it is the mean of the two middle ones (a Fraction).
Satisfaction is the share of ratings of 3 or more (基本满意 and above) [LOCAL].
"""

from __future__ import annotations

from fractions import Fraction


def median_from_counts(counts: dict[int, int]) -> Fraction | None:
    total = sum(n for n in counts.values() if n > 0)
    if total == 0:
        return None
    ordered = sorted((value, n) for value, n in counts.items() if n > 0)
    lower_rank, upper_rank = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for value, n in ordered:
        if lower is None and lower_rank < seen + n:
            lower = value
        if upper_rank < seen + n:
            upper = value
            break
        seen += n
    return Fraction(lower + upper, 2)


def share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def percent_text(value: Fraction | None) -> str:
    """A share as a whole percentage, cut (never rounded up): 2/3 → "66%"."""
    if value is None:
        return "—"
    return f"{int(value * 100)}%"
