"""Reading a rule's input values: the one home of "what a tally handed to a rule is".

Encodes RULES.md §2.2 and §9.2 for the inputs of every rule: a rule names its inputs
(``Rule.inputs``); areas are registered exclusive-part areas in square metres with at
most two decimals, stored as integers of 0.01 m² (``units``); counts are
non-negative whole numbers; no input may be missing or unknown, and no part may
exceed its whole (``thresholds.check_values``). Every refusal is an
``InvalidValues`` whose message is Chinese, then English. No float anywhere, and no
Django import here.

``manage.py decide`` reads JSON through it; the decision calculator reads its form
through it (``forms.calculator_inputs``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .conditions import Rule, ValueKind
from .thresholds import check_input_names, check_values
from .units import parse_area

__all__ = ["parse_rule_inputs"]

# ASCII digits only (str.isdigit and int() also accept "１２" or "²"); 18 digits bound
# the work int() does on hostile input, and no tally is that long.
_COUNT_RE = re.compile(r"[0-9]{1,18}")


def _read(kind: ValueKind, name: str, value: object, *, from_text: bool) -> object:
    if from_text and isinstance(value, str):
        value = value.strip()
        if kind is ValueKind.COUNT and _COUNT_RE.fullmatch(value):
            return int(value)
    if kind is ValueKind.AREA:
        return parse_area(value, name=name)  # type: ignore[arg-type]
    # A count is an int; anything else is refused by check_values, in one wording.
    return value


def parse_rule_inputs(
    rule: Rule, raw: Mapping[str, object], *, from_text: bool = False
) -> dict[str, int]:
    """``raw`` values by input name → the exact integers ``evaluate`` takes.

    Areas are decimal strings of square metres with at most two decimals (a whole int
    is read as whole square metres) and become integers of 0.01 m²; counts are whole
    numbers. With ``from_text=False`` the values are as decoded from JSON: a count must
    be an integer (``"2"`` is refused). With ``from_text=True`` every value is text as
    typed into a form: surrounding blanks are ignored and a count is written in ASCII
    digits. Raises ``InvalidValues`` (Chinese, then English) for missing or unknown
    names, malformed values, negative values and parts above their wholes.
    """
    check_input_names(rule, raw)
    values = {
        spec.name: _read(spec.kind, spec.name, raw[spec.name], from_text=from_text)
        for spec in rule.inputs
    }
    return check_values(rule, values)
