"""Finding a voter on the roll by their unit, as staff read it off a paper sheet.

Staff entering a stack of paper ballots look each voter up by building-entrance-room
("3-2-501", "3栋2单元501", "3 2 501") or by name. A unit is the tuple of its
building, entrance (may be empty) and room numbers; a query of digits and letters
matches a unit when its parts equal the unit's last parts (so "2-501" finds room 501
of entrance 2 in any building, "501" every room 501). No Django import here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_PART = re.compile(r"[0-9A-Za-z]+")
_TRAILING_NUMBER = re.compile(r"^(.*?)(\d+)$")


def unit_query(text: str) -> tuple[str, ...]:
    """The number parts of a query: "3栋2单元501" → ("3", "2", "501")."""
    return tuple(part.upper().lstrip("0") or "0" for part in _PART.findall(text))


def unit_parts(building: str, entrance: str, room: str) -> tuple[str, ...]:
    parts = (building, entrance, room) if entrance else (building, room)
    return tuple(p.upper().lstrip("0") or "0" for p in parts if p)


def unit_matches(query: Sequence[str], unit: Sequence[str]) -> bool:
    """Whether the query's parts are the unit's last parts, in order."""
    if not query or len(query) > len(unit):
        return False
    return tuple(unit[-len(query) :]) == tuple(query)


def unit_label(building: str, entrance: str, room: str) -> str:
    """How a unit reads in Chinese: 3栋2单元501室."""
    entrance_text = f"{entrance}单元" if entrance else ""
    return f"{building}栋{entrance_text}{room}室"


def next_sheet_number(sheet: str) -> str:
    """The next sheet of a numbered stack: "S-009" → "S-010"; "" if not numbered."""
    found = _TRAILING_NUMBER.match(sheet.strip())
    if found is None:
        return ""
    head, digits = found.groups()
    return f"{head}{int(digits) + 1:0{len(digits)}d}"
