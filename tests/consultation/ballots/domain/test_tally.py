"""Properties of every tally (weights, single pass, memory), motions, zero papers."""

from __future__ import annotations

import tracemalloc
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.ballots import (
    CHANNELS,
    BallotSpec,
    PaperRecord,
    normalise_selection,
    tally,
)
from tests.consultation.ballots.domain.ballot_cases import (
    K,
    ballots,
    choices,
    marked,
    motion,
    paper,
)

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
