"""One data row of a roll file -> a checked `Row`, every error of the row collected.

The ID number is hashed as soon as it is read and never kept; a masked ID (as the
export writes it) keeps only its last four characters, to match a known person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from yishi.privacy import id_number_hash

from ..models import ExclusivePart, Ownership, Residency
from .columns import BY_KEY
from .parsing import (
    MASKED_ID_RE,
    CellError,
    cell_text,
    check_length,
    is_masked,
    parse_area,
    parse_bool,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_phone,
)
from .reading import SourceRow
from .report import RowError

AREA_KEYS = ("area_register", "area_survey", "area_contract")
LOCATION_KEYS = frozenset({"compound", "building", "entrance", "part_number"})

PART_KINDS = {
    "住宅": ExclusivePart.Kind.DWELLING,
    "dwelling": ExclusivePart.Kind.DWELLING,
    "车位": ExclusivePart.Kind.PARKING,
    "parking": ExclusivePart.Kind.PARKING,
    "商业用房": ExclusivePart.Kind.COMMERCIAL,
    "商业": ExclusivePart.Kind.COMMERCIAL,
    "商铺": ExclusivePart.Kind.COMMERCIAL,
    "commercial": ExclusivePart.Kind.COMMERCIAL,
}
RESIDENCE_KINDS = {
    "户籍": Residency.Kind.REGISTERED,
    "户籍居民": Residency.Kind.REGISTERED,
    "registered": Residency.Kind.REGISTERED,
    "常住": Residency.Kind.HABITUAL,
    "常住居民": Residency.Kind.HABITUAL,
    "habitual": Residency.Kind.HABITUAL,
}
BASES = {
    "已登记": Ownership.Basis.REGISTERED,
    "登记": Ownership.Basis.REGISTERED,
    "registered": Ownership.Basis.REGISTERED,
    "合同占有未登记": Ownership.Basis.CONTRACT_OCCUPIED,
    "合同占有": Ownership.Basis.CONTRACT_OCCUPIED,
    "contract_occupied": Ownership.Basis.CONTRACT_OCCUPIED,
}

_LIMITS = {
    "full_name": 50,
    "compound": 100,
    "building": 20,
    "entrance": 20,
    "part_number": 30,
    "household": 30,
    "residents_group": 100,
}


@dataclass
class Row:
    """One data row, parsed. The ID number is not kept: only its hash and tail."""

    number: int
    labels: dict[str, str]
    failed: bool = False
    failed_keys: set[str] = field(default_factory=set)
    full_name: str = ""
    id_hash: str | None = None
    id_last4: str = ""
    id_born: dt.date | None = None
    masked_last4: str | None = None
    birth_date: dt.date | None = None
    phone: str | None = None
    compound: str = ""
    building: str = ""
    entrance: str = ""
    part_number: str = ""
    part_kind: str | None = None
    areas: dict[str, int] = field(default_factory=dict)
    household: str = ""
    residents_group: str = ""
    residence_kind: str | None = None
    representative: bool | None = None
    owner: bool | None = None
    basis: str | None = None
    nominated_voter: bool | None = None

    @property
    def has_part(self) -> bool:
        return bool(self.compound or self.building or self.entrance or self.part_number)


class RowErrors:
    """Reports an error of one row's column, and marks the row and column failed."""

    def __init__(self, errors: list[RowError], row: Row):
        self.errors, self.row = errors, row

    def __call__(self, key: str, message: str) -> None:
        label = self.row.labels.get(key) or BY_KEY[key].header
        self.errors.append(RowError(self.row.number, label, message))
        self.row.failed = True
        self.row.failed_keys.add(key)


def strip_suffix(text: str, suffixes: tuple[str, ...]) -> str:
    for suffix in suffixes:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)].strip()
    return text


class _Cells:
    """The row's cells as text, and `parse(key, parser)` that reports what fails."""

    def __init__(self, source: SourceRow, error: RowErrors):
        self.error = error
        self.texts: dict[str, str] = {}
        self.numeric: dict[str, bool] = {}
        for key, value in source.cells.items():
            try:
                self.texts[key], self.numeric[key] = cell_text(value, key)
            except CellError as exc:
                error(key, str(exc))

    def text(self, key: str) -> str:
        return self.texts.get(key, "")

    def parse(self, key: str, parser: Callable, *args, **kwargs):
        if not self.text(key):
            return None
        try:
            return parser(self.text(key), *args, **kwargs)
        except CellError as exc:
            self.error(key, str(exc))
            return None


def parse_row(
    source: SourceRow, labels: dict[str, str], *, today: dt.date, errors: list
) -> Row:
    """The row's values checked one by one, then against each other."""
    row = Row(number=source.number, labels=labels)
    error = RowErrors(errors, row)
    cells = _Cells(source, error)
    for key, limit in _LIMITS.items():
        if cells.parse(key, check_length, limit) is not None:
            setattr(row, key, cells.text(key))
    if not cells.text("full_name"):
        error("full_name", _("姓名不能为空。 The name is missing."))
    _parse_identity(row, cells, today=today)
    _parse_choices(row, cells)
    row.entrance = strip_suffix(row.entrance, ("单元",))
    row.part_number = strip_suffix(row.part_number, ("室",))
    _check_row_shape(row, cells.text, error)
    return row


def _parse_identity(row: Row, cells: _Cells, *, today: dt.date) -> None:
    """ID number (hashed at once), birth date and phone."""
    error = cells.error
    id_text = cells.text("id_number").upper()
    masked = MASKED_ID_RE.match(id_text)
    if masked:
        row.masked_last4 = masked.group(1)
    elif id_text:
        parsed = cells.parse("id_number", parse_id_number)
        if parsed is not None:
            row.id_hash, row.id_last4 = id_number_hash(parsed[0]), parsed[0][-4:]
            row.id_born = parsed[1]
            if row.id_born > today:
                error(
                    "id_number",
                    _(
                        "身份证号中的出生日期晚于今天。 "
                        "The birth date inside the ID number is in the future."
                    ),
                )
    del id_text
    row.birth_date = cells.parse("birth_date", parse_date, today=today)
    if row.birth_date and row.id_born and row.birth_date != row.id_born:
        error(
            "birth_date",
            _(
                "出生日期与身份证号中的出生日期不一致。 "
                "The birth date differs from the one inside the ID number."
            ),
        )
    phone = cells.text("phone")
    if phone and not is_masked(phone):
        was_number = cells.numeric.get("phone", False)
        row.phone = cells.parse("phone", parse_phone, was_number=was_number)


def _parse_choices(row: Row, cells: _Cells) -> None:
    """Kinds, areas and the 是/否 columns."""
    kinds = "住宅、车位、商业用房"
    row.part_kind = cells.parse("part_kind", parse_choice, PART_KINDS, kinds)
    for key in AREA_KEYS:
        area = cells.parse(key, parse_area)
        if area is not None:
            row.areas[key] = area
    row.residence_kind = cells.parse(
        "residence_kind", parse_choice, RESIDENCE_KINDS, "户籍、常住"
    )
    row.basis = cells.parse(
        "ownership_basis", parse_choice, BASES, "已登记、合同占有未登记"
    )
    for key in ("representative", "owner", "nominated_voter"):
        setattr(row, key, cells.parse(key, parse_bool))


def _check_row_shape(row: Row, text: Callable[[str], str], error: RowErrors) -> None:
    """Cross-column rules of a single row."""
    if not row.part_number and (row.part_kind or row.areas or row.has_part):
        error(
            "part_number",
            _("填写了房屋信息但没有房号。 Dwelling details given without 房号."),
        )
    _check_household_columns(row, text, error)
    _check_owner_columns(row, error)
    if (
        not row.id_hash
        and not row.masked_last4
        and not text("id_number")
        and "id_number" not in row.failed_keys
        and not row.household
        and not (row.owner and row.part_number)
    ):
        error(
            "id_number",
            _(
                "没有身份证号时须填写户号（或其产权房屋），以便识别该居民。 "
                "Without an ID number, give a 户号 (or the owned dwelling) to "
                "identify the person."
            ),
        )


def _check_household_columns(
    row: Row, text: Callable[[str], str], error: RowErrors
) -> None:
    if not row.household:
        for key in ("residence_kind", "residents_group"):
            if text(key):
                error(key, _("没有填写户号。 No 户号 (household number) given."))
        if row.representative:
            error("representative", _("没有填写户号。 No 户号 (household number)."))
    elif row.residence_kind is None and not text("residence_kind"):
        error(
            "residence_kind",
            _(
                "填写了户号时须填写居住类型（户籍/常住）。 "
                "居住类型 (户籍 or 常住) is required with a 户号."
            ),
        )


def _check_owner_columns(row: Row, error: RowErrors) -> None:
    if not row.owner:
        if row.nominated_voter:
            error(
                "nominated_voter",
                _("共有人表决人须是产权人。 A nominated voter must be an owner."),
            )
        if row.basis:
            error(
                "ownership_basis",
                _("只有产权人才填写产权依据。 产权依据 is for owners only."),
            )
    elif not row.part_number:
        error(
            "owner",
            _(
                "产权人须填写所有的房屋（小区、楼栋、房号）。 "
                "An owner needs the dwelling: 小区, 楼栋, 房号."
            ),
        )
