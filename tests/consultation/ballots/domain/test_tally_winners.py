"""Winners by kind: SINGLE/MULTIPLE, ELECTION seats and ties, RANKED, RATING."""

from __future__ import annotations

import itertools
from fractions import Fraction

from hypothesis import given, settings

from consultation.ballots.domain.ballots import (
    tally,
)
from tests.consultation.ballots.domain.ballot_cases import (
    K,
    ballots,
    choices,
    paper,
    votes,
)

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
