"""Roll import of real-world files: Excel's types, spellings, encodings, headers,
unreadable files, and the ID number never leaking."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from neighbourhoods import models
from neighbourhoods.register_io.columns import HEADERS
from neighbourhoods.register_io.report import format_text
from tests.neighbourhoods.roll_helpers import (
    EXAMPLE,
    assert_example_register,
    csv_bytes,
    errors_at,
    id_number,
    message_at,
    person_row,
    person_with_id,
    run,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

D = dt.date


def test_xlsx_text_cells_keep_leading_zeros(reg):
    row = person_row(
        1, 手机号="02887654321", 户号="007", 单元="01", 房号="0101", 楼栋="1"
    )
    report = run(reg, xlsx_bytes([row]), filename="roll.xlsx")
    assert report.ok, format_text(report)
    person = models.Person.objects.get()
    assert person.phone == "02887654321"
    assert models.Household.objects.get().number == "007"
    part = models.ExclusivePart.objects.get()
    assert (part.entrance.number, part.number) == ("01", "0101")


def test_xlsx_numbers_and_dates_are_read_exactly(reg):
    row = person_row(
        1,
        手机号=13912345678,
        楼栋=1,
        房号=101,
        出生日期=dt.datetime(1980, 1, 1),
        **{"登记面积(㎡)": 89.5, "实测面积(㎡)": 120.05, "合同面积(㎡)": 100},
    )
    report = run(reg, xlsx_bytes([row]), filename="roll.xlsx")
    assert report.ok, format_text(report)
    person = models.Person.objects.get()
    assert (person.phone, person.birth_date) == ("13912345678", D(1980, 1, 1))
    part = models.ExclusivePart.objects.get()
    assert (part.number, part.area_register, part.area_survey, part.area_contract) == (
        "101",
        8950,
        12005,
        10000,
    )


def test_xlsx_numbers_that_lost_digits_are_refused_with_a_clear_message(reg):
    rows = [
        person_row(1, 身份证号=int(id_number(1))),
        person_row(2, 手机号=2887654321),  # landline 028… typed as a number
        person_row(3, **{"登记面积(㎡)": 89.125}),
    ]
    report = run(reg, xlsx_bytes(rows), filename="roll.xlsx", dry_run=True)
    assert errors_at(report) == {(2, "身份证号"), (3, "手机号"), (4, "登记面积(㎡)")}
    assert "文本" in message_at(report, 2, "身份证号")
    assert "lost digits" in message_at(report, 2, "身份证号")
    assert "开头的 0" in message_at(report, 3, "手机号")
    assert models.Person.objects.count() == 0


def test_common_spellings_are_understood(reg):
    row = person_row(
        1,
        楼栋="1栋",
        单元="1单元",
        房号="101室",
        手机号="+86 139-0000-0001",
        出生日期="1980年1月1日",
        居住类型="常住居民",
        户代表="√",
        **{"登记面积(㎡)": "89.5㎡"},
    )
    report = run(reg, csv_bytes([row]))
    assert report.ok, format_text(report)
    residency = models.Residency.objects.select_related("person").get()
    assert residency.person.phone == "13900000001"
    assert residency.kind == models.Residency.Kind.HABITUAL
    assert residency.is_representative
    part = models.ExclusivePart.objects.select_related("entrance").get()
    assert (part.building, part.entrance.number, part.number) == (
        reg.building1,
        "1",
        "101",
    )
    assert part.area_register == 8950


# -- encodings and headers


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_encodings_are_detected(reg, encoding):
    data = EXAMPLE.read_text(encoding="utf-8").encode(encoding)
    report = run(reg, data)
    assert report.ok, format_text(report)
    assert_example_register(reg)


def test_tab_separated_text_is_read(reg):
    text = EXAMPLE.read_text(encoding="utf-8").replace(",", "\t")
    assert run(reg, text.encode("gb18030")).ok
    assert models.Person.objects.count() == 6


def test_english_headers_and_unknown_columns(reg):
    headers = ["name", "ID_number", "Phone", "building", "room", "household"]
    headers += ["residency", "Representative", "备注"]
    row = {
        "name": "Alice",
        "ID_number": id_number(1),
        "Phone": "13900000001",
        "building": "1",
        "room": "101",
        "household": "H1",
        "residency": "habitual",
        "Representative": "yes",
        "备注": "随便写",
    }
    report = run(reg, csv_bytes([row], headers=headers))
    assert report.ok, format_text(report)
    assert report.ignored_columns == ["备注"]
    residency = models.Residency.objects.select_related("person").get()
    assert residency.person.full_name == "Alice"
    assert residency.kind == models.Residency.Kind.HABITUAL
    assert residency.is_representative


def test_full_width_headers_and_digits_are_folded(reg):
    headers = [h.replace("(㎡)", "（㎡）") for h in HEADERS]
    row = person_row(1, 手机号="１３９００００００01")
    row = {h.replace("(㎡)", "（㎡）"): v for h, v in row.items()}
    report = run(reg, csv_bytes([row], headers=headers))
    assert report.ok, format_text(report)
    assert models.Person.objects.get().phone == "13900000001"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "空"),
        (b"   \n\n", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04 this is not a zip", "XLSX"),
        ("名字,电话\n张三,1\n".encode(), "表头"),
        ("姓名,姓名\n张三,张三\n".encode(), "重复"),
        ("姓名,身份证号\n".encode(), "没有数据行"),
        (bytes(range(256)) * 4, "编码"),
    ],
    ids=[
        "empty",
        "blank",
        "xls",
        "broken-zip",
        "no-header",
        "twice",
        "no-rows",
        "junk",
    ],
)
def test_unreadable_files_give_one_clear_message_and_write_nothing(reg, data, fragment):
    report = run(reg, data, dry_run=False)
    assert not report.ok
    assert [e.row for e in report.errors] == [None]
    assert fragment in report.errors[0].message
    assert models.Person.objects.count() == 0


def test_an_xlsx_that_unpacks_too_large_is_refused(reg, monkeypatch):
    from neighbourhoods.register_io import reading

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    report = run(reg, xlsx_bytes([person_row(1)]), dry_run=True)
    assert [e.row for e in report.errors] == [None]
    assert "解压后过大" in report.errors[0].message


def test_a_roll_with_too_many_rows_is_refused(reg, monkeypatch):
    from neighbourhoods.register_io import reading

    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    report = run(reg, csv_bytes([person_row(n) for n in range(1, 6)]), dry_run=True)
    assert "分批" in report.errors[0].message


# -- the ID number never leaks


def test_the_id_number_appears_in_no_message_log_or_report(reg, caplog):
    caplog.set_level(logging.DEBUG)
    person_with_id(id_number(50), home_community=reg.b)
    ids = [id_number(n) for n in (1, 2, 3, 50)]
    bad_checksum = id_number(4)[:-1] + ("0" if id_number(4)[-1] != "0" else "1")
    rows = [
        person_row(1),
        person_row(2, 身份证号=ids[0]),  # duplicate
        person_row(3, 身份证号=bad_checksum, 手机号=ids[1]),  # ID typed as phone
        person_row(5, 身份证号=ids[3]),  # registered elsewhere
        person_row(6, 户号=ids[2], 楼栋="9"),  # an ID typed as household number
        person_row(7, 楼栋=ids[2][:17]),  # a 17-digit fragment as a building
    ]
    for data, name in ((csv_bytes(rows), "r.csv"), (xlsx_bytes(rows), "r.xlsx")):
        report = run(reg, data, dry_run=False, filename=f"{ids[0]}-{name}")
        assert not report.ok
        texts = [str(e) for e in report.errors]
        texts += [format_text(report), repr(report), caplog.text]
        texts += [r.getMessage() for r in caplog.records]
        for text in texts:
            for secret in [*ids, bad_checksum]:
                assert secret not in text
                assert secret[:14] not in text
    assert models.ImportBatch.objects.count() == 0


# -- the management command
