"""Issue 9, item 19: over-long fields are refused with 422 and a message, on every
database alike (SQLite would store them; PostgreSQL would raise)."""

import pytest

from consultation.ballots import services
from consultation.ballots.models import Ballot
from tests.consultation.factories import owners_ballot, owners_compound

pytestmark = pytest.mark.django_db


def _post(client, community, **changes):
    data = {
        "title": "小区停车方案",
        "kind": "single",
        "options": "方案一\n方案二",
        "basis": "residents_adult",
        "scope": f"community:{community.pk}",
        "rule_id": "",
        "secrecy": "named",
        "results_visibility": "after_close",
        "min_choices": 1,
        "max_choices": 1,
        "seats": 1,
    }
    data.update(changes)
    return client.post(f"/ballots/new/{community.slug}/", data)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("options", "方案一\n" + "长" * 201, "每个选项不能超过 200 个字"),
        ("title", "题" * 201, "200"),
        ("options", "\n".join(f"方案{i}" for i in range(201)), "选项不能超过 200 个"),
        ("description", "说" * 20_001, "20000"),
    ],
)
def test_the_form_refuses_over_long_fields(client, field, value, message):
    _compound, community, _people, staff = owners_compound(1)
    client.force_login(staff)
    response = _post(client, community, **{field: value})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Ballot.objects.exists()


def test_the_form_takes_a_label_of_exactly_200(client):
    _compound, community, _people, staff = owners_compound(1)
    client.force_login(staff)
    response = _post(client, community, options="方案一\n" + "长" * 200)
    assert response.status_code == 302
    assert Ballot.objects.get().options.filter(label="长" * 200).exists()


@pytest.mark.parametrize(
    "changes",
    [{"title": "题" * 201}, {"kind": "single", "options": ["甲", "乙" * 201]}],
)
def test_the_service_refuses_over_long_fields(changes):
    compound, community, _people, staff = owners_compound(1)
    with pytest.raises(services.BallotError) as refusal:
        owners_ballot(compound, community, staff, rule_id="", **changes)
    assert refusal.value.status == 422
    assert "200" in refusal.value.message
    assert not Ballot.objects.exists()
