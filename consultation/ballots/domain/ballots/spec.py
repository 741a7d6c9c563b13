"""A ballot's shape: its kind, its options and the bounds of one paper.

Encodes which papers a kind allows (RULES.md §2.4 and the practice of
业主大会/居民会议 elections; see the package docstring): a MOTION or WRITTEN ballot
(书面征求意见) has one option per role yes/no/abstain, every other kind has plain
choices; ``min_choices == 0`` is what allows blank papers, for every kind; the
``min_share`` of an election ("获得参加投票人数过半数的选票始得当选") applies to
elections only. No Django import here.
"""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass
from fractions import Fraction

from ..conditions import RuleError, parse_fraction

__all__ = [
    "CHANNELS",
    "MOTION_KINDS",
    "BallotKind",
    "BallotSpec",
    "BallotSpecError",
    "OptionRole",
    "OptionSpec",
    "is_motion",
]

# The channels the platform records; ``tally`` accepts any string and reports it.
CHANNELS: tuple[str, ...] = ("door", "official", "online", "paper", "proxy")


class BallotKind(enum.StrEnum):
    """What a paper expresses and how the papers are counted."""

    MOTION = "motion"  # yes / no / abstain on a motion (options have roles)
    SINGLE = "single"  # exactly one option
    MULTIPLE = "multiple"  # between min_choices and max_choices options
    ELECTION = "election"  # elect `seats` candidates; a paper marks 1..seats
    RANKED = "ranked"  # instant run-off: a paper ranks 1..n options
    RATING = "rating"  # every option rated rating_min..rating_max (民主评议)
    WRITTEN = "written"  # 书面征求意见: the semantics of MOTION, collected door to door


class OptionRole(enum.StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    CHOICE = "choice"


#: The kinds whose options are yes/no/abstain and whose outcome a decision rule
#: decides (``rules.decide``): the one home of "a motion or a written consultation".
#: A ``StrEnum`` member equals its value, so plain strings are found here too.
MOTION_KINDS: frozenset[BallotKind] = frozenset({BallotKind.MOTION, BallotKind.WRITTEN})


def is_motion(kind: str) -> bool:
    """Is ``kind`` (a ``BallotKind`` or its stored string) a motion-like kind?"""
    return kind in MOTION_KINDS


_SINGLE_KINDS = frozenset({BallotKind.MOTION, BallotKind.WRITTEN, BallotKind.SINGLE})
_MOTION_ROLES = frozenset({OptionRole.YES, OptionRole.NO, OptionRole.ABSTAIN})
_INT_FIELDS = ("min_choices", "max_choices", "seats", "rating_min", "rating_max")


class BallotSpecError(ValueError):
    """A ballot definition contradicts itself (a programming or configuration error)."""


@dataclass(frozen=True)
class OptionSpec:
    id: int
    role: OptionRole = OptionRole.CHOICE
    label: str = ""


def _check_option_ids(ids: list[object]) -> None:
    if any(type(i) is not int for i in ids):
        raise BallotSpecError(f"option ids must be int: {ids!r}")
    if len(set(ids)) != len(ids):
        raise BallotSpecError(f"option ids are not unique: {ids!r}")


def _check_share(kind: BallotKind, min_share: object) -> Fraction:
    if kind is not BallotKind.ELECTION:
        raise BallotSpecError("min_share applies to ELECTION ballots only")
    try:
        share = parse_fraction(min_share)
    except RuleError as exc:
        raise BallotSpecError(str(exc)) from exc
    if not 0 <= share < 1:
        raise BallotSpecError("min_share must be in [0, 1)")
    return share


def _check_roles(kind: BallotKind, roles: Collection[OptionRole]) -> None:
    if kind in MOTION_KINDS:
        if not set(roles) <= _MOTION_ROLES or len(set(roles)) != len(roles):
            raise BallotSpecError(
                "a motion has one option per role yes/no/abstain (no 'choice')"
            )
        if OptionRole.YES not in roles or OptionRole.NO not in roles:
            raise BallotSpecError("a motion needs a 'yes' and a 'no' option")
    elif any(role is not OptionRole.CHOICE for role in roles):
        raise BallotSpecError("only MOTION/WRITTEN options may have yes/no/abstain")


@dataclass(frozen=True)
class BallotSpec:
    """A ballot's shape.

    Fields a kind does not use are ignored (``seats`` outside ELECTION, ``max_choices``
    outside MULTIPLE, the rating fields outside RATING), except ``min_share``, which
    is refused outside ELECTION so that nobody believes it applies elsewhere.
    ``min_choices == 0`` is what allows blank papers, for every kind.
    """

    kind: BallotKind
    options: tuple[OptionSpec, ...]
    min_choices: int = 1
    max_choices: int = 1
    seats: int = 1  # ELECTION only
    rating_min: int = 1
    rating_max: int = 5
    allow_partial_rating: bool = False
    # ELECTION only: elected needs heads > min_share × participating heads ("过半数").
    min_share: Fraction | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", BallotKind(self.kind))
        object.__setattr__(self, "options", tuple(self.options))
        if not self.options:
            raise BallotSpecError("a ballot needs at least one option")
        _check_option_ids([option.id for option in self.options])
        for name in _INT_FIELDS:
            if type(getattr(self, name)) is not int:
                raise BallotSpecError(f"{name} must be int")
        if self.min_choices < 0:
            raise BallotSpecError("min_choices must be >= 0")
        if self.min_share is not None:
            share = _check_share(self.kind, self.min_share)
            object.__setattr__(self, "min_share", share)
        _check_roles(self.kind, [option.role for option in self.options])
        self._check_counts()

    def _check_counts(self) -> None:
        if self.kind is BallotKind.ELECTION and self.seats < 1:
            raise BallotSpecError("seats must be >= 1")
        if self.kind is BallotKind.MULTIPLE and self.max_choices < 1:
            raise BallotSpecError("max_choices must be >= 1")
        if self.kind is BallotKind.RATING and self.rating_min > self.rating_max:
            raise BallotSpecError("rating_min must be <= rating_max")
        lo, hi = self.choice_bounds
        if lo > hi:
            raise BallotSpecError(
                f"min_choices {self.min_choices} cannot be met: at most {hi} allowed"
            )

    @property
    def choice_bounds(self) -> tuple[int, int]:
        """(fewest, most) options a non-blank paper marks, ranks or rates."""
        n = len(self.options)
        kind = self.kind
        if kind in _SINGLE_KINDS:
            return (max(self.min_choices, 1), 1)
        if kind is BallotKind.MULTIPLE:
            return (max(self.min_choices, 1), min(self.max_choices, n))
        if kind is BallotKind.ELECTION:
            return (max(self.min_choices, 1), min(self.seats, n))
        if kind is BallotKind.RATING and not self.allow_partial_rating:
            return (max(self.min_choices, n), n)
        # RANKED and partial RATING
        return (max(self.min_choices, 1), n)

    @property
    def allows_blank(self) -> bool:
        return self.min_choices == 0

    @property
    def option_ids(self) -> tuple[int, ...]:
        return tuple(option.id for option in self.options)
