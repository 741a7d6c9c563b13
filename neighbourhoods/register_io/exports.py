"""Roll export: the import's columns, one row per person, ID and phone masked."""

from __future__ import annotations

import csv
import io

from ..models import Community
from .columns import COLUMNS, HEADERS
from .selectors import roll_rows

# Spreadsheet programs run a cell starting with these as a formula (CSV injection); a
# leading apostrophe makes it text, and the import drops it again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def roll_export(*, community: Community, fmt: str = "csv") -> bytes:
    """The community's roll as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX."""
    rows = [[_safe(row[c.key]) for c in COLUMNS] for row in roll_rows(community)]
    if fmt == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADERS)
        writer.writerows(rows)
        return out.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return _xlsx(rows)
    raise ValueError(f"unknown export format {fmt!r}")


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "名册"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in rows:
        sheet.append(values)
    # Every cell is text: Excel then keeps leading zeros and never rounds long numbers.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"
    for index, header in enumerate(HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
            10, len(header) * 2 + 2
        )
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
