"""Pure rules of community duties: admission, the seal, the assessment, lists."""

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighbourhoods.duties.domain import admission, assessment, burden, lists, seal
from neighbourhoods.duties.domain.admission import Action, State

states = st.sampled_from(list(State))
actions = st.sampled_from(list(Action))


def test_the_happy_path_reaches_completed():
    state = State.APPLIED
    path = [
        Action.SUBDISTRICT_VIEW,
        Action.CONSULT_CLOSE,
        Action.APPROVE,
        Action.ENTER,
        Action.COMPLETE,
    ]
    actors = []
    for action in path:
        state, actor = admission.step(state, action)
        actors.append(actor)
    assert state is State.COMPLETED
    assert actors[0] is admission.Actor.SUBDISTRICT
    assert actors[2] is admission.Actor.LEADERSHIP_OFFICE


def test_refusal_only_after_communities_are_consulted():
    with pytest.raises(admission.AdmissionError):
        admission.step(State.APPLIED, Action.REFUSE)
    assert admission.step(State.COMMUNITIES_CONSULTED, Action.REFUSE)[0] is (
        State.REFUSED
    )


@given(states, actions)
def test_final_states_have_no_step(state, action):
    if state in admission.FINAL:
        with pytest.raises(admission.AdmissionError):
            admission.step(state, action)


@given(states, actions)
def test_every_step_leads_to_a_known_state_or_is_refused(state, action):
    if (state, action) not in admission.TRANSITIONS and not (
        action is Action.WITHDRAW and state in admission.WITHDRAWABLE
    ):
        with pytest.raises(admission.AdmissionError, match="out_of_order"):
            admission.step(state, action)
        return
    following, _ = admission.step(state, action)
    assert following in State
    assert following != state


@given(states)
def test_withdrawal_from_any_open_state(state):
    if state in admission.FINAL:
        return
    assert admission.step(state, Action.WITHDRAW)[0] is State.WITHDRAWN


def test_approving_level_follows_the_department():
    assert admission.approving_level("city") is admission.Level.CITY
    assert admission.approving_level("district") is admission.Level.DISTRICT


def _application(**changes):
    fields = {
        "legal_basis": "《中华人民共和国统计法》第七条",
        "funds_fen": 0,
        "staff": 0,
        "purchased_service": "",
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 6, 30),
        "communities": 1,
    }
    fields.update(changes)
    return admission.Application(**fields)


def test_an_application_needs_a_basis_and_funds():
    assert admission.Application.problems(_application(legal_basis=" ")) == [
        "no_legal_basis",
        "no_funds",
    ]


@given(st.integers(0, 10**9), st.integers(0, 50), st.sampled_from(["", "购买服务"]))
def test_funds_follow_the_task(funds, staff, service):
    problems = _application(
        funds_fen=funds, staff=staff, purchased_service=service
    ).problems()
    named = service == "购买服务"
    assert ("no_funds" in problems) == (funds == 0 and staff == 0 and not named)


@given(st.integers(-30, 30))
def test_the_end_may_be_the_start_day(days):
    start = date(2026, 3, 1)
    problems = _application(
        funds_fen=1, starts_on=start, ends_on=start + timedelta(days)
    ).problems()
    assert ("ends_before_start" in problems) == (days < 0)


@given(st.integers(-5, 5))
def test_a_task_binds_on_its_last_day(offset):
    start, end = date(2026, 1, 1), date(2026, 1, 31)
    today = end + timedelta(offset)
    assert admission.binds(State.IN_FORCE, start, end, today) == (offset <= 0)
    assert not admission.binds(State.ADMITTED, start, end, today)


@given(st.integers(1, 40), st.frozensets(st.integers(1, 40), max_size=10))
def test_the_seal_only_for_a_listed_certificate(kind, listed):
    use = seal.SealUse(reason="certificate", kind_id=kind, listed_kind_ids=listed)
    refusal = seal.seal_refusal(use)
    assert (refusal is None) == (kind in listed)


def test_the_seal_for_an_approved_document_only():
    assert seal.seal_refusal(seal.SealUse(reason="approved_document")) is (
        seal.SealRefusal.DOCUMENT_NOT_APPROVED
    )
    assert (
        seal.seal_refusal(
            seal.SealUse(reason="approved_document", document_approved=True)
        )
        is None
    )
    assert seal.seal_refusal(seal.SealUse(reason="")) is seal.SealRefusal.NO_REASON


def test_negative_list_names_the_department():
    assert seal.responsible_department("无犯罪记录证明") == "公安机关"
    assert seal.responsible_department("居住证明") is None


@given(st.integers(-3, 3))
def test_certificate_valid_through_its_last_day(offset):
    issued, until = date(2026, 1, 1), date(2026, 3, 31)
    assert seal.valid_on(issued, until, until + timedelta(offset)) == (offset <= 0)


def _system(*weights, veto=False):
    sources = ["satisfaction_ballot", *["manual"] * (len(weights) - 1)]
    return [
        assessment.Indicator(f"i{n}", weight, source, veto=veto and n == 0)
        for n, (weight, source) in enumerate(zip(weights, sources, strict=True))
    ]


@given(st.lists(st.integers(1, 100), min_size=1, max_size=6))
def test_weights_must_sum_to_exactly_100(weights):
    system = _system(*weights)
    if sum(weights) == 100:
        assessment.check_system(system)
    else:
        with pytest.raises(assessment.SystemError_) as caught:
            assessment.check_system(system)
        assert caught.value.code == "weights_sum"


def test_a_veto_indicator_is_refused():
    with pytest.raises(assessment.SystemError_) as caught:
        assessment.check_system(_system(60, 40, veto=True))
    assert caught.value.code == "veto"
    assert "一票否决" in assessment.VETO_WORDS


def test_satisfaction_is_required():
    system = [assessment.Indicator("a", 100, "manual")]
    with pytest.raises(assessment.SystemError_):
        assessment.check_system(system)


@given(
    st.integers(1, 99),
    st.fractions(min_value=0, max_value=1),
    st.fractions(min_value=0, max_value=1),
)
def test_total_is_exact_and_bounded(weight, first, second):
    system = _system(weight, 100 - weight)
    result = assessment.total(system, {"i0": first, "i1": second})
    assert result == weight * first + (100 - weight) * second
    assert isinstance(result, Fraction)
    assert 0 <= result <= 100


def test_total_needs_every_input_in_range():
    system = _system(70, 30)
    with pytest.raises(assessment.SystemError_):
        assessment.total(system, {"i0": Fraction(1)})
    with pytest.raises(assessment.SystemError_):
        assessment.total(system, {"i0": Fraction(3, 2), "i1": Fraction(0)})


@given(st.fractions(min_value=1, max_value=5))
def test_rating_score(mean):
    score = assessment.rating_score(mean, 1, 5)
    assert 0 <= score <= 1
    assert score * 4 + 1 == mean


def test_cut_two_never_rounds_up():
    assert assessment.cut_two(Fraction(2, 3) * 100) == "66.66"
    assert assessment.cut_two(Fraction(100)) == "100.00"


@given(st.integers(0, 50), st.integers(0, 50))
def test_share_score(done, extra):
    assert assessment.share_score(done, done + extra) <= 1


def _versions():
    return [
        lists.Version(1, date(2025, 1, 1), True),
        lists.Version(2, date(2026, 1, 1), True),
        lists.Version(3, date(2026, 7, 1), False),
    ]


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 1, 1)))
def test_the_version_in_force_is_chosen_by_the_day(day):
    chosen = lists.in_force(_versions(), day)
    if day < date(2025, 1, 1):
        assert chosen is None
    elif day < date(2026, 1, 1):
        assert chosen.number == 1
    else:
        assert chosen.number == 2  # the draft never binds


def test_published_versions_are_not_edited():
    versions = _versions()
    assert not lists.may_edit(versions[0])
    assert lists.may_edit(versions[2])
    assert lists.may_publish(versions[0], versions, date(2026, 1, 1)) == "published"
    assert lists.may_publish(versions[2], versions, date(2026, 6, 1)) is None
    assert (
        lists.may_publish(versions[2], versions, date(2026, 7, 2))
        == "effective_in_past"
    )
    early = lists.Version(4, date(2025, 12, 1), False)
    assert (
        lists.may_publish(early, [*versions, early], date(2025, 11, 1))
        == "not_after_published"
    )


def test_last_months_cross_the_year():
    assert burden.last_months(date(2026, 2, 10), 3) == ["2025-12", "2026-01", "2026-02"]
    assert burden.month_bounds("2025-12") == (date(2025, 12, 1), date(2026, 1, 1))
