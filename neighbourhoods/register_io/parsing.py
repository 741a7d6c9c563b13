"""Cell values of a roll file: raw CSV text or openpyxl values to checked Python values.

Every parser raises `CellError` with a message in Chinese then English. No message
quotes an ID-card or phone number: at most a short value of a harmless column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from yishi.privacy import id_number_checksum_ok, normalise_id_number

# Columns holding names keep their characters as written; the others are codes, numbers
# and words whose full-width forms (１２３, （）) are folded to ASCII.
NAME_COLUMNS = frozenset({"full_name", "compound", "residents_group"})
MAX_AREA = 1_000_000  # m²; also keeps the 0.01 m² integer inside PositiveIntegerField
MASKED_ID_RE = re.compile(r"^\*{4,}([0-9X]{4})$")


class CellError(ValueError):
    """A value that cannot be used; str(error) is the message for the user."""


def cell_text(value, key: str) -> tuple[str, bool]:
    """(text, was_number): the cell as stripped text; did Excel store a number?"""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("是" if value else "否"), False
    if isinstance(value, dt.datetime):
        return value.date().isoformat(), False
    if isinstance(value, dt.date):
        return value.isoformat(), False
    if isinstance(value, int | float | Decimal):
        if key == "id_number":
            raise CellError(
                _(
                    "身份证号在 Excel 中被存成了数字，末几位可能已丢失；请把该列设为"
                    "“文本”格式后重新录入。 The ID number was stored as a number in "
                    "Excel and may have lost digits: format the column as Text and "
                    "re-enter it."
                )
            )
        if isinstance(value, float):
            # repr gives the shortest decimal that round-trips, so 89.5 stays 89.5.
            text = str(int(value)) if value.is_integer() else repr(value)
        else:
            text = str(value)
        return text, True
    text = str(value)
    if key not in NAME_COLUMNS:
        text = unicodedata.normalize("NFKC", text)
    text = text.strip()
    # A leading apostrophe is how spreadsheets (and our CSV export) force text.
    if text.startswith("'"):
        text = text[1:].strip()
    return text, False


def echo(text: str) -> str:
    """A cell value safe to quote back: short, so never a whole ID or phone number."""
    return text if len(text) <= 10 else text[:4] + "…"


def check_length(text: str, limit: int) -> str:
    if len(text) > limit:
        raise CellError(
            _("内容过长（最多 %(limit)d 个字符）。 Too long (at most %(limit)d).")
            % {"limit": limit}
        )
    return text


def parse_id_number(text: str) -> tuple[str, dt.date]:
    """A checked 18-character ID number and the birth date it carries."""
    value = normalise_id_number(text)
    if not re.fullmatch(r"\d{17}[\dX]", value):
        raise CellError(
            _(
                "身份证号格式不正确（应为 18 位，最后一位可为 X）。 "
                "Invalid ID number: 18 characters, the last may be X."
            )
        )
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1880:
        raise CellError(
            _(
                "身份证号中的出生日期无效。 "
                "The birth date inside the ID number is not a date."
            )
        )
    if not id_number_checksum_ok(value):
        raise CellError(
            _("身份证号校验位不正确。 The ID number's check digit is wrong.")
        )
    return value, born


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(text: str, *, today: dt.date) -> dt.date:
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                value = dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
            if value > today:
                raise CellError(
                    _(
                        "出生日期“%(date)s”晚于今天。 "
                        "Birth date %(date)s is in the future."
                    )
                    % {"date": value.isoformat()}
                )
            if value.year < 1880:
                raise CellError(
                    _("出生日期“%(date)s”过早。 Birth date %(date)s is too early.")
                    % {"date": value.isoformat()}
                )
            return value
    raise CellError(
        _("无法识别的日期（请写成 1980-01-31）。 Not a date: write it as 1980-01-31.")
    )


MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{9,11}$")


def is_masked(text: str) -> bool:
    return "*" in text


def parse_phone(text: str, *, was_number: bool) -> str:
    """An 11-digit mobile (1xxxxxxxxxx) or a landline with its area code (0xx…)."""
    value = re.sub(r"[\s\-()]", "", text)
    if value.startswith("+86"):
        value = value[3:]
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value):
        return value
    message = _(
        "电话号码格式不正确（手机号为 1 开头的 11 位数字，座机须带 0 开头的区号）。 "
        "Invalid phone: a mobile is 11 digits starting with 1; a landline starts "
        "with its area code 0."
    )
    if was_number:
        message += " " + _(
            "Excel 把该号码存成了数字，开头的 0 会丢失：请把该列设为“文本”格式。 "
            "Excel stored it as a number and dropped any leading 0: format the "
            "column as Text."
        )
    raise CellError(message)


def parse_area(text: str) -> int:
    """m² with at most two decimals -> integer hundredths (exact, never float)."""
    value = text.replace("㎡", "").replace("m2", "").strip()
    if re.fullmatch(r"-\s*\d+(\.\d*)?", value):
        raise CellError(_("面积不能为负数。 The area cannot be negative."))
    if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", value):
        raise CellError(
            _("面积“%(value)s”不是数字。 Area %(value)s is not a number.")
            % {"value": echo(text)}
        )
    try:
        hundredths = Decimal(value) * 100
    except (
        InvalidOperation
    ) as exc:  # pragma: no cover - the pattern already excludes it
        raise CellError(_("面积不是数字。 The area is not a number.")) from exc
    if hundredths != hundredths.to_integral_value():
        raise CellError(
            _(
                "面积最多保留两位小数。 The area may have at most two decimals "
                "(0.01 ㎡)."
            )
        )
    if hundredths > MAX_AREA * 100:
        raise CellError(
            _("面积过大（超过 %(max)d ㎡）。 Area larger than %(max)d ㎡.")
            % {"max": MAX_AREA}
        )
    return int(hundredths)


def format_area(hundredths: int | None) -> str:
    if hundredths is None:
        return ""
    return f"{hundredths // 100}.{hundredths % 100:02d}"


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "x", "f"}


def parse_bool(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise CellError(_("请填写“是”或“否”。 Write 是 (yes) or 否 (no)."))


def parse_choice(text: str, choices: dict[str, str], allowed: str) -> str:
    """Map a word (Chinese label or English value) to a model choice value."""
    value = choices.get(text.strip().lower())
    if value is None:
        raise CellError(
            _(
                "无法识别“%(value)s”，可填：%(allowed)s。 "
                "Unknown value; allowed: %(allowed)s."
            )
            % {"value": echo(text), "allowed": allowed}
        )
    return value
