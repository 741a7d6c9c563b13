"""Counting all papers of a ballot, exactly, in one pass.

Encodes the counting rules of the package docstring (RULES.md §2.2–§2.4): weights in
heads and 0.01 m², every counted paper participating (abstentions always; blank and
invalid papers as the community's setting says, see ``tally``), winners by heads, the
election cut and its ties, the instant run-off and exact mean ratings. ``tally``
reads its papers once, in memory bounded by the options (and, for RANKED, by the
distinct rankings). Exact arithmetic only (int and
Fraction). No Django import here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction

from .spec import MOTION_KINDS, BallotKind, BallotSpec

__all__ = [
    "INVALID_PAPER",
    "OptionResult",
    "PaperRecord",
    "RunoffRound",
    "TallyError",
    "TallyResult",
    "Weight",
    "is_invalid_paper",
    "tally",
]


class TallyError(ValueError):
    """A stored paper does not fit its ballot (unknown option, negative weight …)."""


# The stored selection of a paper handed in but spoiled (废票: unreadable, marking
# more than allowed, or nothing where a choice is required). Only staff entering
# paper sheets record one; it counts for no option.
INVALID_PAPER = {"invalid": True}


def is_invalid_paper(selection: Mapping) -> bool:
    return selection.get("invalid") is True


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
    # Participation (参与表决) as the rules count it: every paper received, less the
    # blank and invalid ones when the community's setting does not count them.
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
    invalid_heads: int = 0  # papers received but spoiled (废票), entered by staff
    invalid_area: int = 0
    received_heads: int = 0  # every paper: participating + any left out of it
    received_area: int = 0

    def option(self, option_id: int) -> OptionResult:
        for result in self.options:
            if result.option_id == option_id:
                return result
        raise KeyError(option_id)


def _bad_paper(paper: object, problem: str) -> TallyError:
    return TallyError(f"stored paper does not fit the ballot ({problem}): {paper!r}")


class _Count:
    """The running sums of one pass over the papers, by option index."""

    __slots__ = (
        "area",
        "blank_area",
        "blank_heads",
        "channels",
        "heads",
        "invalid_area",
        "invalid_heads",
        "paper",
        "rankings",
        "scores",
        "total_area",
        "total_heads",
    )

    def __init__(self, n: int) -> None:
        self.heads = [0] * n
        self.area = [0] * n
        self.scores = [0] * n  # RATING: Σ heads × score
        self.channels: dict[str, list[int]] = {}
        self.rankings: Counter[tuple[int, ...]] = Counter()  # RANKED: ranking → heads
        self.total_heads = self.total_area = self.blank_heads = self.blank_area = 0
        self.invalid_heads = self.invalid_area = 0
        self.paper: object = None  # the paper being read, for error messages

    def weigh(self, paper: PaperRecord) -> tuple[int, int]:
        """Add ``paper`` to the totals and to its channel; its (heads, area)."""
        self.paper = paper
        h = paper.heads
        a = paper.area
        if h < 0 or a < 0:
            raise _bad_paper(paper, "negative weight")
        self.total_heads += h
        self.total_area += a
        sums = self.channels.get(paper.channel)
        if sums is None:
            sums = self.channels[paper.channel] = [0, 0]
        sums[0] += h
        sums[1] += a
        return h, a

    def blank(self, h: int, a: int) -> None:
        self.blank_heads += h
        self.blank_area += a

    def valid(self, papers: Iterable[PaperRecord]) -> Iterator[PaperRecord]:
        """The papers that mark something or nothing; invalid ones are weighed (they
        were received, through their channel) and set apart here."""
        for paper in papers:
            if is_invalid_paper(paper.selection):
                h, a = self.weigh(paper)
                self.invalid_heads += h
                self.invalid_area += a
            else:
                yield paper

    def participating(self, blank_and_invalid_participate: bool) -> tuple[int, int]:
        if blank_and_invalid_participate:
            return self.total_heads, self.total_area
        return (
            self.total_heads - self.blank_heads - self.invalid_heads,
            self.total_area - self.blank_area - self.invalid_area,
        )


def _count_options(
    spec: BallotSpec, papers: Iterable[PaperRecord], count: _Count, index: Mapping
) -> None:
    """MOTION, WRITTEN, SINGLE, MULTIPLE, ELECTION: ``{"options": [ids]}``."""
    most = spec.choice_bounds[1]
    heads, area = count.heads, count.area
    for paper in papers:
        h, a = count.weigh(paper)
        marks = paper.selection["options"]
        # Cheap guard against hand-edited rows: a stored selection that marks
        # too much or twice would break yes+no+abstain == participating.
        if len(marks) > 1 and (len(marks) > most or len(set(marks)) != len(marks)):
            raise _bad_paper(paper, "too many or duplicate options")
        for option_id in marks:
            i = index[option_id]
            heads[i] += h
            area[i] += a
        if not marks:
            count.blank(h, a)


def _count_rankings(
    spec: BallotSpec, papers: Iterable[PaperRecord], count: _Count, index: Mapping
) -> None:
    """RANKED: ``{"ranking": [ids, best first]}``; first preferences per option."""
    heads, area, rankings = count.heads, count.area, count.rankings
    for paper in papers:
        h, a = count.weigh(paper)
        marks = paper.selection["ranking"]
        if marks:
            i = index[marks[0]]
            heads[i] += h
            area[i] += a
            rankings[tuple(marks)] += h
        else:
            count.blank(h, a)
    for ranking in rankings:
        # Every id of a stored ranking must be on the ballot, once.
        if len(set(ranking)) != len(ranking) or any(r not in index for r in ranking):
            raise TallyError(f"stored ranking does not fit the ballot: {ranking!r}")


def _count_ratings(
    spec: BallotSpec, papers: Iterable[PaperRecord], count: _Count, index: Mapping
) -> None:
    """RATING: ``{"ratings": {"<id>": score}}``."""
    low, high = spec.rating_min, spec.rating_max
    heads, area, scores = count.heads, count.area, count.scores
    for paper in papers:
        h, a = count.weigh(paper)
        marks = paper.selection["ratings"]
        for key, score in marks.items():
            i = index[key]
            if type(score) is not int or not low <= score <= high:
                raise _bad_paper(paper, f"score {score!r}")
            heads[i] += h
            area[i] += a
            scores[i] += h * score
        if not marks:
            count.blank(h, a)


def _count(spec: BallotSpec, papers: Iterable[PaperRecord]) -> _Count:
    """One pass over ``papers``; a paper that does not fit raises ``TallyError``."""
    rating = spec.kind is BallotKind.RATING
    # Canonical selections use int ids ("options", "ranking") or str ids ("ratings").
    index: dict[object, int] = {
        (str(option_id) if rating else option_id): i
        for i, option_id in enumerate(spec.option_ids)
    }
    count = _Count(len(index))
    if rating:
        counter = _count_ratings
    elif spec.kind is BallotKind.RANKED:
        counter = _count_rankings
    else:
        counter = _count_options
    try:
        counter(spec, count.valid(papers), count, index)
    except (KeyError, TypeError, AttributeError) as exc:
        raise _bad_paper(count.paper, f"{type(exc).__name__}: {exc}") from exc
    return count


def tally(
    spec: BallotSpec,
    papers: Iterable[PaperRecord],
    *,
    blank_and_invalid_participate: bool = True,
) -> TallyResult:
    """Count ``papers`` (read once) under ``spec``; see the package docstring.

    ``blank_and_invalid_participate``: whether blank papers (nothing marked) and
    invalid ones (废票) count as participation (参与表决) — in the quorum, in the
    denominators of approval and in an election's share. Unsettled in law (RULES.md
    §2.2, §9a): a per-community setting, default yes [UNVERIFIED, needs legal
    review]. Abstentions (弃权) always participate: they are a choice. Either way the
    papers are reported apart (``blank_*``, ``invalid_*``, ``received_*``).
    """
    count = _count(spec, papers)
    heads_in, area_in = count.participating(blank_and_invalid_participate)
    ids = spec.option_ids
    results = [
        {"option_id": option_id, "heads": count.heads[i], "area": count.area[i]}
        for i, option_id in enumerate(ids)
    ]
    motion = dict.fromkeys(("yes", "no", "abstain"), (0, 0))
    if spec.kind in MOTION_KINDS:
        for i, option in enumerate(spec.options):
            motion[option.role.value] = (count.heads[i], count.area[i])
    extra = _outcome(spec, count, results, heads_in)
    return TallyResult(
        kind=spec.kind,
        participating_heads=heads_in,
        participating_area=area_in,
        options=tuple(OptionResult(**r) for r in results),
        by_channel=tuple(
            (name, sums[0], sums[1]) for name, sums in sorted(count.channels.items())
        ),
        yes_heads=motion["yes"][0],
        yes_area=motion["yes"][1],
        no_heads=motion["no"][0],
        no_area=motion["no"][1],
        abstain_heads=motion["abstain"][0],
        abstain_area=motion["abstain"][1],
        blank_heads=count.blank_heads,
        blank_area=count.blank_area,
        invalid_heads=count.invalid_heads,
        invalid_area=count.invalid_area,
        received_heads=count.total_heads,
        received_area=count.total_area,
        **extra,
    )


def _outcome(
    spec: BallotSpec, count: _Count, results: list[dict], participating: int
) -> dict[str, object]:
    """Winners, run-offs and seats by kind (MOTION/WRITTEN: none, see ``rules``)."""
    kind, ids, heads = spec.kind, spec.option_ids, count.heads
    if kind is BallotKind.SINGLE or kind is BallotKind.MULTIPLE:
        top = _top(ids, heads)
        if kind is BallotKind.SINGLE and len(top) > 1:
            return {"winner_ids": top, "runoff_needed": True, "runoff_ids": top}
        return {"winner_ids": top}
    if kind is BallotKind.ELECTION:
        return _elect(spec, heads, participating, results)
    if kind is BallotKind.RANKED:
        return _instant_runoff(ids, count.rankings, count.blank_heads, results)
    if kind is BallotKind.RATING:
        return _best_rated(ids, heads, count.scores, results)
    return {}


def _best_rated(
    ids: tuple[int, ...], heads: list[int], scores: list[int], results: list[dict]
) -> dict[str, object]:
    """Exact mean scores; the highest mean wins (several when tied)."""
    means: list[Fraction | None] = []
    for i in range(len(ids)):
        mean = Fraction(scores[i], heads[i]) if heads[i] else None
        means.append(mean)
        results[i]["score_sum"] = scores[i]
        results[i]["mean_score"] = mean
    rated = [m for m in means if m is not None]
    if not rated:
        return {}
    best = max(rated)
    return {
        "winner_ids": tuple(
            option_id
            for option_id, mean in zip(ids, means, strict=True)
            if mean is not None and mean == best
        )
    }


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
