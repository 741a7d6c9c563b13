"""Who may take which admission step: role × step, every other pair refused (403)
or out of order (409); nothing changes on a refusal."""

import pytest

from neighbourhoods.duties import services
from neighbourhoods.duties.services import DutyError
from neighbourhoods.models import AdmissionRequest

from .conftest import agreement, apply

pytestmark = pytest.mark.django_db

ROLES = ("officer", "office", "city_office", "subdistrict", "community", "resident")
# The step a request takes next, from each state, and the one role that may take it.
STEPS = (
    ("applied", "subdistrict_view", "subdistrict"),
    ("subdistrict_viewed", "consult_close", "office"),
    ("communities_consulted", "approve", "office"),
    ("admitted", "enter", "officer"),
    ("in_force", "complete", "officer"),
)


def _user(world, role):
    return {
        "officer": world.officer,
        "office": world.office_user,
        "city_office": world.city_office_user,
        "subdistrict": world.subdistrict_user,
        "community": world.community_user,
        "resident": world.resident,
    }[role]


def _take(step, request_id, actor):
    if step == "subdistrict_view":
        return services.admission_subdistrict_view(
            request_id=request_id, actor=actor, view="同意"
        )
    if step == "consult_close":
        return services.admission_consult_close(request_id=request_id, actor=actor)
    if step == "approve":
        return services.admission_decide(
            request_id=request_id, actor=actor, approve=True, agreement=agreement()
        )
    if step == "enter":
        return services.admission_enter(request_id=request_id, actor=actor)
    return services.admission_close(request_id=request_id, actor=actor, withdraw=False)


def _at_state(world, state):
    request = apply(world)
    for from_state, step, role in STEPS:
        if from_state == state:
            break
        _take(step, request.pk, _user(world, role))
    return request


@pytest.mark.parametrize(("state", "step", "allowed"), STEPS)
@pytest.mark.parametrize("role", ROLES)
def test_role_by_step(world, state, step, allowed, role):
    request = _at_state(world, state)
    if role == allowed:
        _take(step, request.pk, _user(world, role))
        assert AdmissionRequest.objects.get(pk=request.pk).state != state
        return
    with pytest.raises(DutyError) as caught:
        _take(step, request.pk, _user(world, role))
    assert caught.value.status == 403
    assert AdmissionRequest.objects.get(pk=request.pk).state == state


@pytest.mark.parametrize("state", [s for s, _step, _role in STEPS][1:])
def test_a_step_out_of_order_is_409_for_everyone(world, state):
    request = _at_state(world, state)
    with pytest.raises(DutyError) as caught:
        _take("subdistrict_view", request.pk, None)
    assert caught.value.status == 409


def test_only_the_department_withdraws(world):
    request = apply(world)
    for role in ("office", "subdistrict", "community", "resident"):
        with pytest.raises(DutyError):
            services.admission_close(
                request_id=request.pk, actor=_user(world, role), withdraw=True
            )
    services.admission_close(request_id=request.pk, actor=world.officer, withdraw=True)
    assert AdmissionRequest.objects.get(pk=request.pk).state == "withdrawn"
