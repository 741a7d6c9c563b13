"""Exact units for tallies: areas as integers of 0.01 m².

Encodes RULES.md §2.2–§2.3: the areas of 《民法典》第二百七十八条 are the registered
exclusive-part areas (最高人民法院 建筑物区分所有权司法解释 第八条), which the
register states in square metres with two decimals. They are stored and compared
as integers of 0.01 m², so "1234.56" is 123456 and no float is ever involved.
No Django import here.
"""

from __future__ import annotations

import re

from .conditions import InvalidValues

__all__ = ["AREA_UNITS_PER_M2", "AreaFormatError", "format_area", "parse_area"]

AREA_UNITS_PER_M2 = 100

# ASCII digits only: str.isdigit() and \d also accept "１２" or "١٢".
_AREA_RE = re.compile(r"(?P<sign>[+-]?)(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]+))?")


class AreaFormatError(InvalidValues):
    """An area is not a non-negative decimal of square metres with ≤ 2 decimals."""


def parse_area(value: str | int, *, name: str = "area") -> int:
    """Square metres as a decimal string (or whole int) → integer 0.01 m² units.

    ``"1234.56"`` → 123456, ``"7.5"`` → 750, ``12`` → 1200. Refused with
    ``AreaFormatError``: floats (inexact), negative values, more than two decimals
    (also ``"1.230"``: the register has two), exponents, blanks and other text.
    """
    if isinstance(value, bool):
        raise AreaFormatError(
            f"{name} 须为平方米数。 {name} must be square metres, got {value!r}."
        )
    if isinstance(value, int):
        if value < 0:
            raise AreaFormatError(f"{name} 不能为负数。 {name} is negative ({value}).")
        return value * AREA_UNITS_PER_M2
    if not isinstance(value, str):
        raise AreaFormatError(
            f"{name} 面积须以字符串形式给出。 {name} must be a decimal string of "
            f'square metres such as "123.45", got {value!r}.'
        )
    match = _AREA_RE.fullmatch(value)
    if match is None:
        raise AreaFormatError(
            f"{name} 面积格式不正确。 "
            f"{name} is not a decimal number of square metres: {value!r}."
        )
    fraction_digits = match.group("frac") or ""
    if len(fraction_digits) > 2:
        raise AreaFormatError(
            f"{name} 面积最多两位小数。 {name} has more than two decimals: {value!r}."
        )
    units = int(match.group("whole")) * AREA_UNITS_PER_M2 + int(
        fraction_digits.ljust(2, "0")
    )
    if match.group("sign") == "-" and units != 0:
        raise AreaFormatError(f"{name} 不能为负数。 {name} is negative ({value}).")
    return units


def format_area(units: int) -> str:
    """Integer 0.01 m² units → ``"1234.56"`` (exact, always two decimals)."""
    sign = "-" if units < 0 else ""
    whole, cents = divmod(abs(units), AREA_UNITS_PER_M2)
    return f"{sign}{whole}.{cents:02d}"
