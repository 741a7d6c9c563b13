"""Finding a voter by unit: queries as staff type them, and the next sheet number."""

from hypothesis import given
from hypothesis import strategies as st

from consultation.ballots.domain.finding import (
    next_sheet_number,
    unit_label,
    unit_matches,
    unit_parts,
    unit_query,
)

numbers = st.integers(min_value=1, max_value=9999).map(str)


def test_queries_as_typed():
    unit = unit_parts("3", "2", "501")
    for typed in ("3-2-501", "3栋2单元501", "3 2 501", "３-2-501".replace("３", "3")):
        assert unit_matches(unit_query(typed), unit), typed
    assert unit_matches(unit_query("2-501"), unit)
    assert unit_matches(unit_query("501"), unit)
    assert not unit_matches(unit_query("3-1-501"), unit)
    assert not unit_matches(unit_query("4-3-2-501"), unit)
    assert not unit_matches(unit_query("李昊"), unit)  # a name has no number parts


def test_leading_zeros_and_units_without_entrance():
    assert unit_matches(unit_query("03-0501"), unit_parts("3", "", "501"))
    assert unit_label("3", "2", "501") == "3栋2单元501室"
    assert unit_label("12", "", "B-3") == "12栋B-3室"


@given(numbers, numbers, numbers)
def test_every_unit_is_found_by_its_full_and_short_forms(building, entrance, room):
    unit = unit_parts(building, entrance, room)
    assert unit_matches(unit_query(f"{building}-{entrance}-{room}"), unit)
    assert unit_matches(unit_query(f"{entrance}-{room}"), unit)
    assert unit_matches(unit_query(unit_label(building, entrance, room)), unit)


@given(st.text(alphabet="S-", max_size=3), st.integers(0, 10**6), st.integers(1, 7))
def test_next_sheet_number_keeps_the_width(prefix, number, width):
    sheet = f"{prefix}{number:0{width}d}"
    following = next_sheet_number(sheet)
    assert following.startswith(prefix)
    assert int(following[len(prefix) :]) == number + 1
    assert len(following) >= len(sheet)


def test_an_unnumbered_sheet_has_no_next():
    assert next_sheet_number("甲") == ""
    assert next_sheet_number("") == ""
