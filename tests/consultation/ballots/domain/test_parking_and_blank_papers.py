"""Who participates decides the quorum: parking-only owners (issue 9, item 3) and
blank or invalid papers (item 4), through the roll, the tally and 民法典 Art. 278.

Quorum (Art. 278 ¶2): participating area AND heads each ≥ 2/3 of the totals
("三分之二以上": inclusive); approval: yes > 1/2 of the participants ("过半数").
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.ballots import (
    INVALID_PAPER,
    BallotKind,
    BallotSpec,
    OptionRole,
    OptionSpec,
    PaperRecord,
    tally,
)
from consultation.ballots.domain.rules import get_rule
from consultation.ballots.domain.thresholds import evaluate
from neighbourhoods.rolls.domain import (
    OwnerCountingOptions,
    OwnershipFact,
    PartFact,
    build_owner_roll,
)
from tests.neighbourhoods.rolls.domain.builders import AS_OF

RULE = get_rule("civil-code-278-ordinary")
FLAT = 10_000  # 100 m² in 0.01 m²
SPEC = BallotSpec(
    BallotKind.MOTION,
    (
        OptionSpec(1, OptionRole.YES),
        OptionSpec(2, OptionRole.NO),
        OptionSpec(3, OptionRole.ABSTAIN),
    ),
    min_choices=0,  # a blank paper is possible
)
YES, NO = {"options": [1]}, {"options": [2]}
BLANK = {"options": []}


def decide(roll_heads, roll_area, result):
    return evaluate(
        RULE,
        {
            "total_area": roll_area,
            "total_owners": roll_heads,
            "participating_area": result.participating_area,
            "participating_owners": result.participating_heads,
            "yes_area": result.yes_area,
            "yes_owners": result.yes_heads,
        },
    )


def compound(flats: int, parking_only: int):
    """Flats 1..flats owned by persons 1..; spaces owned by others who own nothing
    else."""
    parts = [PartFact(i, "dwelling", FLAT) for i in range(1, flats + 1)]
    parts += [PartFact(1000 + i, "parking", 1_300) for i in range(parking_only)]
    facts = [OwnershipFact(p.part_id, p.part_id) for p in parts]
    return parts, facts


def papers_of(roll, voters: int, selection=YES):
    """The first `voters` flat owners vote; parking-only owners stay at home."""
    flat_owners = [m for m in roll.members if m.part_ids[0] < 1000][:voters]
    return [PaperRecord(selection, m.heads, m.area, "paper") for m in flat_owners]


# --- Parking-only owners decide whether the quorum of heads is met ---------------


def test_parking_only_owners_break_the_heads_quorum_exactly_at_two_thirds():
    parts, facts = compound(flats=6, parking_only=3)
    counted = build_owner_roll(parts, facts, AS_OF)  # default: they are heads
    left_out = build_owner_roll(
        parts, facts, AS_OF, OwnerCountingOptions(count_parking_only_owners=False)
    )
    for roll in (counted, left_out):
        assert roll.total_area == 6 * FLAT  # parking area off either way
    # Four of the six flat owners vote yes: 40,000 / 60,000 of the area is 2/3.
    with_them = decide(
        counted.head_count, counted.total_area, tally(SPEC, papers_of(counted, 4))
    )
    without = decide(
        left_out.head_count, left_out.total_area, tally(SPEC, papers_of(left_out, 4))
    )
    assert (counted.head_count, left_out.head_count) == (9, 6)
    assert not with_them.quorum_met  # 4/9 of heads < 2/3
    assert without.quorum_met
    assert without.passed


@given(
    flats=st.integers(1, 30),
    parking_only=st.integers(0, 30),
    voting=st.data(),
    heads=st.booleans(),
    concerns=st.booleans(),
)
def test_heads_quorum_follows_who_counts_as_a_head(
    flats, parking_only, voting, heads, concerns
):
    voters = voting.draw(st.integers(0, flats))
    parts, facts = compound(flats, parking_only)
    options = OwnerCountingOptions(
        count_parking_only_owners=heads, matter_concerns_parking=concerns
    )
    roll = build_owner_roll(parts, facts, AS_OF, options)
    result = tally(SPEC, papers_of(roll, voters))
    decision = decide(roll.head_count, roll.total_area, result)
    total_heads = flats + (parking_only if heads or concerns else 0)
    total_area = flats * FLAT + (parking_only * 1_300 if concerns else 0)
    assert roll.head_count == total_heads
    expected = 3 * voters >= 2 * total_heads and 3 * voters * FLAT >= 2 * total_area
    assert decision.quorum_met == expected


# --- Blank and invalid papers make or break the participation quorum -------------


def test_blank_paper_makes_the_quorum_only_when_it_counts():
    # Three owners; one votes yes, one hands in a blank paper: 2/3 or 1/3.
    papers = [PaperRecord(YES, 1, FLAT, "paper"), PaperRecord(BLANK, 1, FLAT, "paper")]
    counts = tally(SPEC, papers)
    does_not = tally(SPEC, papers, blank_and_invalid_participate=False)
    assert decide(3, 3 * FLAT, counts).quorum_met
    assert not decide(3, 3 * FLAT, does_not).quorum_met
    assert (does_not.received_heads, does_not.blank_heads) == (2, 1)


def test_invalid_paper_counts_for_no_option_and_participates_by_the_setting():
    papers = [
        PaperRecord(YES, 1, FLAT, "paper"),
        PaperRecord(NO, 1, FLAT, "online"),
        PaperRecord(dict(INVALID_PAPER), 1, FLAT, "paper"),
    ]
    counts = tally(SPEC, papers)
    assert (counts.yes_heads, counts.no_heads, counts.abstain_heads) == (1, 1, 0)
    assert (counts.invalid_heads, counts.participating_heads) == (1, 3)
    assert {c: h for c, h, _a in counts.by_channel} == {"online": 1, "paper": 2}
    # Counted, the invalid paper keeps yes at 1/3 (not > 1/2); left out, 1/2 is still
    # not "过半数" (strict): the boundary holds both ways.
    left_out = tally(SPEC, papers, blank_and_invalid_participate=False)
    assert left_out.participating_heads == 2
    assert not decide(3, 3 * FLAT, counts).passed
    assert not decide(3, 3 * FLAT, left_out).passed


@given(
    roll=st.integers(1, 40),
    data=st.data(),
    participate=st.booleans(),
)
def test_participation_quorum_with_blank_and_invalid_papers(roll, data, participate):
    yes = data.draw(st.integers(0, roll))
    no = data.draw(st.integers(0, roll - yes))
    blank = data.draw(st.integers(0, roll - yes - no))
    invalid = data.draw(st.integers(0, roll - yes - no - blank))
    papers = (
        [PaperRecord(YES, 1, FLAT, "paper")] * yes
        + [PaperRecord(NO, 1, FLAT, "paper")] * no
        + [PaperRecord(BLANK, 1, FLAT, "paper")] * blank
        + [PaperRecord(dict(INVALID_PAPER), 1, FLAT, "paper")] * invalid
    )
    result = tally(SPEC, papers, blank_and_invalid_participate=participate)
    taking_part = yes + no + (blank + invalid if participate else 0)
    assert result.participating_heads == taking_part
    assert result.participating_area == taking_part * FLAT
    assert result.received_heads == yes + no + blank + invalid
    assert (result.blank_heads, result.invalid_heads) == (blank, invalid)
    decision = decide(roll, roll * FLAT, result)
    assert decision.quorum_met == (3 * taking_part >= 2 * roll)
    assert decision.passed == (3 * taking_part >= 2 * roll and 2 * yes > taking_part)


def test_abstentions_always_participate():
    abstain = {"options": [3]}
    papers = [PaperRecord(YES, 1, 0, "paper"), PaperRecord(abstain, 1, 0, "paper")]
    result = tally(SPEC, papers, blank_and_invalid_participate=False)
    assert (result.participating_heads, result.abstain_heads) == (2, 1)


def test_an_election_share_counts_participants_as_the_setting_says():
    spec = BallotSpec(
        BallotKind.ELECTION,
        (OptionSpec(1), OptionSpec(2)),
        min_choices=0,
        max_choices=1,
        seats=1,
        min_share=Fraction(1, 2),
    )
    # Two votes for candidate 1, two blank papers: 2 of 4 is not more than half,
    # 2 of 2 is.
    papers = [PaperRecord({"options": [1]}, 1, 0, "paper")] * 2 + [
        PaperRecord(BLANK, 1, 0, "paper")
    ] * 2
    assert tally(spec, papers).winner_ids == ()
    assert tally(spec, papers, blank_and_invalid_participate=False).winner_ids == (1,)
