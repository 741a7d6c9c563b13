"""Parts without a recorded area: they block opening an area-weighted ballot.

民法典 Art. 278 ¶2 [NAT-LAW] has owners decide by exclusive-part area as well as by
head-count, and SPI Art. 8 [NAT-LAW] takes the area from the register, else the
survey, else the sale contract. A counted part with none of the three would enter
the roll with no area, silently shrinking both the total area (the quorum's
denominator) and its owner's weight. So an area-weighted ballot does not open while
such a part remains, until staff either record its area in the register or confirm,
for this ballot and on the record, that it counts as zero. A ballot counted by
heads only is not blocked (SPI Art. 9 counts parts, not square metres).

No Django import here: the parts the roll flagged ``area_missing`` and the parts
confirmed for the ballot are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable

AREA_MISSING = "area_missing"  # the roll problem code (neighbourhoods.rolls.domain)


def missing_area_parts(problems: Iterable[tuple[str, str]]) -> tuple[int, ...]:
    """Part ids of the roll's ``area_missing`` problems, given (code, subject) pairs."""
    found: set[int] = set()
    for code, subject in problems:
        kind, _sep, pk = subject.partition(":")
        if code == AREA_MISSING and kind == "part" and pk.isdigit():
            found.add(int(pk))
    return tuple(sorted(found))


def parts_blocking_opening(
    missing: Iterable[int], confirmed_zero: Iterable[int], *, weighted_by_area: bool
) -> tuple[int, ...]:
    """The parts that still block opening: missing an area and not confirmed as 0."""
    if not weighted_by_area:
        return ()
    return tuple(sorted(set(missing) - set(confirmed_zero)))
