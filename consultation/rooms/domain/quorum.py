"""Which decision rule says whether a room's meeting is quorate, and whether it is.

The quorum of a live meeting is the quorum of the rule that judges the body's
decisions (consultation.ballots.domain.rules), chosen by the meeting's day:

* a party organisation or branch: ``party-members-meeting`` (floor 《中国共产党支部
  工作条例（试行）》第十一条);
* the owners' committee: ``owners-committee`` (《业主大会和业主委员会指导规则》);
* the residents' representatives' meeting: ``residents-representatives-meeting``
  (flagged, unverified);
* every other committee or council (居委会, 议事会/理事会, 自治管理委员会 …):
  ``committee-meeting`` [LOCAL, needs legal review: more than half present];
* a residents' meeting without a body: ``residents-meeting`` (居组法 第九条).

Those present are the eligible members connected to the room plus those the secretary
marks present in the hall, each counted once. No Django import here.
"""

from __future__ import annotations

from dataclasses import dataclass

from consultation.ballots.domain.rules import Rule
from consultation.records.domain.meetings import Counts, judge

FAMILY_BY_BODY_KIND = {
    "party_organisation": "party-members-meeting",
    "party_branch": "party-members-meeting",
    "owners_committee": "owners-committee",
    "representatives_meeting": "residents-representatives-meeting",
}
DEFAULT_FAMILY = "committee-meeting"
NO_BODY_FAMILY = "residents-meeting"


def family_for(body_kind: str | None) -> str:
    if body_kind is None:
        return NO_BODY_FAMILY
    return FAMILY_BY_BODY_KIND.get(body_kind, DEFAULT_FAMILY)


@dataclass(frozen=True)
class Quorum:
    expected: int
    present: int
    met: bool

    def as_dict(self) -> dict:
        return {"expected": self.expected, "present": self.present, "met": self.met}


def present_count(eligible: set[int], online: set[int], in_hall: set[int]) -> int:
    """Eligible members present: connected or marked in the hall, each once."""
    return len(eligible & (online | in_hall))


def quorum(rule: Rule, *, expected: int, present: int) -> Quorum:
    """The rule's quorum condition for these counts (no vote yet: yes = 0)."""
    present = min(present, expected)
    if expected == 0:
        return Quorum(0, 0, False)
    evaluation = judge(rule, Counts(expected, present, 0))
    return Quorum(expected, present, evaluation.quorum_met)
