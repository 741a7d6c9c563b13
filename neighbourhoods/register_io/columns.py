"""The columns of a roll file: canonical Chinese headers and accepted aliases."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("full_name", "姓名", ("name", "full_name", "居民姓名")),
    Column(
        "id_number",
        "身份证号",
        ("id_number", "id", "id_card", "身份证号码", "公民身份号码", "身份证"),
    ),
    Column("birth_date", "出生日期", ("birth_date", "date_of_birth", "dob", "生日")),
    Column(
        "phone", "手机号", ("phone", "mobile", "手机号码", "手机", "联系电话", "电话")
    ),
    Column("compound", "小区", ("compound", "小区名称")),
    Column("building", "楼栋", ("building", "楼号", "楼栋号")),
    Column("entrance", "单元", ("entrance", "unit", "单元号")),
    Column(
        "part_number", "房号", ("room", "room_number", "part_number", "房间号", "室号")
    ),
    Column("part_kind", "房屋类型", ("part_kind", "kind", "房屋类别")),
    Column("area_register", "登记面积(㎡)", ("area_register", "register_area")),
    Column("area_survey", "实测面积(㎡)", ("area_survey", "survey_area")),
    Column("area_contract", "合同面积(㎡)", ("area_contract", "contract_area")),
    Column("household", "户号", ("household", "household_number")),
    Column("residents_group", "居民小组", ("residents_group", "group", "小组")),
    Column("residence_kind", "居住类型", ("residence_kind", "residency")),
    Column(
        "representative",
        "户代表",
        ("representative", "household_representative", "是否户代表"),
    ),
    Column("owner", "产权人", ("owner", "is_owner", "是否产权人")),
    Column("ownership_basis", "产权依据", ("ownership_basis", "basis")),
    Column("nominated_voter", "共有人表决人", ("nominated_voter", "表决人")),
)

BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = tuple(column.header for column in COLUMNS)

_UNIT_SUFFIX = re.compile(r"\((m2|平方米|平米|sqm)\)$")


def normalise_header(text: str) -> str:
    """Fold width, case, spacing and a trailing area unit (登记面积（㎡） matches)."""
    text = unicodedata.normalize("NFKC", str(text or "")).strip().lower()
    text = re.sub(r"[\s_\-]+", "", text)
    return _UNIT_SUFFIX.sub("", text)


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.header, _column.key, *_column.aliases):
        _LOOKUP.setdefault(normalise_header(_name), _column.key)


def column_key(header: str) -> str | None:
    """The column key a header names, or None for a column the import ignores."""
    return _LOOKUP.get(normalise_header(header))
