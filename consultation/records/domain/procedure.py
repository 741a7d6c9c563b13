"""The 四议两公开（一监督） procedure as a state machine (RULES.md §1.1–§1.2).

Steps, from the national wording (《中国共产党农村基层组织工作条例》 on village
decisions, reaffirmed by the 2023 中央一号文件 item 29) [NAT-NORM steps; LOCAL for
urban communities, switched on per community]:

1. 党组织提议 — the community party organisation proposes;
2. "两委"会议商议 — the party committee and the residents' committee deliberate;
3. 党员大会审议 — the party members' meeting reviews;
4. 居民会议或居民代表会议决议 — the residents' (representatives') meeting resolves;
5. 决议公开 — the resolution is disclosed;
6. 组织实施 — implementation;
7. 实施结果公开 — the result is disclosed.

The supervisory committee (居务监督委员会, 一监督) records an opinion at any step; an
opinion never moves the matter. A meeting step (1–4) passes, is rejected, or misses
its quorum: a missed quorum is recorded and the same step must be held again (the
next step stays blocked); a rejection returns the matter for revision (to step 1 or
step 2) or ends it. Where one person is both party secretary and committee chair
(书记、主任"一肩挑"), steps 1 and 2 are merged into one joint meeting [LOCAL
practice; a community setting]. Steps are recorded in order only.

No Django import here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Step(enum.StrEnum):
    PARTY_PROPOSAL = "party_proposal"
    TWO_COMMITTEES = "two_committees"
    PARTY_MEMBERS_REVIEW = "party_members_review"
    RESIDENTS_RESOLUTION = "residents_resolution"
    RESOLUTION_DISCLOSED = "resolution_disclosed"
    IMPLEMENTATION = "implementation"
    RESULT_DISCLOSED = "result_disclosed"


STEP_LABELS_ZH = {
    Step.PARTY_PROPOSAL: "党组织提议",
    Step.TWO_COMMITTEES: "“两委”会议商议",
    Step.PARTY_MEMBERS_REVIEW: "党员大会审议",
    Step.RESIDENTS_RESOLUTION: "居民会议或居民代表会议决议",
    Step.RESOLUTION_DISCLOSED: "决议公开",
    Step.IMPLEMENTATION: "组织实施",
    Step.RESULT_DISCLOSED: "实施结果公开",
}
MERGED_LABEL_ZH = "党组织提议暨“两委”会议商议（一肩挑，合并进行）"

#: The steps held as a meeting, with a quorum and a vote.
MEETING_STEPS = frozenset(
    {
        Step.PARTY_PROPOSAL,
        Step.TWO_COMMITTEES,
        Step.PARTY_MEMBERS_REVIEW,
        Step.RESIDENTS_RESOLUTION,
    }
)
_ORDER = tuple(Step)


class Status(enum.StrEnum):
    IN_PROGRESS = "in_progress"  # waiting for `awaiting`
    REJECTED = "rejected"  # `awaiting` was rejected: revise or end
    COMPLETED = "completed"  # the result was disclosed
    ENDED = "ended"  # ended after a rejection


class Outcome(enum.StrEnum):
    PASSED = "passed"
    REJECTED = "rejected"
    QUORUM_MISSED = "quorum_missed"
    DONE = "done"  # a step that is not a meeting (disclosure, implementation)


MEETING_OUTCOMES = frozenset({Outcome.PASSED, Outcome.REJECTED, Outcome.QUORUM_MISSED})


class TransitionRefused(ValueError):
    """A step or decision the procedure does not allow now; message zh then en."""

    def __init__(self, code: str, message_zh: str, message_en: str) -> None:
        self.code, self.message_zh, self.message_en = code, message_zh, message_en
        super().__init__(f"{message_zh} {message_en}")


@dataclass(frozen=True)
class Config:
    """A community's settings of the procedure."""

    # 书记、主任"一肩挑": steps 1 and 2 are one joint meeting.
    merge_first_steps: bool = False


@dataclass(frozen=True)
class State:
    status: Status
    # IN_PROGRESS: the next step to record; REJECTED: the step that was rejected.
    awaiting: Step | None


@dataclass(frozen=True)
class RecordStep:
    step: Step
    outcome: Outcome


@dataclass(frozen=True)
class ReturnForRevision:
    to: Step


@dataclass(frozen=True)
class End:
    pass


@dataclass(frozen=True)
class SupervisionOpinion:
    pass


Event = RecordStep | ReturnForRevision | End | SupervisionOpinion


def sequence(config: Config) -> tuple[Step, ...]:
    """The steps in order; merged, the joint meeting (step 2) stands for both."""
    if config.merge_first_steps:
        return tuple(step for step in _ORDER if step is not Step.PARTY_PROPOSAL)
    return _ORDER


def step_label(step: Step, config: Config) -> str:
    if config.merge_first_steps and step is Step.TWO_COMMITTEES:
        return MERGED_LABEL_ZH
    return STEP_LABELS_ZH[step]


def revision_targets(config: Config) -> tuple[Step, ...]:
    """Where a rejected matter may return: step 1 or step 2 (RULES.md §1.2)."""
    return tuple(dict.fromkeys((sequence(config)[0], Step.TWO_COMMITTEES)))


def initial(config: Config) -> State:
    return State(Status.IN_PROGRESS, sequence(config)[0])


def _next(step: Step, config: Config) -> State:
    steps = sequence(config)
    index = steps.index(step)
    if index + 1 == len(steps):
        return State(Status.COMPLETED, None)
    return State(Status.IN_PROGRESS, steps[index + 1])


def _record(state: State, event: RecordStep, config: Config) -> State:
    if event.step not in sequence(config):
        raise TransitionRefused(
            "step_not_in_procedure",
            "本社区的程序中没有这一步（第一、二步已合并）。",
            "This step is not part of the community's procedure (steps 1-2 merged).",
        )
    if state.status is not Status.IN_PROGRESS or event.step is not state.awaiting:
        raise TransitionRefused(
            "out_of_order",
            "步骤顺序不对：须先完成前一步骤，已完成的步骤不能重复记录。",
            "Out of order: the previous step must be completed first, and a "
            "completed step cannot be recorded again.",
        )
    is_meeting = event.step in MEETING_STEPS
    if is_meeting != (event.outcome in MEETING_OUTCOMES):
        raise TransitionRefused(
            "wrong_outcome",
            "这一步骤不能有这样的结果。",
            "This step cannot have that outcome.",
        )
    if event.outcome is Outcome.QUORUM_MISSED:
        return state  # recorded; the same step must be held again
    if event.outcome is Outcome.REJECTED:
        return State(Status.REJECTED, event.step)
    return _next(event.step, config)


def apply(state: State, event: Event, config: Config) -> State:
    """The state after ``event``, or ``TransitionRefused`` (nothing changes)."""
    if isinstance(event, SupervisionOpinion):
        return state
    if isinstance(event, RecordStep):
        return _record(state, event, config)
    if state.status is not Status.REJECTED:
        raise TransitionRefused(
            "not_rejected",
            "只有被否决的事项才能退回修改或终止。",
            "Only a rejected matter can be returned for revision or ended.",
        )
    if isinstance(event, End):
        return State(Status.ENDED, None)
    if event.to not in revision_targets(config):
        raise TransitionRefused(
            "bad_revision_target",
            "被否决的事项只能退回到党组织提议或“两委”会议商议重新进行。",
            "A rejected matter returns to the party proposal or the two-committee "
            "deliberation only.",
        )
    return State(Status.IN_PROGRESS, event.to)


def legal_events(state: State, config: Config) -> tuple[Event, ...]:
    """Every event ``apply`` accepts in ``state`` (for pages and tests)."""
    events: list[Event] = [SupervisionOpinion()]
    if state.status is Status.IN_PROGRESS and state.awaiting in sequence(config):
        outcomes = (
            MEETING_OUTCOMES if state.awaiting in MEETING_STEPS else {Outcome.DONE}
        )
        events += [RecordStep(state.awaiting, o) for o in sorted(outcomes)]
    if state.status is Status.REJECTED:
        events.append(End())
        events += [ReturnForRevision(step) for step in revision_targets(config)]
    return tuple(events)
