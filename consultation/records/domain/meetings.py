"""Which decision rule judges each meeting of the procedure, and its outcome.

A step's meeting is judged by the existing decision rules
(``consultation.ballots.domain.rules``), chosen by the day the meeting is held:

* steps 1–2, the party organisation's committee and the joint meeting of the two
  committees: ``committee-meeting`` [LOCAL, needs legal review; default > 1/2 of
  the members present, > 1/2 of ALL members agreeing];
* step 3, the party members' meeting: ``party-members-meeting`` [LOCAL, floor
  《中国共产党支部工作条例（试行）》第十一条]; probationary members have no vote and
  are not counted (RULES.md §9a);
* step 4, the residents' meeting: ``residents-meeting`` (居组法 第九条) or the
  residents' representatives' meeting: ``residents-representatives-meeting``
  [UNVERIFIED, flagged].

A show of hands and a ballot are judged by the same rule: the counts (members
expected, present, agreeing) go into the same evaluation. A missed quorum is an
outcome of its own. No Django import here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from consultation.ballots.domain.rules import Evaluation, Rule, evaluate

from .procedure import Outcome, Step


class MeetingKind(enum.StrEnum):
    PARTY_COMMITTEE = "party_committee"
    TWO_COMMITTEES = "two_committees"
    PARTY_MEMBERS = "party_members"
    RESIDENTS_MEETING = "residents_meeting"
    REPRESENTATIVES_MEETING = "representatives_meeting"
    # The owners' assembly held in a live room (consultation.rooms): its quorum is
    # the owners' rule by area and count; no step of the 四议两公开 procedure.
    OWNERS_ASSEMBLY = "owners_assembly"
    # A consultation's session (consultation.consultations): no vote, no rule.
    CONSULTATION = "consultation"


MEETING_LABELS_ZH = {
    MeetingKind.PARTY_COMMITTEE: "社区党组织委员会会议",
    MeetingKind.TWO_COMMITTEES: "“两委”联席会议",
    MeetingKind.PARTY_MEMBERS: "党员大会",
    MeetingKind.RESIDENTS_MEETING: "居民会议",
    MeetingKind.REPRESENTATIVES_MEETING: "居民代表会议",
    MeetingKind.OWNERS_ASSEMBLY: "业主大会",
    MeetingKind.CONSULTATION: "协商会议",
}

#: The rule family that judges each kind of meeting.
RULE_FAMILY = {
    MeetingKind.PARTY_COMMITTEE: "committee-meeting",
    MeetingKind.TWO_COMMITTEES: "committee-meeting",
    MeetingKind.PARTY_MEMBERS: "party-members-meeting",
    MeetingKind.RESIDENTS_MEETING: "residents-meeting",
    MeetingKind.REPRESENTATIVES_MEETING: "residents-representatives-meeting",
}

#: The meetings that may hold each step.
STEP_MEETINGS = {
    Step.PARTY_PROPOSAL: (MeetingKind.PARTY_COMMITTEE,),
    Step.TWO_COMMITTEES: (MeetingKind.TWO_COMMITTEES,),
    Step.PARTY_MEMBERS_REVIEW: (MeetingKind.PARTY_MEMBERS,),
    Step.RESIDENTS_RESOLUTION: (
        MeetingKind.RESIDENTS_MEETING,
        MeetingKind.REPRESENTATIVES_MEETING,
    ),
}


#: The register's body kinds (neighbourhoods Body.Kind values) that may hold each
#: meeting: (the convening body, the second body of a joint meeting).
BODY_KINDS = {
    MeetingKind.PARTY_COMMITTEE: (("party_organisation",), ()),
    MeetingKind.TWO_COMMITTEES: (("party_organisation",), ("residents_committee",)),
    MeetingKind.PARTY_MEMBERS: (("party_organisation", "party_branch"), ()),
    MeetingKind.REPRESENTATIVES_MEETING: (("representatives_meeting",), ()),
    MeetingKind.RESIDENTS_MEETING: ((), ()),
}


class InvalidCounts(ValueError):
    """Counts that cannot be (more present than expected …); message zh then en."""


@dataclass(frozen=True)
class Counts:
    """A meeting's numbers: members expected (with a vote), present, and the show of
    hands or the ballot's tally."""

    expected: int
    present: int
    yes: int
    no: int = 0
    abstain: int = 0

    def check(self) -> None:
        values = (self.expected, self.present, self.yes, self.no, self.abstain)
        if any(not isinstance(v, int) or isinstance(v, bool) or v < 0 for v in values):
            raise InvalidCounts("人数须为非负整数。 Counts must be whole numbers ≥ 0.")
        if self.present > self.expected:
            raise InvalidCounts(
                "出席人数不能多于应到人数。 More present than expected."
            )
        if self.yes + self.no + self.abstain > self.present:
            raise InvalidCounts(
                "同意、反对、弃权合计不能多于出席人数。 "
                "Yes, no and abstentions exceed those present."
            )


def whole_input(rule: Rule) -> str:
    """The name of the rule's input for everyone expected (``members`` or
    ``constituency``): whichever input ``present`` is bounded by."""
    for part, whole in rule.bounds:
        if part == "present":
            return whole
    raise ValueError(f"{rule.id} has no bound on 'present'")


def judge(rule: Rule, counts: Counts) -> Evaluation:
    """The rule applied to the meeting's counts (after ``counts.check()``)."""
    counts.check()
    values = {
        whole_input(rule): counts.expected,
        "present": counts.present,
        "yes": counts.yes,
    }
    return evaluate(rule, values)


def outcome_of(evaluation: Evaluation) -> Outcome:
    if not evaluation.quorum_met:
        return Outcome.QUORUM_MISSED
    return Outcome.PASSED if evaluation.passed else Outcome.REJECTED


# The years a meeting may be held in: a typing slip (year 1, year 9999) is refused
# before it is stored — PostgreSQL keeps year 1 but cannot show it in local time.
MEETING_YEARS = (2000, 2099)


def meeting_time_problem(when) -> str | None:
    """Why `when` (a date or datetime) cannot be a meeting's time (zh then en)."""
    first, last = MEETING_YEARS
    if first <= when.year <= last:
        return None
    return f"会议时间须在 {first} 年至 {last} 年之间。 The year must be {first}–{last}."
