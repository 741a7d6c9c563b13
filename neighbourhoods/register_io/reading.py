"""The bytes of an uploaded roll (CSV or XLSX) -> rows of raw cells keyed by column.

Nothing here interprets a value: CSV cells stay text and XLSX cells keep openpyxl's
types (numbers, dates, booleans), so the parser can tell a number Excel mangled.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .columns import column_key

logger = logging.getLogger(__name__)

MAX_ROWS = 20_000
MAX_COLUMNS = 60
HEADER_SEARCH_ROWS = 10
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class RollFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class SourceRow:
    number: int  # the row number the spreadsheet shows (the header is usually row 1)
    cells: dict[str, object]


@dataclass
class Table:
    kind: str  # "csv" or "xlsx"
    headers: dict[str, str]  # column key -> the header text as written in the file
    ignored: list[str] = field(default_factory=list)
    rows: list[SourceRow] = field(default_factory=list)


def read_table(data: bytes) -> Table:
    if not data or not data.strip():
        raise RollFileError(_("文件是空的。 The file is empty."))
    if data.startswith(_OLE_MAGIC):
        raise RollFileError(
            _(
                "不支持旧版 .xls 或加密的 Excel 文件，请另存为 .xlsx 或 CSV。 "
                "Old .xls and encrypted workbooks are not supported: save as .xlsx "
                "or CSV."
            )
        )
    if data.startswith(_XLSX_MAGIC):
        return _build_table("xlsx", _xlsx_rows(data))
    return _build_table("csv", _csv_rows(data))


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (Chinese Excel)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise RollFileError(
        _(
            "无法识别文件编码，请保存为 UTF-8 或 GB18030 编码的 CSV。 "
            "Unknown text encoding: save the CSV as UTF-8 or GB18030."
        )
    )


def _csv_rows(data: bytes):
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for record in reader:
            yield start, record[:MAX_COLUMNS]
            start = reader.line_num + 1
    except csv.Error as exc:
        raise RollFileError(
            _("第 %(row)d 行：CSV 格式错误。 Row %(row)d: malformed CSV.")
            % {"row": start}
        ) from exc


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:
        # A few MB of zip can unpack to gigabytes: look before openpyxl does.
        too_big = _unpacked_size(data) > MAX_UNPACKED_BYTES
    except (zipfile.BadZipFile, OSError, ValueError):
        too_big = False  # openpyxl below reports the damage
    if too_big:
        raise RollFileError(
            _("XLSX 文件解压后过大，请分批导入。 The XLSX file unpacks too large.")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged upload may fail anywhere inside openpyxl
        logger.info("unreadable xlsx upload: %s", type(exc).__name__)
        raise RollFileError(
            _("无法读取该 XLSX 文件（文件可能已损坏）。 The XLSX file cannot be read.")
        ) from exc
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        yield from enumerate(rows, start=1)
    except RollFileError:
        raise
    except Exception as exc:
        logger.info("unreadable xlsx sheet: %s", type(exc).__name__)
        raise RollFileError(
            _("无法读取该 XLSX 文件（文件可能已损坏）。 The XLSX file cannot be read.")
        ) from exc
    finally:
        workbook.close()


def _is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _build_table(kind: str, rows) -> Table:
    table: Table | None = None
    positions: dict[str, int] = {}
    searched = 0
    for number, cells in rows:
        if all(_is_empty(cell) for cell in cells):
            continue
        if table is None:
            searched += 1
            if searched > HEADER_SEARCH_ROWS:
                break
            table, positions = _header(kind, cells)
            continue
        if len(table.rows) >= MAX_ROWS:
            raise RollFileError(
                _("文件超过 %(max)d 行，请分批导入。 More than %(max)d rows: split it.")
                % {"max": MAX_ROWS}
            )
        values = {
            key: cells[i] if i < len(cells) else None for key, i in positions.items()
        }
        table.rows.append(SourceRow(number=number, cells=values))
    if table is None:
        raise RollFileError(
            _(
                "找不到表头：文件的前几行中须有“姓名”列。 "
                "No header row found: one of the first rows must have a 姓名 column."
            )
        )
    return table


def _header(kind: str, cells) -> tuple[Table | None, dict[str, int]]:
    texts = ["" if cell is None else str(cell).strip() for cell in cells]
    keys = [column_key(text) for text in texts]
    if "full_name" not in keys:
        return None, {}
    table = Table(kind=kind, headers={})
    positions: dict[str, int] = {}
    for i, (text, key) in enumerate(zip(texts, keys, strict=True)):
        if key is None:
            if text:
                table.ignored.append(text)
        elif key in positions:
            raise RollFileError(
                _("表头中“%(header)s”列重复。 Column %(header)s appears twice.")
                % {"header": table.headers[key]}
            )
        else:
            positions[key] = i
            table.headers[key] = text
    return table, positions
