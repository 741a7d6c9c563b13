"""Ballot selections and tallies (consultation.ballots.domain.ballots), exact and streaming."""

from __future__ import annotations

import itertools
import json
import re
import tracemalloc
from collections.abc import Iterator, Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultation.ballots.domain.ballots import (
    CHANNELS,
    BallotKind,
    BallotSpec,
    BallotSpecError,
    OptionRole,
    OptionSpec,
    PaperRecord,
    SelectionError,
    TallyError,
    TallyResult,
    Weight,
    normalise_selection,
    tally,
)

K = BallotKind
YES, NO, ABSTAIN = OptionRole.YES, OptionRole.NO, OptionRole.ABSTAIN
OPTION_KINDS = (K.MOTION, K.WRITTEN, K.SINGLE, K.MULTIPLE, K.ELECTION)


def motion(kind: BallotKind = K.MOTION, min_choices: int = 1) -> BallotSpec:
    return BallotSpec(
        kind,
        (OptionSpec(1, YES), OptionSpec(2, NO), OptionSpec(3, ABSTAIN)),
        min_choices=min_choices,
    )


def choices(kind: BallotKind, n: int, **kwargs: object) -> BallotSpec:
    return BallotSpec(kind, tuple(OptionSpec(i) for i in range(1, n + 1)), **kwargs)


def paper(
    selection: object, heads: int = 1, area: int = 0, channel: str = "online"
) -> PaperRecord:
    if isinstance(selection, list):
        selection = {"options": selection}
    return PaperRecord(selection, heads, area, channel)


def votes(kind: BallotKind, counts: dict[int, int], n: int, **kw: object):
    """A spec with options 1..n and, per option, that many one-mark papers."""
    spec = choices(kind, n, **kw)
    papers = [paper([oid]) for oid, c in counts.items() for _ in range(c)]
    return spec, tally(spec, papers)


# --------------------------------------------------------------------------------------
# Strategies


@st.composite
def specs(draw: st.DrawFn, kinds: Sequence[BallotKind] = tuple(BallotKind)):
    kind = draw(st.sampled_from(kinds))
    if kind in (K.MOTION, K.WRITTEN):
        ids = draw(
            st.lists(st.integers(1, 10_000), min_size=3, max_size=3, unique=True)
        )
        size = draw(st.sampled_from([2, 3]))  # with or without an abstain option
        roles = (YES, NO, ABSTAIN)[:size]
        options = [OptionSpec(i, r) for i, r in zip(ids[:size], roles, strict=True)]
        return BallotSpec(
            kind,
            tuple(draw(st.permutations(options))),
            min_choices=draw(st.sampled_from([0, 1])),
        )
    ids = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=6, unique=True))
    n = len(ids)
    options = tuple(OptionSpec(i) for i in ids)
    if kind is K.SINGLE:
        return BallotSpec(kind, options, min_choices=draw(st.sampled_from([0, 1])))
    if kind is K.MULTIPLE:
        most = draw(st.integers(1, n))
        fewest = draw(st.integers(0, most))
        return BallotSpec(kind, options, min_choices=fewest, max_choices=most)
    if kind is K.ELECTION:
        seats = draw(st.integers(1, n + 1))
        return BallotSpec(
            kind,
            options,
            seats=seats,
            min_choices=draw(st.integers(0, min(seats, n))),
            min_share=draw(
                st.sampled_from([None, Fraction(1, 2), Fraction(1, 3), Fraction(2, 3)])
            ),
        )
    if kind is K.RANKED:
        return BallotSpec(kind, options, min_choices=draw(st.integers(0, n)))
    partial = draw(st.booleans())
    low = draw(st.integers(-2, 2))
    return BallotSpec(
        kind,
        options,
        allow_partial_rating=partial,
        min_choices=draw(st.integers(0, n) if partial else st.sampled_from([0, 1])),
        rating_min=low,
        rating_max=low + draw(st.integers(0, 5)),
    )


@st.composite
def selections(draw: st.DrawFn, spec: BallotSpec) -> dict:
    """A valid canonical selection for ``spec``."""
    lo, hi = spec.choice_bounds
    count = draw(
        st.sampled_from(([0] if spec.allows_blank else []) + list(range(lo, hi + 1)))
    )
    picked = list(draw(st.permutations(spec.option_ids)))[:count]
    if spec.kind is K.RANKED:
        return {"ranking": picked}
    if spec.kind is K.RATING:
        scores = st.integers(spec.rating_min, spec.rating_max)
        return {"ratings": {str(i): draw(scores) for i in sorted(picked)}}
    return {"options": sorted(picked)}


@st.composite
def ballots(
    draw: st.DrawFn, kinds: Sequence[BallotKind] = tuple(BallotKind), max_papers=30
):
    spec = draw(specs(kinds))
    papers = draw(
        st.lists(
            st.builds(
                PaperRecord,
                selections(spec),
                st.integers(0, 3),
                st.integers(0, 50_000),
                st.sampled_from(CHANNELS),
            ),
            max_size=max_papers,
        )
    )
    return spec, papers


def marked(spec: BallotSpec, selection: dict) -> list[int]:
    if spec.kind is K.RANKED:
        return list(selection["ranking"])
    if spec.kind is K.RATING:
        return [int(k) for k in selection["ratings"]]
    return list(selection["options"])


# --------------------------------------------------------------------------------------
# Properties of every tally


@given(ballots())
def test_weights_are_conserved(ballot) -> None:
    spec, papers = ballot
    result = tally(spec, papers)
    heads = sum(p.heads for p in papers)
    area = sum(p.area for p in papers)
    assert (result.participating_heads, result.participating_area) == (heads, area)
    assert sum(h for _, h, _ in result.by_channel) == heads
    assert sum(a for _, _, a in result.by_channel) == area
    names = [name for name, _, _ in result.by_channel]
    assert names == sorted(set(names))
    assert set(names) == {p.channel for p in papers}
    blank = [p for p in papers if not marked(spec, p.selection)]
    assert result.blank_heads == sum(p.heads for p in blank)
    assert result.blank_area == sum(p.area for p in blank)


@given(ballots())
def test_option_weights_are_the_papers_marking_it(ballot) -> None:
    spec, papers = ballot
    result = tally(spec, papers)
    assert [r.option_id for r in result.options] == list(spec.option_ids)
    for r in result.options:
        if spec.kind is K.RANKED:
            marking = [p for p in papers if p.selection["ranking"][:1] == [r.option_id]]
        else:
            marking = [p for p in papers if r.option_id in marked(spec, p.selection)]
        assert r.heads == sum(p.heads for p in marking)
        assert r.area == sum(p.area for p in marking)


@given(st.data(), ballots())
def test_permutation_invariance(data: st.DataObject, ballot) -> None:
    spec, papers = ballot
    shuffled = data.draw(st.permutations(papers))
    assert tally(spec, shuffled) == tally(spec, papers)


@given(ballots())
def test_weight_of_k_heads_is_k_papers_of_one_head(ballot) -> None:
    """Weighting is linear: a paper of k heads counts as k papers of one head."""
    spec, papers = ballot
    split = [
        PaperRecord(p.selection, 1, p.area if j == 0 else 0, p.channel)
        for p in papers
        for j in range(p.heads)
    ] + [p for p in papers if p.heads == 0]
    assert tally(spec, split) == tally(spec, papers)


class OneShot:
    """An iterable that refuses a second pass, like a server-side DB cursor."""

    def __init__(self, papers: list[PaperRecord]) -> None:
        self.papers = papers
        self.passes = 0

    def __iter__(self) -> Iterator[PaperRecord]:
        self.passes += 1
        if self.passes > 1:
            raise AssertionError("tally iterated its papers twice")
        return iter(self.papers)


@given(ballots())
def test_tally_reads_its_papers_once(ballot) -> None:
    spec, papers = ballot
    once = OneShot(papers)
    assert tally(spec, once) == tally(spec, papers)
    assert once.passes == 1
    assert tally(spec, (p for p in papers)) == tally(spec, papers)


@pytest.mark.parametrize(
    ("spec", "shapes"),
    [
        (choices(K.RANKED, 3), ({"ranking": [1, 2]}, {"ranking": [2, 3, 1]})),
        (
            choices(K.MULTIPLE, 3, max_choices=3),
            ({"options": [1, 2]}, {"options": [3]}),
        ),
        (choices(K.RATING, 2), ({"ratings": {"1": 4, "2": 5}},)),
    ],
    ids=lambda v: getattr(v, "kind", "shapes"),
)
def test_memory_does_not_grow_with_papers(spec: BallotSpec, shapes) -> None:
    """30,000 streamed papers: nothing is kept per paper (a list of them alone would
    take over 200 KiB), only per option and per distinct ranking."""

    def stream() -> Iterator[PaperRecord]:
        for i in range(30_000):
            yield paper(shapes[i % len(shapes)], channel=CHANNELS[i % 5])

    tracemalloc.start()
    try:
        result = tally(spec, stream())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024
    assert result.participating_heads == 30_000
    assert sum(h for _, h, _ in result.by_channel) == 30_000


def test_ranked_long_stream_three_way_tie() -> None:
    spec = choices(K.RANKED, 3)
    shapes = ([1, 2], [2, 3, 1], [3])
    result = tally(spec, (paper({"ranking": shapes[i % 3]}) for i in range(30_000)))
    assert result.participating_heads == 30_000
    assert [r.heads for r in result.options] == [10_000, 10_000, 10_000]
    assert result.runoff_needed  # three-way tie for last in round 1


# --------------------------------------------------------------------------------------
# MOTION / WRITTEN


@given(ballots(kinds=(K.MOTION, K.WRITTEN)))
def test_motion_yes_no_abstain_blank_add_up_to_participation(ballot) -> None:
    spec, papers = ballot
    r = tally(spec, papers)
    assert (
        r.yes_heads + r.no_heads + r.abstain_heads + r.blank_heads
        == r.participating_heads
    )
    assert r.yes_area + r.no_area + r.abstain_area + r.blank_area == (
        r.participating_area
    )
    if r.blank_heads == 0 and r.blank_area == 0:
        assert r.yes_heads + r.no_heads + r.abstain_heads == r.participating_heads
    assert r.winner_ids == ()
    assert not r.runoff_needed


def test_abstention_participates_and_is_not_yes() -> None:
    papers = [
        paper([1], area=10_000, channel="door"),
        paper([2], area=20_000, channel="paper"),
        paper([3], area=30_000, channel="door"),
        paper([3], area=40_000, channel="proxy"),
    ]
    r = tally(motion(K.WRITTEN), papers)
    assert r.kind is K.WRITTEN
    assert (r.participating_heads, r.participating_area) == (4, 100_000)
    assert (r.yes_heads, r.yes_area) == (1, 10_000)
    assert (r.no_heads, r.no_area) == (1, 20_000)
    assert (r.abstain_heads, r.abstain_area) == (2, 70_000)
    assert r.by_channel == (
        ("door", 2, 40_000),
        ("paper", 1, 20_000),
        ("proxy", 1, 40_000),
    )


def test_motion_blank_papers_participate_and_mark_nothing() -> None:
    spec = motion(min_choices=0)
    assert normalise_selection(spec, []) == {"options": []}
    r = tally(spec, [paper([]), paper([1]), paper([], heads=2, area=5)])
    assert r.participating_heads == 4
    assert (r.blank_heads, r.blank_area) == (3, 5)
    assert (r.yes_heads, r.no_heads, r.abstain_heads) == (1, 0, 0)


# --------------------------------------------------------------------------------------
# Zero papers


@pytest.mark.parametrize(
    "spec",
    [
        motion(),
        choices(K.SINGLE, 3),
        choices(K.MULTIPLE, 3, max_choices=2),
        choices(K.ELECTION, 3, seats=2),
        choices(K.RANKED, 3),
        choices(K.RATING, 3),
    ],
    ids=lambda s: s.kind.value,
)
def test_zero_papers(spec: BallotSpec) -> None:
    r = tally(spec, [])
    assert (r.participating_heads, r.participating_area) == (0, 0)
    assert r.by_channel == ()
    assert [(o.option_id, o.heads, o.area) for o in r.options] == [
        (i, 0, 0) for i in spec.option_ids
    ]
    assert r.winner_ids == ()
    assert not r.runoff_needed
    assert not any(o.elected or o.tied_at_cut for o in r.options)
    assert all(o.alternate_rank is None and o.mean_score is None for o in r.options)
    if spec.kind is K.RANKED:
        assert r.rounds[-1].counts == ((1, 0), (2, 0), (3, 0))
    if spec.kind is K.ELECTION:
        assert r.vacant_seats == 2


# --------------------------------------------------------------------------------------
# SINGLE / MULTIPLE


def test_single_winner_and_top_tie() -> None:
    _, r = votes(K.SINGLE, {1: 3, 2: 5, 3: 1}, 3)
    assert (r.winner_ids, r.runoff_needed) == ((2,), False)
    _, r = votes(K.SINGLE, {1: 4, 2: 4, 3: 1}, 3)
    assert (r.winner_ids, r.runoff_needed, r.runoff_ids) == ((1, 2), True, (1, 2))


def test_multiple_tie_gives_several_winners_without_runoff() -> None:
    spec = choices(K.MULTIPLE, 4, min_choices=1, max_choices=2)
    r = tally(spec, [paper([1, 2]), paper([2, 3]), paper([1]), paper([4])])
    assert [o.heads for o in r.options] == [2, 2, 1, 1]
    assert (r.winner_ids, r.runoff_needed) == ((1, 2), False)


def test_single_blank_papers_do_not_win() -> None:
    spec = choices(K.SINGLE, 2, min_choices=0)
    r = tally(spec, [paper([]), paper([])])
    assert (r.participating_heads, r.blank_heads) == (2, 2)
    assert r.winner_ids == ()


# --------------------------------------------------------------------------------------
# ELECTION


@given(ballots(kinds=(K.ELECTION,)))
def test_election_invariants(ballot) -> None:
    spec, papers = ballot
    r = tally(spec, papers)
    elected = [o for o in r.options if o.elected]
    others = [o for o in r.options if not o.elected]
    tied = [o for o in r.options if o.tied_at_cut]
    assert len(elected) <= spec.seats
    assert all(e.heads >= o.heads for e in elected for o in others)
    assert all(e.heads > 0 for e in elected)
    if spec.min_share is not None:
        share = spec.min_share
        assert all(e.heads > share * r.participating_heads for e in elected)
    assert set(r.winner_ids) == {e.option_id for e in elected}
    winner_heads = [r.option(i).heads for i in r.winner_ids]
    assert winner_heads == sorted(winner_heads, reverse=True)
    assert r.runoff_needed == bool(tied)
    assert {o.option_id for o in tied} == set(r.runoff_ids)
    if tied:
        assert len({o.heads for o in tied}) == 1
        assert len(elected) < spec.seats < len(elected) + len(tied)
        assert r.vacant_seats == 0
    else:
        assert r.vacant_seats == spec.seats - len(elected)
    for o in r.options:
        assert not (o.elected and o.tied_at_cut)
        expects_rank = not o.elected and not o.tied_at_cut and o.heads > 0
        assert (o.alternate_rank is not None) == expects_rank
    alternates = sorted(
        (o for o in r.options if o.alternate_rank is not None),
        key=lambda o: o.alternate_rank,
    )
    for position, o in enumerate(alternates, start=1):  # competition ranking
        assert o.alternate_rank == 1 + sum(a.heads > o.heads for a in alternates)
        assert o.alternate_rank <= position


def test_election_winners_ordered_by_heads() -> None:
    _, r = votes(K.ELECTION, {1: 1, 2: 5, 3: 3}, 3, seats=3)
    assert r.winner_ids == (2, 3, 1)


def test_election_tie_at_the_cut() -> None:
    """A 5, B 3, C 3, D 1 for two seats: A elected, B and C to a run-off."""
    _, r = votes(K.ELECTION, {1: 5, 2: 3, 3: 3, 4: 1}, 4, seats=2)
    assert r.winner_ids == (1,)
    assert [o.tied_at_cut for o in r.options] == [False, True, True, False]
    assert [o.elected for o in r.options] == [True, False, False, False]
    assert [o.alternate_rank for o in r.options] == [None, None, None, 1]
    assert (r.runoff_needed, r.runoff_ids, r.vacant_seats) == (True, (2, 3), 0)


def test_election_tie_above_the_cut_is_no_tie() -> None:
    _, r = votes(K.ELECTION, {1: 5, 2: 3, 3: 3, 4: 1}, 4, seats=3)
    assert r.winner_ids == (1, 2, 3)
    assert not r.runoff_needed
    assert r.option(4).alternate_rank == 1


def test_election_tie_for_the_only_seat() -> None:
    _, r = votes(K.ELECTION, {1: 3, 2: 3, 3: 2}, 3, seats=1)
    assert r.winner_ids == ()
    assert (r.runoff_needed, r.runoff_ids) == (True, (1, 2))
    assert r.option(3).alternate_rank == 1


def test_election_alternates_share_ranks_when_equal() -> None:
    _, r = votes(K.ELECTION, {1: 9, 2: 4, 3: 4, 4: 2, 5: 0}, 5, seats=1)
    assert [o.alternate_rank for o in r.options] == [None, 1, 1, 3, None]


def test_election_zero_votes_never_elected() -> None:
    spec = choices(K.ELECTION, 4, seats=3)
    r = tally(spec, [paper([1, 2]), paper([1])])
    assert r.winner_ids == (1, 2)
    assert r.vacant_seats == 1
    assert not r.runoff_needed  # 3 and 4 both have 0 votes: no tie to break
    assert (r.option(3).alternate_rank, r.option(4).alternate_rank) == (None, None)


def test_election_min_share_is_strictly_more_than_half() -> None:
    """获得参加投票人数过半数的选票始得当选: 2 of 4 is not enough, 3 of 4 is."""
    spec = choices(K.ELECTION, 3, seats=2, min_share=Fraction(1, 2))
    r = tally(spec, [paper([1, 2]), paper([1, 2]), paper([1, 3]), paper([3])])
    assert [o.heads for o in r.options] == [3, 2, 2]
    assert r.winner_ids == (1,)
    assert not r.runoff_needed  # 2 and 3 tie across the cut but neither qualifies
    assert r.vacant_seats == 1
    assert [o.alternate_rank for o in r.options] == [None, 1, 1]


def test_election_min_share_accepts_text() -> None:
    spec = choices(K.ELECTION, 2, min_share="1/2")
    assert spec.min_share == Fraction(1, 2)


# --------------------------------------------------------------------------------------
# RANKED (instant run-off)


def reference_irv(option_ids, papers):
    """Independent, naive IRV: one unit ballot per head, recursion per round."""
    units = [list(p.selection["ranking"]) for p in papers for _ in range(p.heads)]

    def go(remaining: frozenset, rounds: list):
        firsts = [next((o for o in u if o in remaining), None) for u in units]
        counts = {o: firsts.count(o) for o in remaining}
        exhausted = firsts.count(None)
        live = len(units) - exhausted
        snapshot = {"counts": counts, "exhausted": exhausted}
        rounds = [*rounds, snapshot]
        if live == 0:
            return None, (), rounds
        majority = [o for o in remaining if 2 * counts[o] > live]
        if majority:
            return majority[0], (), rounds
        low = min(counts.values())
        losers = frozenset(o for o in remaining if counts[o] == low)
        snapshot["eliminated"] = losers
        if losers == remaining:
            snapshot["eliminated"] = frozenset()
            return None, tuple(sorted(losers)), rounds
        return go(remaining - losers, rounds)

    return go(frozenset(option_ids), [])


@settings(max_examples=300)
@given(ballots(kinds=(K.RANKED,), max_papers=20))
def test_irv_agrees_with_reference(ballot) -> None:
    spec, papers = ballot
    r = tally(spec, papers)
    winner, tied, rounds = reference_irv(spec.option_ids, papers)
    assert r.winner_ids == (() if winner is None else (winner,))
    assert set(r.runoff_ids) == set(tied)
    assert r.runoff_needed == bool(tied)
    assert len(r.rounds) == len(rounds)
    for got, want in zip(r.rounds, rounds, strict=True):
        assert dict(got.counts) == want["counts"]
        assert got.exhausted == want["exhausted"]
        assert set(got.eliminated) == want.get("eliminated", frozenset())
    assert [o.elected for o in r.options] == [o == winner for o in spec.option_ids]


@settings(max_examples=300)
@given(ballots(kinds=(K.RANKED,)))
def test_irv_winner_has_majority_of_continuing_heads(ballot) -> None:
    spec, papers = ballot
    r = tally(spec, papers)
    last = r.rounds[-1]
    live = sum(h for _, h in last.counts)
    assert last.eliminated == ()
    if r.winner_ids:
        (winner,) = r.winner_ids
        assert not r.runoff_needed
        assert 2 * dict(last.counts)[winner] > live
    else:
        # No winner only when nothing is left to count or every option ties.
        assert live == 0 or r.runoff_needed
        assert live == 0 or len({h for _, h in last.counts}) == 1
    for earlier, later in itertools.pairwise(r.rounds):
        left = {o for o, _ in earlier.counts} - set(earlier.eliminated)
        assert {o for o, _ in later.counts} == left
        assert later.exhausted >= earlier.exhausted
        assert sum(h for _, h in later.counts) + later.exhausted == (
            r.participating_heads
        )


def test_irv_transfers_and_records_rounds() -> None:
    spec = choices(K.RANKED, 3)
    papers = [
        paper({"ranking": [1, 2]}, heads=4),
        paper({"ranking": [2, 3]}, heads=2),
        paper({"ranking": [3, 2]}, heads=3),
        paper({"ranking": [2]}, heads=1),
    ]
    r = tally(spec, papers)
    assert [(rd.counts, rd.eliminated, rd.exhausted) for rd in r.rounds] == [
        (((1, 4), (2, 3), (3, 3)), (2, 3), 0),  # 2 and 3 tie for last: both go
        (((1, 4),), (), 6),
    ]
    assert r.winner_ids == (1,)
    assert r.option(1).elected
    assert [o.heads for o in r.options] == [4, 3, 3]  # first preferences


def test_irv_majority_needs_more_than_half() -> None:
    spec = choices(K.RANKED, 2)
    r = tally(spec, [paper({"ranking": [1]}), paper({"ranking": [2]})])
    assert r.winner_ids == ()
    assert (r.runoff_needed, r.runoff_ids) == (True, (1, 2))


def test_irv_blank_papers_are_exhausted() -> None:
    spec = choices(K.RANKED, 2, min_choices=0)
    papers = [paper({"ranking": []}, heads=5), paper({"ranking": [2, 1]})]
    r = tally(spec, papers)
    assert (r.participating_heads, r.blank_heads) == (6, 5)
    assert r.rounds[0].exhausted == 5
    assert r.winner_ids == (2,)


# --------------------------------------------------------------------------------------
# RATING


def test_rating_mean_is_an_exact_fraction() -> None:
    spec = choices(K.RATING, 2)
    papers = [paper({"ratings": {"1": s, "2": 3}}, area=100) for s in (4, 5, 5)]
    r = tally(spec, papers)
    first = r.option(1)
    assert (first.heads, first.area, first.score_sum) == (3, 300, 14)
    assert first.mean_score == Fraction(14, 3)
    assert r.option(2).mean_score == Fraction(3)
    assert r.winner_ids == (1,)


def test_rating_mean_is_weighted_by_heads() -> None:
    spec = choices(K.RATING, 1)
    r = tally(
        spec, [paper({"ratings": {"1": 4}}, heads=2), paper({"ratings": {"1": 5}})]
    )
    assert (r.option(1).heads, r.option(1).score_sum) == (3, 13)
    assert r.option(1).mean_score == Fraction(13, 3)


def test_rating_partial_and_ties() -> None:
    spec = choices(K.RATING, 3, allow_partial_rating=True)
    r = tally(
        spec, [paper({"ratings": {"1": 4, "2": 5}}), paper({"ratings": {"2": 3}})]
    )
    assert [o.mean_score for o in r.options] == [Fraction(4), Fraction(4), None]
    assert [o.heads for o in r.options] == [1, 2, 0]
    assert r.winner_ids == (1, 2)
    assert not r.runoff_needed


@given(ballots(kinds=(K.RATING,)))
def test_rating_means_are_exact(ballot) -> None:
    spec, papers = ballot
    r = tally(spec, papers)
    for o in r.options:
        key = str(o.option_id)
        rated = [p for p in papers if key in p.selection["ratings"]]
        weight = sum(p.heads for p in rated)
        total = sum(p.heads * p.selection["ratings"][key] for p in rated)
        assert o.score_sum == total
        assert o.mean_score == (Fraction(total, weight) if weight else None)
        if o.mean_score is not None:
            assert spec.rating_min <= o.mean_score <= spec.rating_max
    means = [o.mean_score for o in r.options if o.mean_score is not None]
    assert {o.option_id for o in r.options if means and o.mean_score == max(means)} == (
        set(r.winner_ids)
    )


# --------------------------------------------------------------------------------------
# normalise_selection


@given(st.data(), specs())
def test_normalise_round_trips(data: st.DataObject, spec: BallotSpec) -> None:
    canonical = data.draw(selections(spec))
    assert normalise_selection(spec, canonical) == canonical
    assert json.loads(json.dumps(canonical)) == canonical
    if spec.kind is K.RATING:
        ratings = canonical["ratings"]
        items = data.draw(st.permutations(list(ratings.items())))
        variants = [
            dict(items),
            {"ratings": {int(k): str(v) for k, v in items}},
            {"ratings": {f" {k} ": v for k, v in items}},
        ]
    else:
        key = "ranking" if spec.kind is K.RANKED else "options"
        ids = canonical[key]
        order = ids if spec.kind is K.RANKED else data.draw(st.permutations(ids))
        variants = [
            list(order),
            tuple(order),
            {key: [str(i) for i in order]},
            [f" {i}" for i in order],
        ]
        if len(ids) == 1:
            variants += [ids[0], str(ids[0])]
    for variant in variants:
        assert normalise_selection(spec, variant) == canonical
    if spec.kind is K.RATING:
        assert list(canonical["ratings"]) == [
            str(i) for i in sorted(int(k) for k in canonical["ratings"])
        ]


def _unknown_id(spec: BallotSpec) -> int:
    return max(spec.option_ids) + 1


@given(st.data(), specs())
def test_normalise_rejects_unknown_option(
    data: st.DataObject, spec: BallotSpec
) -> None:
    canonical = data.draw(selections(spec))
    bad_id = _unknown_id(spec)
    if spec.kind is K.RATING:
        raw: object = {
            "ratings": {**canonical["ratings"], str(bad_id): spec.rating_min}
        }
    else:
        key = next(iter(canonical))
        ids = list(canonical[key])
        at = data.draw(st.integers(0, len(ids)))
        raw = {key: [*ids[:at], bad_id, *ids[at:]]}
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, raw)
    assert caught.value.code == "unknown_option"
    assert str(bad_id) in caught.value.message


@given(st.data(), specs())
def test_normalise_rejects_duplicates(data: st.DataObject, spec: BallotSpec) -> None:
    canonical = data.draw(selections(spec))
    chosen = data.draw(st.sampled_from(spec.option_ids))
    if spec.kind is K.RATING:
        # "7" and 7 are two keys of one option.
        raw: object = {
            "ratings": {
                **canonical["ratings"],
                str(chosen): spec.rating_min,
                chosen: spec.rating_max,
            }
        }
    else:
        key = next(iter(canonical))
        raw = {key: [*canonical[key], chosen, str(chosen)]}
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, raw)
    assert caught.value.code == "duplicate"


@given(st.data(), specs(kinds=(K.RATING,)))
def test_normalise_rejects_bad_scores(data: st.DataObject, spec: BallotSpec) -> None:
    option = data.draw(st.sampled_from(spec.option_ids))
    score = data.draw(
        st.one_of(
            st.integers(max_value=spec.rating_min - 1),
            st.integers(min_value=spec.rating_max + 1),
            st.sampled_from([True, None, 4.0, "4.5", "", "五", [4]]),
        )
    )
    ratings = {str(i): spec.rating_min for i in spec.option_ids}
    ratings[str(option)] = score
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, {"ratings": ratings})
    assert caught.value.code == "bad_score"


@given(st.data(), specs())
def test_normalise_counts(data: st.DataObject, spec: BallotSpec) -> None:
    lo, hi = spec.choice_bounds
    n = len(spec.option_ids)
    count = data.draw(st.integers(0, n))
    picked = list(data.draw(st.permutations(spec.option_ids)))[:count]
    if spec.kind is K.RATING:
        raw: object = {"ratings": {str(i): spec.rating_max for i in picked}}
    else:
        raw = picked
    if count == 0 and not spec.allows_blank:
        expected: str | None = "empty"
    elif count == 0 or lo <= count <= hi:
        expected = None
    else:
        expected = "too_few" if count < lo else "too_many"
    if expected is None:
        assert len(marked(spec, normalise_selection(spec, raw))) == count
    else:
        with pytest.raises(SelectionError) as caught:
            normalise_selection(spec, raw)
        assert caught.value.code == expected


@pytest.mark.parametrize(
    ("spec", "raw", "code"),
    [
        (motion(), {"option": [1]}, "bad_shape"),
        (motion(), {"options": [1], "csrf": "x"}, "bad_shape"),
        (motion(), {"ranking": [1]}, "bad_shape"),
        (motion(), [1.0], "bad_shape"),
        (motion(), [True], "bad_shape"),
        (motion(), ["１"], "bad_shape"),  # full-width digit
        (motion(), ["1e0"], "bad_shape"),
        (motion(), ["9" * 40], "bad_shape"),
        (motion(), {1}, "bad_shape"),
        (motion(), "yes", "bad_shape"),
        (motion(), 1.5, "bad_shape"),
        (motion(), [[1]], "bad_shape"),
        (motion(), [None], "bad_shape"),
        (choices(K.RANKED, 3), {"options": [1]}, "bad_shape"),
        (choices(K.RANKED, 3), {"ranking": {1, 2}}, "bad_shape"),
        (choices(K.RATING, 2), [1, 2], "bad_shape"),
        (choices(K.RATING, 2), {"ratings": [4, 4]}, "bad_shape"),
        (choices(K.RATING, 2), {"ratings": {"x": 4}}, "bad_shape"),
        (choices(K.RATING, 2), {"ratings": {"1": 4}, "note": ""}, "bad_shape"),
        (motion(), [1, 2], "too_many"),
        (motion(), [], "empty"),
        (motion(), None, "empty"),
        (motion(), [4], "unknown_option"),
        (motion(), ["-1"], "unknown_option"),
        (motion(), [4, 4], "unknown_option"),  # 400 wins over the other defects
        (motion(), [1, 1], "duplicate"),
        (choices(K.MULTIPLE, 4, min_choices=2, max_choices=3), [1], "too_few"),
        (
            choices(K.MULTIPLE, 4, min_choices=2, max_choices=3),
            [1, 2, 3, 4],
            "too_many",
        ),
        (choices(K.ELECTION, 5, seats=2), [1, 2, 3], "too_many"),
        (choices(K.ELECTION, 5, seats=3, min_choices=2), [1], "too_few"),
        (choices(K.RANKED, 3, min_choices=2), {"ranking": [3]}, "too_few"),
        (choices(K.RANKED, 3), {"ranking": [3, 1, 3]}, "duplicate"),
        (choices(K.RATING, 2), {"ratings": {"1": 4}}, "too_few"),
        (choices(K.RATING, 2), {"ratings": {}}, "empty"),
        (choices(K.RATING, 2), {"ratings": {"1": 6, "2": 4}}, "bad_score"),
        (choices(K.RATING, 2), {"ratings": {"1": 6, "3": 4}}, "unknown_option"),
    ],
)
def test_normalise_rejects_examples(spec: BallotSpec, raw: object, code: str) -> None:
    with pytest.raises(SelectionError) as caught:
        normalise_selection(spec, raw)
    assert caught.value.code == code
    # Chinese first, then English, in one message.
    message = caught.value.message
    assert message == str(caught.value)
    assert re.match(r"[\u4e00-\u9fff]", message)
    assert re.search(r"。 [A-Z][^\u4e00-\u9fff]*$", message)


def test_normalise_messages() -> None:
    spec = choices(K.MULTIPLE, 4, min_choices=2, max_choices=3)
    with pytest.raises(SelectionError, match=r"^至少选择 2 项。 Choose at least 2\.$"):
        normalise_selection(spec, [1])
    with pytest.raises(SelectionError, match=r"^最多选择 3 项。 Choose at most 3\.$"):
        normalise_selection(spec, [1, 2, 3, 4])


def test_normalise_examples() -> None:
    assert normalise_selection(motion(), "2") == {"options": [2]}
    assert normalise_selection(motion(), {"options": [" 3 "]}) == {"options": [3]}
    multiple = choices(K.MULTIPLE, 12, min_choices=0, max_choices=3)
    assert normalise_selection(multiple, ["12", 2, "10"]) == {"options": [2, 10, 12]}
    assert normalise_selection(multiple, None) == {"options": []}
    ranked = choices(K.RANKED, 3)
    assert normalise_selection(ranked, ["3", 1]) == {"ranking": [3, 1]}
    rating = choices(K.RATING, 10)
    raw = {"ratings": {str(i): str(i % 5 + 1) for i in range(10, 0, -1)}}
    assert list(normalise_selection(rating, raw)["ratings"]) == [
        str(i) for i in range(1, 11)
    ]


# --------------------------------------------------------------------------------------
# Bad specs and bad stored papers


@pytest.mark.parametrize(
    "make",
    [
        lambda: BallotSpec(K.SINGLE, ()),
        lambda: BallotSpec(K.SINGLE, (OptionSpec(1), OptionSpec(1))),
        lambda: BallotSpec(K.SINGLE, (OptionSpec(True),)),
        lambda: BallotSpec(K.MOTION, (OptionSpec(1, YES), OptionSpec(2))),
        lambda: BallotSpec(K.MOTION, (OptionSpec(1, YES), OptionSpec(2, ABSTAIN))),
        lambda: BallotSpec(K.MOTION, (OptionSpec(1, YES), OptionSpec(2, YES))),
        lambda: BallotSpec(K.SINGLE, (OptionSpec(1, YES),)),
        lambda: choices(K.SINGLE, 3, min_choices=2),
        lambda: choices(K.SINGLE, 3, min_choices=-1),
        lambda: choices(K.MULTIPLE, 3, min_choices=4, max_choices=4),
        lambda: choices(K.MULTIPLE, 3, max_choices=0),
        lambda: choices(K.ELECTION, 3, seats=0),
        lambda: choices(K.ELECTION, 5, seats=2, min_choices=3),
        lambda: choices(K.ELECTION, 3, min_share=Fraction(1)),
        lambda: choices(K.ELECTION, 3, min_share=0.5),
        lambda: choices(K.SINGLE, 3, min_share=Fraction(1, 2)),
        lambda: choices(K.RANKED, 3, min_choices=4),
        lambda: choices(K.RATING, 3, rating_min=5, rating_max=1),
        lambda: choices(K.RATING, 3, allow_partial_rating=True, min_choices=4),
    ],
)
def test_bad_specs_are_refused(make) -> None:
    with pytest.raises(BallotSpecError):
        make()


@pytest.mark.parametrize(
    ("spec", "record"),
    [
        (motion(), paper([9])),
        (motion(), paper([1, 2])),
        (motion(), paper([1], heads=-1)),
        (motion(), paper([1], area=-1)),
        (motion(), paper({"ranking": [1]})),
        (choices(K.MULTIPLE, 3, max_choices=3), paper([1, 1])),
        (choices(K.RANKED, 3), paper({"ranking": [1, 4]})),
        (choices(K.RANKED, 3), paper({"ranking": [1, 1]})),
        (choices(K.RANKED, 3), paper({"ranking": ["1"]})),
        (choices(K.RATING, 2), paper({"ratings": {"1": 9}})),
        (choices(K.RATING, 2), paper({"ratings": {1: 3}})),
    ],
)
def test_stored_papers_that_do_not_fit_are_refused(
    spec: BallotSpec, record: PaperRecord
) -> None:
    good = paper([1]) if spec.kind in OPTION_KINDS else None
    with pytest.raises(TallyError):
        tally(spec, [p for p in (good, record) if p is not None])


def test_weight_and_result_helpers() -> None:
    record = paper([1], heads=1, area=12_345, channel="official")
    assert record.weight == Weight(1, 12_345)
    r = tally(motion(), [record])
    assert isinstance(r, TallyResult)
    assert r.option(1).area == 12_345
    with pytest.raises(KeyError):
        r.option(99)
