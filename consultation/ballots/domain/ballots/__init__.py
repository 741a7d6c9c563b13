"""Ballots: validating one paper's selection and tallying all papers, exactly.

Rules encoded (RULES.md §2.2–§2.4 and the practice of 业主大会/居民会议 elections):

* Weight. Every paper carries a head-count and an area (0.01 m², see
  ``consultation.ballots.domain.units``; 0 when the ballot is not area-weighted).
  Tallies sum both; **winners are decided by heads**, area is reported alongside so that
  ``consultation.ballots.domain.rules`` can apply the double majority of
  《民法典》第二百七十八条.
* Participation. Abstentions (弃权) always participate: they count against approval
  because the denominator is the participants (§2.2). Blank papers (nothing marked;
  allowed only when ``min_choices == 0``) and invalid papers (废票, ``INVALID_PAPER``,
  recorded only by staff entering paper sheets) participate when the community's
  setting says so — unsettled in law, default yes [UNVERIFIED, needs legal review;
  RULES.md §2.2, §9a] (``tally(..., blank_and_invalid_participate=...)``). Both are
  reported apart (``blank_*``, ``invalid_*``) and neither counts for any option.
* MOTION / WRITTEN (书面征求意见, §2.4): one option with role yes/no/abstain per paper;
  the decision itself belongs to ``rules.decide``, so there is no winner here.
  ``MOTION_KINDS``/``is_motion`` are the one home of "a motion-like kind".
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

The package: ``spec`` (a ballot's shape), ``selection`` (one paper) and ``tally`` (all
papers). Exact arithmetic only (int and Fraction). No Django import here: error
messages are plain Chinese-then-English strings, and ``SelectionError.code`` lets the
service pick a translated message.
"""

from .selection import SelectionError, normalise_selection
from .spec import (
    CHANNELS,
    MOTION_KINDS,
    BallotKind,
    BallotSpec,
    BallotSpecError,
    OptionRole,
    OptionSpec,
    is_motion,
)
from .tally import (
    INVALID_PAPER,
    OptionResult,
    PaperRecord,
    RunoffRound,
    TallyError,
    TallyResult,
    Weight,
    is_invalid_paper,
    tally,
)

__all__ = [
    "CHANNELS",
    "INVALID_PAPER",
    "MOTION_KINDS",
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
    "is_invalid_paper",
    "is_motion",
    "normalise_selection",
    "tally",
]
