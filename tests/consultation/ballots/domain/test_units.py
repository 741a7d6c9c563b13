"""Areas as exact integers of 0.01 m²."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.thresholds import InvalidValues
from consultation.ballots.domain.units import AreaFormatError, format_area, parse_area


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("0", 0),
        ("0.01", 1),
        ("7.5", 750),
        ("1234.56", 123456),
        ("+12.30", 1230),
        ("0012.05", 1205),
        (12, 1200),
        ("100000000000000000000.99", 10000000000000000000099),
    ],
)
def test_parse_area(text: str | int, units: int) -> None:
    assert parse_area(text) == units


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("1.234", "more than two decimals"),
        ("1.230", "more than two decimals"),
        ("-1.00", "negative"),
        (-5, "negative"),
        ("1e3", "not a decimal"),
        ("12.", "not a decimal"),
        (".5", "not a decimal"),
        ("", "not a decimal"),
        (" 12", "not a decimal"),
        ("１２", "not a decimal"),  # full-width digits
        ("12,5", "not a decimal"),
        (12.5, "decimal string"),
        (True, "square metres"),
        (None, "decimal string"),
    ],
)
def test_parse_area_refuses(bad: object, message: str) -> None:
    with pytest.raises(AreaFormatError, match=message):
        parse_area(bad, name="total_area")  # type: ignore[arg-type]
    assert issubclass(AreaFormatError, InvalidValues)


@given(st.integers(min_value=0, max_value=10**15))
def test_format_and_parse_round_trip(units: int) -> None:
    assert parse_area(format_area(units)) == units


@given(
    st.decimals(
        min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False
    )
)
def test_parse_area_is_exact(value: Decimal) -> None:
    text = f"{value:.2f}"
    assert parse_area(text) == int(Decimal(text) * 100)
