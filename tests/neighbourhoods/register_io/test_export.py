"""Roll export: the import's columns, masked ID and phone numbers, and round trips."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods import models
from neighbourhoods.register_io.columns import HEADERS
from neighbourhoods.register_io.exports import roll_export
from neighbourhoods.register_io.report import format_text
from neighbourhoods.register_io.services import roll_import
from tests.neighbourhoods.roll_helpers import (
    EXAMPLE,
    csv_bytes,
    example_rows,
    person_row,
    register_snapshot,
    roll_register,
    xlsx_table,
)

pytestmark = pytest.mark.django_db

MASKED = "**************"


@pytest.fixture
def reg():
    register = roll_register()
    report = roll_import(
        actor=None,
        community=register.a,
        data=EXAMPLE.read_bytes(),
        filename="x",
        dry_run=False,
    )
    assert report.ok, format_text(report)
    return register


def exported_csv(community) -> list[dict[str, str]]:
    data = roll_export(community=community, fmt="csv")
    assert data.startswith("\ufeff".encode())  # BOM: Excel then reads it as UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def same_export(one: bytes, other: bytes, fmt: str) -> bool:
    # An XLSX zip carries its creation time: compare the cells instead.
    return one == other if fmt == "csv" else xlsx_table(one) == xlsx_table(other)


def test_the_csv_export_has_the_import_headers_and_masks_numbers(reg):
    data = roll_export(community=reg.a, fmt="csv").decode("utf-8-sig")
    assert data.splitlines()[0].split(",") == list(HEADERS)
    rows = {row["姓名"]: row for row in exported_csv(reg.a)}
    source = {row["姓名"]: row for row in example_rows()}
    assert set(rows) == set(source)
    for name, row in rows.items():
        original = source[name]
        if original["身份证号"]:
            assert row["身份证号"] == MASKED + original["身份证号"][-4:]
            assert original["身份证号"] not in data
        else:
            assert row["身份证号"] == ""
        if original["手机号"]:
            phone = original["手机号"]
            assert row["手机号"] == phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
            assert phone not in data
    assert rows["李四"]["身份证号"].endswith("002X")


def test_the_export_round_trips_every_unmasked_column(reg):
    rows = {row["姓名"]: row for row in exported_csv(reg.a)}
    masked = {"身份证号", "手机号"}
    for original in example_rows():
        row = rows[original["姓名"]]
        for header in HEADERS:
            if header in masked or not original[header]:
                continue  # a blank cell stated nothing on import
            if header.endswith("(㎡)"):  # exported with two decimals: 12.5 -> 12.50
                assert Decimal(row[header]) == Decimal(original[header])
                assert row[header].split(".")[1].isdigit()
            else:
                assert row[header] == original[header], (original["姓名"], header)
    # What the import derived or defaulted is exported as stored.
    assert rows["李四"]["出生日期"] == "1978-11-20"
    assert rows["张小明"]["房屋类型"] == "住宅"
    assert rows["钱七"]["户号"] == ""


def test_households_come_together_with_their_representative_first(reg):
    names = [row["姓名"] for row in exported_csv(reg.a)]
    assert names == ["张三", "李四", "张小明", "王五", "赵六", "钱七"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_importing_the_export_changes_nothing(reg, fmt):
    before = register_snapshot()
    data = roll_export(community=reg.a, fmt=fmt)
    report = roll_import(
        actor=None, community=reg.a, data=data, filename=f"export.{fmt}", dry_run=False
    )
    assert report.ok, format_text(report)
    assert report.changes == 0
    assert register_snapshot() == before
    assert same_export(roll_export(community=reg.a, fmt=fmt), data, fmt)


def test_an_edited_export_updates_what_was_edited(reg):
    rows = exported_csv(reg.a)
    for row in rows:
        if row["姓名"] == "王五":
            row["手机号"] = "13911112222"
            row["居住类型"] = "户籍"
    report = roll_import(
        actor=None,
        community=reg.a,
        data=csv_bytes(rows),
        filename="edited.csv",
        dry_run=False,
    )
    assert report.ok, format_text(report)
    assert report.counts["person"]["update"] == 1
    assert report.counts["residency"]["update"] == 1
    wang = models.Person.objects.get(full_name="王五")
    assert wang.phone == "13911112222"
    assert wang.residencies.get().kind == models.Residency.Kind.REGISTERED


def test_a_masked_id_with_the_wrong_last_four_is_refused(reg):
    rows = exported_csv(reg.a)
    rows[0]["身份证号"] = MASKED + "9999"
    report = roll_import(
        actor=None,
        community=reg.a,
        data=csv_bytes(rows),
        filename="x.csv",
        dry_run=True,
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "身份证号")]


def test_the_xlsx_export_is_text_so_leading_zeros_survive(reg):
    table = xlsx_table(roll_export(community=reg.a, fmt="xlsx"))
    assert table[0] == list(HEADERS)
    cells = [cell for row in table[1:] for cell in row if cell is not None]
    assert all(isinstance(cell, str) for cell in cells)
    wang = next(row for row in table if row[0] == "王五")
    assert wang[HEADERS.index("房号")] == "0302"
    assert wang[HEADERS.index("手机号")] == "028****5678"
    text = repr(table)
    for original in example_rows():
        assert not original["身份证号"] or original["身份证号"] not in text
        assert not original["手机号"] or original["手机号"] not in text

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(roll_export(community=reg.a, fmt="xlsx"))).active
    assert sheet.cell(row=2, column=HEADERS.index("房号") + 1).number_format == "@"


def test_cells_that_look_like_formulas_are_defused_and_read_back(reg):
    row = person_row(9, 姓名="=HYPERLINK(1)", 户号="H009", 房号="109")
    assert roll_import(
        actor=None,
        community=reg.a,
        data=csv_bytes([row]),
        filename="x.csv",
        dry_run=False,
    ).ok
    data = roll_export(community=reg.a, fmt="csv")
    assert "'=HYPERLINK(1)" in data.decode("utf-8-sig")
    report = roll_import(
        actor=None, community=reg.a, data=data, filename="x.csv", dry_run=True
    )
    assert report.ok, format_text(report)
    assert report.changes == 0


def test_an_export_only_holds_its_own_community(reg):
    assert exported_csv(reg.b) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_command_writes_the_file(reg, tmp_path, fmt):
    path = tmp_path / f"roll.{fmt}"
    out = io.StringIO()
    call_command(
        "export_roll", community=reg.a.code, format=fmt, output=str(path), stdout=out
    )
    assert same_export(path.read_bytes(), roll_export(community=reg.a, fmt=fmt), fmt)
    assert path.stat().st_size > 0
    assert "已导出" in out.getvalue()


def test_the_export_command_refuses_bad_arguments(reg, tmp_path):
    with pytest.raises(CommandError, match="社区不存在"):
        call_command("export_roll", community="nowhere", output=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="XLSX"):
        call_command("export_roll", community="xingfu", format="xlsx", output="-")
    with pytest.raises(CommandError, match="无法写入"):
        call_command(
            "export_roll", community="xingfu", output=str(tmp_path / "no" / "x.xlsx")
        )
