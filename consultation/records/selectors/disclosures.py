"""A matter's entries on the disclosure board, read through the board's selector
(records → disclosures; the board never imports records)."""

from __future__ import annotations

from consultation.disclosures import selectors as board

from ..domain.procedure import Step

#: The steps recorded by the publication of a board entry (services/disclosure.py).
DISCLOSURE_STEPS = frozenset({Step.RESOLUTION_DISCLOSED, Step.RESULT_DISCLOSED})


def matter_disclosures(matter_id: int, *, today=None) -> list[dict]:
    """Every entry drafted from the matter, oldest first: the entry, its phase
    (displayed / archived), its display period and its objections."""
    return board.entries_of_source("matter", matter_id, today=today)


def disclosure_in_progress(rows: list[dict], kind: str) -> bool:
    """An entry of `kind` drafted, under review or returned, not yet published."""
    return any(row["entry"].kind == kind and not row["entry"].published for row in rows)
