"""Ballot specs that contradict themselves, papers that do not fit, motion kinds."""

from __future__ import annotations

from fractions import Fraction

import pytest

from consultation.ballots.domain.ballots import (
    MOTION_KINDS,
    BallotKind,
    BallotSpec,
    BallotSpecError,
    OptionSpec,
    PaperRecord,
    TallyError,
    TallyResult,
    Weight,
    is_motion,
    tally,
)
from tests.consultation.ballots.domain.ballot_cases import (
    ABSTAIN,
    OPTION_KINDS,
    YES,
    K,
    choices,
    motion,
    paper,
)

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


@pytest.mark.parametrize("kind", list(BallotKind))
def test_motion_kinds_are_motion_and_written_as_enum_or_text(kind: BallotKind) -> None:
    expected = kind in (BallotKind.MOTION, BallotKind.WRITTEN)
    assert is_motion(kind) is expected
    assert is_motion(kind.value) is expected  # the string a model stores
    assert (kind.value in MOTION_KINDS) is expected


def test_only_motion_kinds_take_yes_no_abstain_options() -> None:
    for kind in BallotKind:
        if is_motion(kind):
            assert motion(kind).kind is kind
        else:
            with pytest.raises(BallotSpecError):
                BallotSpec(kind, (OptionSpec(1, YES), OptionSpec(2, ABSTAIN)))
    assert not is_motion("")
