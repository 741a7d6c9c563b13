"""Ballots: validating one paper's selection and tallying all papers, exactly.

Rules encoded (RULES.md §2.2–§2.4 and the practice of 业主大会/居民会议 elections):

* Weight. Every paper carries a head-count and an area (0.01 m², see
  ``consultation.ballots.domain.units``; 0 when the ballot is not area-weighted). Tallies
  sum both; **winners are decided by heads**, area is reported alongside so that
  ``consultation.ballots.domain.rules`` can apply the double majority of
  《民法典》第二百七十八条.
* Participation. Every counted paper participates, including abstentions (弃权, which
  count against approval because the denominator is the participants, §2.2) and blank
  papers (allowed only when ``min_choices == 0``). Blank papers are reported apart
  (``blank_heads``/``blank_area``) so the service can apply the unsettled flag
  ``invalid_ballot_counts_as_participation`` of §2.2.
* MOTION / WRITTEN (书面征求意见, §2.4): one option with role yes/no/abstain per paper;
  the decision itself belongs to ``rules.decide``, so there is no winner here.
* SINGLE: one option; the option(s) with the most heads win; a tie at the top needs a
  run-off. MULTIPLE: ``min_choices``..``max_choices`` options; the most heads win,
  ties give several winners (no run-off).
* ELECTION: a paper marks ``min_choices``..``seats`` candidates. Candidates are ranked
  by heads; the top ``seats`` are elected. A candidate needs at least one vote, and,
  when ``min_share`` is set, strictly more than ``min_share`` × participating heads
  ("获得参加投票人数过半数的选票始得当选": ``min_share=Fraction(1, 2)``). Candidates of
  equal heads straddling the last seat are ``tied_at_cut`` and not elected
  (``runoff_needed``); the seats above the tie are still filled. Seats left open
  because too few candidates qualify are ``vacant_seats`` (另行选举). The other
  candidates with at least one vote get ``alternate_rank`` (候补, by heads) with
  competition ranking: equal heads share a rank and the next rank skips (1, 1, 3).
* RANKED: instant run-off by heads. Each round counts every paper for its
  highest-ranked continuing option; more than half of the continuing (non-exhausted)
  heads wins; otherwise all options tied for fewest are eliminated together, unless
  that would eliminate every continuing option, which needs a run-off.
* RATING (民主评议/满意度测评): each option rated ``rating_min``..``rating_max``; the
  mean is exact (``Fraction``) and weighted by heads; the highest mean wins (ties give
  several winners).

Exact arithmetic only (int and Fraction). ``tally`` reads its papers once, in one
pass, in memory bounded by the options (and, for RANKED, by the distinct rankings).
No Django import here: error messages are plain Chinese-then-English strings, and
``SelectionError.code`` lets the service pick a translated message.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .thresholds import RuleError, parse_fraction

__all__ = [
    "CHANNELS",
    "BallotKind",
    "BallotSpec",
    "BallotSpecError",
    "OptionResult",
    "OptionRole",
    "OptionSpec",
    "PaperRecord",
    "RunoffRound",
    "SelectionError",
    "TallyError",
    "TallyResult",
    "Weight",
    "normalise_selection",
    "tally",
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


_MOTION_KINDS = frozenset({BallotKind.MOTION, BallotKind.WRITTEN})
_OPTION_KINDS = frozenset(
    {
        BallotKind.MOTION,
        BallotKind.WRITTEN,
        BallotKind.SINGLE,
        BallotKind.MULTIPLE,
        BallotKind.ELECTION,
    }
)
_SINGLE_KINDS = frozenset({BallotKind.MOTION, BallotKind.WRITTEN, BallotKind.SINGLE})
_MOTION_ROLES = frozenset({OptionRole.YES, OptionRole.NO, OptionRole.ABSTAIN})


class BallotSpecError(ValueError):
    """A ballot definition contradicts itself (a programming or configuration error)."""


class TallyError(ValueError):
    """A stored paper does not fit its ballot (unknown option, negative weight …)."""


@dataclass(frozen=True)
class OptionSpec:
    id: int
    role: OptionRole = OptionRole.CHOICE
    label: str = ""


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
        ids = [option.id for option in self.options]
        if any(type(i) is not int for i in ids):
            raise BallotSpecError(f"option ids must be int: {ids!r}")
        if len(set(ids)) != len(ids):
            raise BallotSpecError(f"option ids are not unique: {ids!r}")
        for name in ("min_choices", "max_choices", "seats", "rating_min", "rating_max"):
            if type(getattr(self, name)) is not int:
                raise BallotSpecError(f"{name} must be int")
        if self.min_choices < 0:
            raise BallotSpecError("min_choices must be >= 0")
        if self.min_share is not None:
            if self.kind is not BallotKind.ELECTION:
                raise BallotSpecError("min_share applies to ELECTION ballots only")
            try:
                share = parse_fraction(self.min_share)
            except RuleError as exc:
                raise BallotSpecError(str(exc)) from exc
            if not 0 <= share < 1:
                raise BallotSpecError("min_share must be in [0, 1)")
            object.__setattr__(self, "min_share", share)
        roles = [option.role for option in self.options]
        if self.kind in _MOTION_KINDS:
            if not set(roles) <= _MOTION_ROLES or len(set(roles)) != len(roles):
                raise BallotSpecError(
                    "a motion has one option per role yes/no/abstain (no 'choice')"
                )
            if OptionRole.YES not in roles or OptionRole.NO not in roles:
                raise BallotSpecError("a motion needs a 'yes' and a 'no' option")
        elif any(role is not OptionRole.CHOICE for role in roles):
            raise BallotSpecError("only MOTION/WRITTEN options may have yes/no/abstain")
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


# --------------------------------------------------------------------------------------
# Selections


class SelectionError(ValueError):
    """One paper's selection is refused.

    ``code`` is one of ``too_few``, ``too_many``, ``unknown_option`` (→ HTTP 400: the
    client sent an id that is not on the ballot), ``duplicate``, ``bad_shape``,
    ``bad_score``, ``empty`` (→ 422). ``message`` is Chinese, then English.
    """

    CODES = frozenset(
        {
            "too_few",
            "too_many",
            "unknown_option",
            "duplicate",
            "bad_shape",
            "bad_score",
            "empty",
        }
    )

    def __init__(self, code: str, message: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown SelectionError code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


# ASCII digits only (str.isdigit and int() also accept "１２"); 18 digits bound the
# work int() does on hostile input, and no option id is that long.
_INT_RE = re.compile(r"-?[0-9]{1,18}")


def _as_int(value: object) -> int | None:
    """An int, or a string holding one; None for anything else (bool, float …)."""
    if type(value) is int:
        return value
    if isinstance(value, str):
        text = value.strip()
        if _INT_RE.fullmatch(text):
            return int(text)
    return None


def _bad_shape(detail_zh: str, detail_en: str) -> SelectionError:
    return SelectionError(
        "bad_shape", f"选票格式不正确：{detail_zh}。 Malformed selection: {detail_en}."
    )


def _unwrap(raw: object, key: str) -> object:
    """The payload under ``key``; bare payloads are accepted too."""
    if isinstance(raw, Mapping):
        if set(raw) == {key}:
            return raw[key]
        raise _bad_shape(f"应只含“{key}”一项", f"expected exactly the key {key!r}")
    return raw


def _id_list(payload: object) -> list[int]:
    """A list/tuple of ids or one bare id → ints (order kept); None → []."""
    if payload is None:
        return []
    if isinstance(payload, list | tuple):
        items = list(payload)
    elif type(payload) is int or isinstance(payload, str):
        items = [payload]
    else:
        raise _bad_shape("应为选项编号列表", "expected a list of option ids")
    ids: list[int] = []
    for item in items:
        value = _as_int(item)
        if value is None:
            raise _bad_shape(f"“{item!r}”不是选项编号", f"{item!r} is not an option id")
        ids.append(value)
    return ids


def _check_ids(spec: BallotSpec, ids: list[int]) -> None:
    """unknown_option before duplicate, so tampering is always answered with 400."""
    known = set(spec.option_ids)
    for value in ids:
        if value not in known:
            raise SelectionError(
                "unknown_option",
                f"选项 {value} 不属于本次表决。 Option {value} is not on this ballot.",
            )
    seen: set[int] = set()
    for value in ids:
        if value in seen:
            raise SelectionError(
                "duplicate",
                f"选项 {value} 重复。 Option {value} appears more than once.",
            )
        seen.add(value)


def _check_count(spec: BallotSpec, count: int) -> None:
    lo, hi = spec.choice_bounds
    if count == 0:
        if spec.allows_blank:
            return
        raise SelectionError("empty", "未作任何选择。 Nothing was chosen.")
    if count > hi:
        raise SelectionError("too_many", f"最多选择 {hi} 项。 Choose at most {hi}.")
    if count < lo:
        if spec.kind is BallotKind.RATING and not spec.allow_partial_rating:
            raise SelectionError(
                "too_few", f"须为全部 {lo} 项评分。 Rate all {lo} options."
            )
        raise SelectionError("too_few", f"至少选择 {lo} 项。 Choose at least {lo}.")


def _ratings(spec: BallotSpec, raw: object) -> dict[str, int]:
    if raw is None:
        payload: object = {}
    elif isinstance(raw, Mapping) and "ratings" in raw:
        payload = _unwrap(raw, "ratings")
    else:
        payload = raw  # a bare {"<id>": score} mapping
    if not isinstance(payload, Mapping):
        raise _bad_shape(
            "评分应为“选项：分数”", "ratings must map option ids to scores"
        )
    pairs: list[tuple[int, object]] = []
    for key, score in payload.items():
        value = _as_int(key)
        if value is None:
            raise _bad_shape(f"“{key!r}”不是选项编号", f"{key!r} is not an option id")
        pairs.append((value, score))
    _check_ids(spec, [value for value, _ in pairs])
    low, high = spec.rating_min, spec.rating_max
    ratings: dict[int, int] = {}
    for value, score in pairs:
        number = _as_int(score)
        if number is None or not low <= number <= high:
            raise SelectionError(
                "bad_score",
                f"选项 {value} 的评分须为 {low} 至 {high} 的整数。 "
                f"The score of option {value} must be a whole number "
                f"from {low} to {high}.",
            )
        ratings[value] = number
    _check_count(spec, len(ratings))
    return {str(key): ratings[key] for key in sorted(ratings)}


def normalise_selection(spec: BallotSpec, raw: object) -> dict:
    """Validate what a form or the API sent and return the canonical stored dict.

    Accepted input:

    * MOTION/WRITTEN/SINGLE/MULTIPLE/ELECTION: ``{"options": [ids]}``, a bare list
      (or tuple) of ids, or one bare id; ids may be ints or strings such as ``"12"``.
      → ``{"options": [ids ascending]}``.
    * RANKED: ``{"ranking": [ids, best first]}`` or a bare list.
      → ``{"ranking": [ids, best first]}``.
    * RATING: ``{"ratings": {"<id>": score}}`` or the bare mapping; scores may be
      strings. → ``{"ratings": {"<id>": int}}`` with keys in ascending id order.
    * ``None`` is an empty selection (a blank paper when ``min_choices == 0``).

    A mapping with any other key is ``bad_shape``. Checks run in this order, so one
    defect always gives one code: ``bad_shape`` → ``unknown_option`` → ``duplicate``
    → ``bad_score`` → ``empty``/``too_few``/``too_many``.
    """
    kind = spec.kind
    if kind is BallotKind.RATING:
        return {"ratings": _ratings(spec, raw)}
    if kind is BallotKind.RANKED:
        ranking = _id_list(_unwrap(raw, "ranking"))
        _check_ids(spec, ranking)
        _check_count(spec, len(ranking))
        return {"ranking": ranking}
    ids = _id_list(_unwrap(raw, "options"))
    _check_ids(spec, ids)
    _check_count(spec, len(ids))
    return {"options": sorted(ids)}


# --------------------------------------------------------------------------------------
# Tally


@dataclass(frozen=True)
class Weight:
    heads: int
    area: int  # 0.01 m²; 0 when the ballot is not area-weighted


@dataclass(frozen=True)
class PaperRecord:
    """One counted vote, as stored."""

    selection: Mapping  # canonical dict from normalise_selection
    heads: int
    area: int
    channel: str  # "online" | "paper" | "door" | "proxy" | "official"

    @property
    def weight(self) -> Weight:
        return Weight(self.heads, self.area)


@dataclass(frozen=True)
class OptionResult:
    option_id: int
    # Weight of the papers marking it; RANKED: first preferences; RATING: heads of the
    # papers rating it (the number of ratings when every paper weighs one head).
    heads: int
    area: int
    score_sum: int = 0  # RATING: Σ heads × score
    mean_score: Fraction | None = None  # RATING: score_sum / heads, exact
    elected: bool = False  # ELECTION elected, RANKED winner
    alternate_rank: int | None = None  # ELECTION: 1, 2, … for the non-elected
    tied_at_cut: bool = False  # ELECTION: tie across the last seat → run-off


@dataclass(frozen=True)
class RunoffRound:
    """One RANKED round: counts of the continuing options (spec order)."""

    counts: tuple[tuple[int, int], ...]  # (option_id, heads)
    eliminated: tuple[int, ...]  # eliminated at the end of this round (spec order)
    exhausted: int  # heads of papers with no continuing option (blank papers too)


@dataclass(frozen=True)
class TallyResult:
    kind: BallotKind
    participating_heads: int
    participating_area: int
    options: tuple[OptionResult, ...]  # in spec order
    by_channel: tuple[tuple[str, int, int], ...]  # (channel, heads, area) by channel
    yes_heads: int
    yes_area: int
    no_heads: int
    no_area: int
    abstain_heads: int
    abstain_area: int
    rounds: tuple[RunoffRound, ...] = ()  # RANKED
    # ELECTION: elected, by heads desc (ties in spec order); RANKED: the winner;
    # SINGLE/MULTIPLE: most heads; RATING: highest mean (both: several if tied).
    winner_ids: tuple[int, ...] = ()
    runoff_needed: bool = False  # ELECTION cut tie, RANKED final tie, SINGLE top tie
    # Additions to the agreed interface:
    runoff_ids: tuple[int, ...] = ()  # who goes to the run-off (spec order)
    blank_heads: int = 0  # papers that marked nothing (min_choices == 0)
    blank_area: int = 0
    vacant_seats: int = 0  # ELECTION: seats neither filled nor tied (另行选举)

    def option(self, option_id: int) -> OptionResult:
        for result in self.options:
            if result.option_id == option_id:
                return result
        raise KeyError(option_id)


def _bad_paper(paper: object, problem: str) -> TallyError:
    return TallyError(f"stored paper does not fit the ballot ({problem}): {paper!r}")


def tally(spec: BallotSpec, papers: Iterable[PaperRecord]) -> TallyResult:
    """Count ``papers`` (read once) under ``spec``; see the module docstring."""
    ids = spec.option_ids
    n = len(ids)
    kind = spec.kind
    ranked = kind is BallotKind.RANKED
    rating = kind is BallotKind.RATING
    # Canonical selections use int ids ("options", "ranking") or str ids ("ratings").
    index: dict[object, int] = {
        (str(option_id) if rating else option_id): i for i, option_id in enumerate(ids)
    }
    most = spec.choice_bounds[1]
    heads = [0] * n
    area = [0] * n
    scores = [0] * n
    channels: dict[str, list[int]] = {}
    rankings: Counter[tuple[int, ...]] = Counter()
    total_heads = total_area = blank_heads = blank_area = 0
    low, high = spec.rating_min, spec.rating_max

    paper: object = None
    try:
        for paper in papers:
            h = paper.heads
            a = paper.area
            if h < 0 or a < 0:
                raise _bad_paper(paper, "negative weight")
            total_heads += h
            total_area += a
            sums = channels.get(paper.channel)
            if sums is None:
                sums = channels[paper.channel] = [0, 0]
            sums[0] += h
            sums[1] += a
            selection = paper.selection
            if rating:
                marks = selection["ratings"]
                for key, score in marks.items():
                    i = index[key]
                    if type(score) is not int or not low <= score <= high:
                        raise _bad_paper(paper, f"score {score!r}")
                    heads[i] += h
                    area[i] += a
                    scores[i] += h * score
            elif ranked:
                marks = selection["ranking"]
                if marks:
                    i = index[marks[0]]
                    heads[i] += h
                    area[i] += a
                    rankings[tuple(marks)] += h
            else:
                marks = selection["options"]
                # Cheap guard against hand-edited rows: a stored selection that
                # marks too much or twice would break yes+no+abstain == participating.
                if len(marks) > 1 and (
                    len(marks) > most or len(set(marks)) != len(marks)
                ):
                    raise _bad_paper(paper, "too many or duplicate options")
                for option_id in marks:
                    i = index[option_id]
                    heads[i] += h
                    area[i] += a
            if not marks:
                blank_heads += h
                blank_area += a
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad_paper(paper, f"{type(exc).__name__}: {exc}") from exc

    if ranked:
        for ranking in rankings:
            # Every id of a stored ranking must be on the ballot, once.
            if len(set(ranking)) != len(ranking) or any(
                r not in index for r in ranking
            ):
                raise TallyError(f"stored ranking does not fit the ballot: {ranking!r}")

    results = [
        {"option_id": ids[i], "heads": heads[i], "area": area[i]} for i in range(n)
    ]
    extra: dict[str, object] = {}
    motion = dict.fromkeys(("yes", "no", "abstain"), (0, 0))

    if kind in _MOTION_KINDS:
        for i, option in enumerate(spec.options):
            motion[option.role.value] = (heads[i], area[i])
    elif kind is BallotKind.SINGLE or kind is BallotKind.MULTIPLE:
        top = _top(ids, heads)
        extra["winner_ids"] = top
        if kind is BallotKind.SINGLE and len(top) > 1:
            extra["runoff_needed"] = True
            extra["runoff_ids"] = top
    elif kind is BallotKind.ELECTION:
        extra.update(_elect(spec, heads, total_heads, results))
    elif kind is BallotKind.RANKED:
        extra.update(_instant_runoff(ids, rankings, blank_heads, results))
    elif kind is BallotKind.RATING:
        means: list[Fraction | None] = []
        for i in range(n):
            mean = Fraction(scores[i], heads[i]) if heads[i] else None
            means.append(mean)
            results[i]["score_sum"] = scores[i]
            results[i]["mean_score"] = mean
        rated = [m for m in means if m is not None]
        if rated:
            best = max(rated)
            extra["winner_ids"] = tuple(
                ids[i] for i in range(n) if means[i] is not None and means[i] == best
            )

    return TallyResult(
        kind=kind,
        participating_heads=total_heads,
        participating_area=total_area,
        options=tuple(OptionResult(**r) for r in results),
        by_channel=tuple(
            (name, sums[0], sums[1]) for name, sums in sorted(channels.items())
        ),
        yes_heads=motion["yes"][0],
        yes_area=motion["yes"][1],
        no_heads=motion["no"][0],
        no_area=motion["no"][1],
        abstain_heads=motion["abstain"][0],
        abstain_area=motion["abstain"][1],
        blank_heads=blank_heads,
        blank_area=blank_area,
        **extra,
    )


def _top(ids: tuple[int, ...], heads: list[int]) -> tuple[int, ...]:
    """The ids with the most heads (spec order); none when nobody got a vote."""
    best = max(heads)
    if best <= 0:
        return ()
    return tuple(
        option_id for option_id, h in zip(ids, heads, strict=True) if h == best
    )


def _elect(
    spec: BallotSpec, heads: list[int], participating: int, results: list[dict]
) -> dict[str, object]:
    """Fill the seats by heads; see the module docstring for ties and alternates."""
    share = spec.min_share

    def qualifies(h: int) -> bool:
        if h <= 0:
            return False
        if share is None:
            return True
        return h * share.denominator > share.numerator * participating

    # Groups of equal heads, most heads first; spec order inside a group.
    order = sorted(range(len(heads)), key=lambda i: -heads[i])
    groups: list[list[int]] = []
    for i in order:
        if groups and heads[groups[-1][0]] == heads[i]:
            groups[-1].append(i)
        else:
            groups.append([i])

    seats = spec.seats
    filled = 0
    elected: list[int] = []
    tied: list[int] = []
    rest: list[int] = []
    for group in groups:
        if filled >= seats or not qualifies(heads[group[0]]):
            rest.extend(group)
        elif filled + len(group) <= seats:
            elected.extend(group)
            filled += len(group)
        else:
            tied.extend(group)
            filled = seats  # the tied group takes every seat left
    for i in elected:
        results[i]["elected"] = True
    for i in tied:
        results[i]["tied_at_cut"] = True
    # Competition ranking among alternates with at least one vote: 1, 1, 3, …
    rank = 0
    previous: int | None = None
    for position, i in enumerate((i for i in rest if heads[i] > 0), start=1):
        if heads[i] != previous:
            rank, previous = position, heads[i]
        results[i]["alternate_rank"] = rank
    ids = spec.option_ids
    return {
        "winner_ids": tuple(ids[i] for i in elected),
        "runoff_needed": bool(tied),
        "runoff_ids": tuple(ids[i] for i in sorted(tied)),
        # A tie takes every seat left; otherwise unfilled seats need 另行选举.
        "vacant_seats": 0 if tied else seats - len(elected),
    }


def _instant_runoff(
    ids: tuple[int, ...],
    rankings: Counter[tuple[int, ...]],
    blank_heads: int,
    results: list[dict],
) -> dict[str, object]:
    """Instant run-off by heads over aggregated rankings (ranking → heads)."""
    continuing = set(ids)
    rounds: list[RunoffRound] = []
    winner: int | None = None
    runoff: tuple[int, ...] = ()
    while True:
        counts = dict.fromkeys(continuing, 0)
        exhausted = blank_heads
        for ranking, h in rankings.items():
            for option_id in ranking:
                if option_id in continuing:
                    counts[option_id] += h
                    break
            else:
                exhausted += h
        live = sum(counts.values())
        in_order = tuple((i, counts[i]) for i in ids if i in continuing)
        if live == 0:  # nothing left to count (no papers, or all blank/weightless)
            rounds.append(RunoffRound(in_order, (), exhausted))
            break
        leader = max(in_order, key=lambda pair: pair[1])
        if 2 * leader[1] > live:
            winner = leader[0]
            rounds.append(RunoffRound(in_order, (), exhausted))
            break
        fewest = min(counts.values())
        last = tuple(i for i, c in in_order if c == fewest)
        if len(last) == len(continuing):
            runoff = last
            rounds.append(RunoffRound(in_order, (), exhausted))
            break
        rounds.append(RunoffRound(in_order, last, exhausted))
        continuing.difference_update(last)
    if winner is not None:
        results[ids.index(winner)]["elected"] = True
    return {
        "rounds": tuple(rounds),
        "winner_ids": () if winner is None else (winner,),
        "runoff_needed": bool(runoff),
        "runoff_ids": runoff,
    }
