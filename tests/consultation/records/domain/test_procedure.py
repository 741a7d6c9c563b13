"""The 四议两公开 state machine: every legal and illegal transition."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.records.domain.procedure import (
    MEETING_STEPS,
    Config,
    End,
    Outcome,
    RecordStep,
    ReturnForRevision,
    State,
    Status,
    Step,
    SupervisionOpinion,
    TransitionRefused,
    apply,
    initial,
    legal_events,
    revision_targets,
    sequence,
)

configs = st.builds(Config, merge_first_steps=st.booleans())
all_events = st.one_of(
    st.builds(RecordStep, st.sampled_from(Step), st.sampled_from(Outcome)),
    st.builds(ReturnForRevision, st.sampled_from(Step)),
    st.just(End()),
    st.just(SupervisionOpinion()),
)
states = st.one_of(
    st.builds(
        State,
        st.sampled_from([Status.IN_PROGRESS, Status.REJECTED]),
        st.sampled_from(Step),
    ),
    st.builds(State, st.sampled_from([Status.COMPLETED, Status.ENDED]), st.none()),
)


def _happy_path(config: Config) -> State:
    state = initial(config)
    for step in sequence(config):
        outcome = Outcome.PASSED if step in MEETING_STEPS else Outcome.DONE
        state = apply(state, RecordStep(step, outcome), config)
    return state


@pytest.mark.parametrize("merged", [False, True])
def test_the_whole_procedure_in_order_completes(merged):
    config = Config(merge_first_steps=merged)
    assert _happy_path(config) == State(Status.COMPLETED, None)


def test_merged_steps_start_at_the_joint_meeting_and_skip_step_one():
    config = Config(merge_first_steps=True)
    assert initial(config).awaiting is Step.TWO_COMMITTEES
    with pytest.raises(TransitionRefused) as refused:
        apply(initial(config), RecordStep(Step.PARTY_PROPOSAL, Outcome.PASSED), config)
    assert refused.value.code == "step_not_in_procedure"
    assert revision_targets(config) == (Step.TWO_COMMITTEES,)
    assert revision_targets(Config()) == (Step.PARTY_PROPOSAL, Step.TWO_COMMITTEES)


@given(states, all_events, configs)
def test_apply_accepts_exactly_the_legal_events(state, event, config):
    """Every (state, event) pair: accepted if and only if listed as legal."""
    legal = event in legal_events(state, config)
    if legal:
        apply(state, event, config)
    else:
        with pytest.raises(TransitionRefused) as refused:
            apply(state, event, config)
        assert refused.value.message_zh
        assert refused.value.message_en


@given(st.lists(all_events, max_size=30), configs)
def test_any_run_stays_within_the_machine(events, config):
    """Whatever is tried, accepted steps keep the order and a refusal changes
    nothing; finished matters accept only supervision opinions."""
    state = initial(config)
    for event in events:
        try:
            after = apply(state, event, config)
        except TransitionRefused:
            continue
        if state.status in (Status.COMPLETED, Status.ENDED):
            assert isinstance(event, SupervisionOpinion)
        if isinstance(event, RecordStep) and after.status is Status.IN_PROGRESS:
            steps = sequence(config)
            assert steps.index(after.awaiting) >= steps.index(event.step)
        state = after


@given(configs, st.data())
def test_a_step_cannot_be_recorded_out_of_order(config, data):
    state = initial(config)
    steps = sequence(config)
    target = data.draw(st.sampled_from(steps[1:]))
    outcome = Outcome.PASSED if target in MEETING_STEPS else Outcome.DONE
    with pytest.raises(TransitionRefused) as refused:
        apply(state, RecordStep(target, outcome), config)
    assert refused.value.code == "out_of_order"


@given(configs, st.data())
def test_a_missed_quorum_blocks_the_next_step(config, data):
    meeting_steps = [s for s in sequence(config) if s in MEETING_STEPS]
    step = data.draw(st.sampled_from(meeting_steps))
    state = State(Status.IN_PROGRESS, step)
    after = apply(state, RecordStep(step, Outcome.QUORUM_MISSED), config)
    assert after == state
    following = sequence(config)[sequence(config).index(step) + 1]
    outcome = Outcome.PASSED if following in MEETING_STEPS else Outcome.DONE
    with pytest.raises(TransitionRefused):
        apply(after, RecordStep(following, outcome), config)


@given(configs, st.data())
def test_a_rejection_returns_for_revision_or_ends(config, data):
    meeting_steps = [s for s in sequence(config) if s in MEETING_STEPS]
    step = data.draw(st.sampled_from(meeting_steps))
    rejected = apply(
        State(Status.IN_PROGRESS, step), RecordStep(step, Outcome.REJECTED), config
    )
    assert rejected == State(Status.REJECTED, step)
    assert apply(rejected, End(), config) == State(Status.ENDED, None)
    target = data.draw(st.sampled_from(revision_targets(config)))
    assert apply(rejected, ReturnForRevision(target), config) == State(
        Status.IN_PROGRESS, target
    )
    with pytest.raises(TransitionRefused):
        apply(rejected, ReturnForRevision(Step.PARTY_MEMBERS_REVIEW), config)


@given(states, configs)
def test_supervision_opinion_is_allowed_at_every_step_and_changes_nothing(
    state, config
):
    assert apply(state, SupervisionOpinion(), config) == state


@pytest.mark.parametrize(
    ("step", "outcome"),
    [
        (Step.RESOLUTION_DISCLOSED, Outcome.PASSED),
        (Step.PARTY_PROPOSAL, Outcome.DONE),
    ],
)
def test_a_step_takes_only_its_own_outcomes(step, outcome):
    config = Config()
    with pytest.raises(TransitionRefused) as refused:
        apply(State(Status.IN_PROGRESS, step), RecordStep(step, outcome), config)
    assert refused.value.code == "wrong_outcome"


def test_revision_or_end_only_after_a_rejection():
    config = Config()
    for event in (End(), ReturnForRevision(Step.PARTY_PROPOSAL)):
        with pytest.raises(TransitionRefused) as refused:
            apply(initial(config), event, config)
        assert refused.value.code == "not_rejected"
