"""Forms of ballots: choices from their one home, the calculator's totals."""

import pytest
from django.http import QueryDict

from consultation.ballots.domain.ballots import BallotKind
from consultation.ballots.domain.rules import (
    CIVIL_CODE_278_MAJOR,
    FAMILIES,
    OWNERS_COMMITTEE,
    RESIDENTS_MEETING_2018,
    InvalidValues,
    RuleError,
)
from consultation.ballots.exports import channel_label
from consultation.ballots.forms import BallotForm, calculator_inputs
from consultation.ballots.models import Ballot, Channel
from consultation.templatetags.ballots import channel_label as channel_filter
from neighbourhoods.rolls.domain import RollBasis


def _values(choices) -> list[str]:
    return [value for value, _label in choices]


def test_new_ballot_choices_come_from_the_domain_and_the_model():
    form = BallotForm(scopes=[])
    assert _values(form.fields["kind"].choices) == [k.value for k in BallotKind]
    assert sorted(_values(form.fields["basis"].choices)) == sorted(RollBasis)
    assert _values(form.fields["basis"].choices)[0] == RollBasis.OWNERS  # default
    # Every family a ballot can count; the villagers' meeting, convening thresholds
    # and Art. 279 consent are for `decide` and the calculator only.
    decide_only = {
        "villagers-meeting",
        "residents-meeting-convening",
        "owners-extraordinary-meeting",
        "dwelling-to-business",
    }
    assert _values(form.fields["rule_id"].choices) == [
        "",
        *(f for f in FAMILIES if f not in decide_only),
    ]
    assert form.fields["secrecy"].choices == Ballot.Secrecy.choices
    assert form.fields["results_visibility"].choices == (
        Ballot.ResultsVisibility.choices
    )
    assert form["results_visibility"].initial == Ballot.ResultsVisibility.AFTER_CLOSE


def test_calculator_reads_the_rule_fields_only():
    data = QueryDict(mutable=True)
    data.update(
        {
            "rule": "civil-code-278-major",
            "csrfmiddlewaretoken": "x",
            "total_area": "10000.00",
            "total_owners": " 90 ",
            "participating_area": "6666.67",
            "participating_owners": "60",
            "yes_area": "5000.01",
            "yes_owners": "45",
            "present": "oops",  # another rule's field: ignored
        }
    )
    assert calculator_inputs(CIVIL_CODE_278_MAJOR, data) == {
        "total_area": 1000000,
        "total_owners": 90,
        "participating_area": 666667,
        "participating_owners": 60,
        "yes_area": 500001,
        "yes_owners": 45,
    }


def test_one_field_serves_constituency_and_members():
    data = {"constituency": "7", "present": "4", "yes": "3"}
    assert calculator_inputs(RESIDENTS_MEETING_2018, data)["constituency"] == 7
    assert calculator_inputs(OWNERS_COMMITTEE, data)["members"] == 7
    assert calculator_inputs(OWNERS_COMMITTEE, data | {"members": "9"})["members"] == 9


@pytest.mark.parametrize("count", ["", "-1", "４", "²", "1.5"])
def test_calculator_refuses_what_is_not_a_whole_number(count):
    data = {"constituency": "7", "present": count, "yes": "3"}
    with pytest.raises(InvalidValues, match="whole number") as raised:
        calculator_inputs(RESIDENTS_MEETING_2018, data)
    assert isinstance(raised.value, RuleError)  # what the calculator view catches


def test_one_channel_label_for_pages_and_documents():
    for channel in [*Channel.values, "official", "carrier-pigeon"]:
        assert channel_filter(channel) == channel_label(channel)
    assert channel_label("official") == "官方表决系统"
    assert channel_label("carrier-pigeon") == "carrier-pigeon"
