"""parse_rule_inputs: a rule's input values from JSON or a form, one error type."""

from __future__ import annotations

import re

import pytest

from consultation.ballots.domain.rules import (
    CIVIL_CODE_278_MAJOR,
    OWNERS_COMMITTEE,
    InvalidValues,
    evaluate,
    parse_rule_inputs,
)

OWNERS_JSON = {
    "total_area": "300.00",
    "total_owners": 3,
    "participating_area": "200.00",
    "participating_owners": 2,
    "yes_area": "150.00",
    "yes_owners": 2,
}
OWNERS_FORM = {
    name: f" {value} " if name.endswith("owners") else str(value)
    for name, value in OWNERS_JSON.items()
}
EXACT = {
    "total_area": 30000,
    "total_owners": 3,
    "participating_area": 20000,
    "participating_owners": 2,
    "yes_area": 15000,
    "yes_owners": 2,
}


def test_json_and_form_give_the_same_exact_integers() -> None:
    assert parse_rule_inputs(CIVIL_CODE_278_MAJOR, OWNERS_JSON) == EXACT
    assert parse_rule_inputs(CIVIL_CODE_278_MAJOR, OWNERS_FORM, from_text=True) == EXACT
    assert evaluate(CIVIL_CODE_278_MAJOR, EXACT).passed


def test_a_whole_int_area_is_whole_square_metres() -> None:
    values = OWNERS_JSON | {"total_area": 300}
    assert parse_rule_inputs(CIVIL_CODE_278_MAJOR, values)["total_area"] == 30000


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"yes_owners": "2"}, "whole number"),  # JSON: a count is an integer
        ({"yes_owners": 2.0}, "whole number"),
        ({"yes_owners": True}, "whole number"),
        ({"yes_area": 150.5}, "string"),
        ({"yes_area": "150.001"}, "two decimals"),
        ({"total_owners": -1}, "negative"),
        ({"total_area": "-300.00"}, "negative"),
        ({"participating_area": "300.01"}, "participating_area .* exceeds"),
        ({"no_owners": 0}, "unknown"),
    ],
)
def test_json_values_refused(change: dict, message: str) -> None:
    with pytest.raises(InvalidValues, match=message) as raised:
        parse_rule_inputs(CIVIL_CODE_278_MAJOR, OWNERS_JSON | change)
    chinese, _, english = str(raised.value).partition("。 ")
    assert re.search("[\u4e00-\u9fff]", chinese)  # Chinese first, English after
    assert re.search("[a-z]{4}", english)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"yes_owners": ""}, "whole number"),
        ({"yes_owners": "-1"}, "whole number"),
        ({"yes_owners": "２"}, "whole number"),  # full-width digits
        ({"yes_owners": "²"}, "whole number"),
        ({"yes_owners": "1e3"}, "whole number"),
        ({"yes_area": ""}, "not a decimal"),
        ({"yes_area": "1.234"}, "two decimals"),
        ({"yes_owners": "3"}, "yes_owners .* exceeds"),
    ],
)
def test_form_text_refused(change: dict, message: str) -> None:
    with pytest.raises(InvalidValues, match=message):
        parse_rule_inputs(CIVIL_CODE_278_MAJOR, OWNERS_FORM | change, from_text=True)


def test_missing_names_are_reported_before_bad_values() -> None:
    values = {"members": "x", "present": 1}
    with pytest.raises(InvalidValues, match=r"missing value.*yes") as raised:
        parse_rule_inputs(OWNERS_COMMITTEE, values)
    message = str(raised.value)
    assert message.index("缺少数值") < message.index("missing")  # Chinese first
