"""Shorthands the rule tables share: the fractions the laws write out in words.

"过半数" is ``(HALF, GT)``, "三分之二以上" ``(TWO_THIRDS, GE)``, "四分之三以上"
``(THREE_QUARTERS, GE)`` (《民法典》第一千二百五十九条: "以上" includes the number
itself). No Django import here.
"""

from __future__ import annotations

from fractions import Fraction

from ..conditions import Comparator, Role

HALF = Fraction(1, 2)
TWO_THIRDS = Fraction(2, 3)
THREE_QUARTERS = Fraction(3, 4)
GE, GT = Comparator.GE, Comparator.GT
QUORUM, APPROVAL = Role.QUORUM, Role.APPROVAL
