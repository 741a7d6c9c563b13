"""Ballot specs, papers and hypothesis strategies the ballot-domain tests share."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from hypothesis import strategies as st

from consultation.ballots.domain.ballots import (
    CHANNELS,
    BallotKind,
    BallotSpec,
    OptionRole,
    OptionSpec,
    PaperRecord,
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
