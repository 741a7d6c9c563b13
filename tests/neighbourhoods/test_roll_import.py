"""Roll import: every bad row, dry run, all-or-nothing, idempotence, encodings."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError

from neighbourhoods import models
from neighbourhoods.roll_io import HEADERS, format_text, roll_import
from tests.neighbourhoods.factories import (
    HouseholdFactory,
    PersonFactory,
    ResidencyFactory,
    make_id_number,
)
from tests.neighbourhoods.roll_helpers import (
    csv_bytes,
    id_number,
    person_row,
    person_with_id,
    register_counts,
    register_snapshot,
    roll_register,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).parent / "data" / "roll_example.csv"
D = dt.date


def example_rows() -> list[dict[str, str]]:
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def reg():
    return roll_register()


def run(reg, data: bytes, *, dry_run=False, filename="roll.csv", community=None):
    return roll_import(
        community=community or reg.a, data=data, filename=filename, dry_run=dry_run
    )


def errors_at(report) -> set[tuple[int | None, str]]:
    return {(e.row, e.column) for e in report.errors}


def message_at(report, row: int, column: str) -> str:
    found = [e.message for e in report.errors if (e.row, e.column) == (row, column)]
    assert found, (row, column, [str(e) for e in report.errors])
    return found[0]


# -- a good file


def assert_example_register(reg):
    person = {p.full_name: p for p in models.Person.objects.all()}
    assert set(person) == {"张三", "李四", "张小明", "王五", "赵六", "钱七"}
    assert all(p.home_community == reg.a for p in person.values())
    zhang = person["张三"]
    assert zhang.id_number_hash
    assert zhang.id_number_last4 == "0011"
    assert zhang.masked_id_number == "**************0011"
    assert person["李四"].id_number_last4 == "002X"
    assert person["李四"].birth_date == D(1978, 11, 20)  # taken from the ID number
    assert person["赵六"].id_number_hash is None
    assert person["王五"].phone == "02812345678"  # landline keeps its leading 0
    assert person["张小明"].phone == ""

    parts = {p.number: p for p in models.ExclusivePart.objects.all()}
    assert set(parts) == {"101", "0302", "P-018"}  # 0302 keeps its leading 0
    assert parts["101"].entrance.number == "1"
    assert (parts["101"].area_register, parts["101"].area_survey) == (8950, 9012)
    assert (parts["0302"].area_register, parts["0302"].area_contract) == (12005, 11800)
    assert parts["0302"].entrance is None
    assert parts["P-018"].kind == models.ExclusivePart.Kind.PARKING
    assert parts["P-018"].area_register == 1250

    households = {h.number: h for h in models.Household.objects.all()}
    assert set(households) == {"H001", "H002"}
    assert households["H001"].dwelling == parts["101"]
    assert households["H001"].residents_group == reg.group
    assert households["H002"].dwelling == parts["0302"]

    residencies = {
        r.person.full_name: r for r in models.Residency.objects.select_related("person")
    }
    assert set(residencies) == {"张三", "李四", "张小明", "王五", "赵六"}
    assert residencies["张三"].is_representative
    assert not residencies["李四"].is_representative
    assert residencies["王五"].kind == models.Residency.Kind.HABITUAL

    owners = {
        (o.person.full_name, o.part.number): o
        for o in models.Ownership.objects.select_related("person", "part")
    }
    assert set(owners) == {
        ("张三", "101"),
        ("李四", "101"),
        ("王五", "0302"),
        ("钱七", "P-018"),
    }
    assert owners["张三", "101"].nominated_voter
    assert owners["王五", "0302"].basis == models.Ownership.Basis.CONTRACT_OCCUPIED


def test_a_csv_roll_creates_people_households_parts_and_ownerships(reg):
    data = EXAMPLE.read_bytes()
    report = run(reg, data)
    assert report.ok, format_text(report)
    assert report.rows == 6
    assert report.counts["person"] == {"create": 6, "update": 0, "unchanged": 0}
    assert report.counts["part"]["create"] == 3
    assert report.counts["entrance"]["create"] == 1
    assert_example_register(reg)
    batch = models.ImportBatch.objects.get()
    assert batch.pk == report.batch_id
    assert batch.community == reg.a
    assert batch.rows == 6
    assert len(batch.sha256) == 64
    assert batch.sha256 == report.sha256
    assert batch.created["ownership"]["create"] == 4


def test_the_same_roll_as_xlsx_gives_the_same_register(reg):
    report = run(reg, xlsx_bytes(example_rows()), filename="roll.xlsx")
    assert report.ok, format_text(report)
    assert_example_register(reg)


# -- dry run: every bad row, nothing written


def test_a_dry_run_reports_every_bad_row_and_writes_nothing(reg):
    person_with_id(id_number(50), home_community=reg.b)
    rows = [
        person_row(1),  # row 2: good
        person_row(2, 姓名=""),  # 3
        person_row(3, 身份证号=id_number(3)[:-1] + "9"),  # 4 checksum (…8 is right)
        person_row(4, 身份证号=id_number(1)),  # 5 duplicate of row 2
        person_row(5, 楼栋="9"),  # 6 unknown building
        person_row(6, **{"登记面积(㎡)": "八十"}),  # 7 not a number
        person_row(7, **{"登记面积(㎡)": "-3"}),  # 8 negative
        person_row(8, **{"登记面积(㎡)": "89.555"}),  # 9 three decimals
        person_row(9, 身份证号="", 出生日期="2999-01-01"),  # 10 future
        person_row(10, 出生日期="1981-01-01"),  # 11 differs from the ID
        person_row(11, 出生日期="去年春天"),  # 12 not a date
        person_row(12, 手机号="12345"),  # 13 phone
        person_row(13, 居住类型="租客"),  # 14 unknown kind
        person_row(14, 户号="H001", 房号="101"),  # 15 second representative of H001
        person_row(15, 小区="和平苑"),  # 16 compound of community B
        person_row(16, 身份证号=id_number(50)),  # 17 registered in community B
        person_row(17, 居民小组="9"),  # 18 unknown group
        person_row(18, 房屋类型="别墅"),  # 19 unknown kind of part
        person_row(19, 小区="无此小区"),  # 20 unknown compound
    ]
    before = register_counts()
    report = run(reg, csv_bytes(rows), dry_run=True)
    assert register_counts() == before
    assert not report.ok
    expected = {
        (3, "姓名"): "姓名不能为空",
        (4, "身份证号"): "校验位",
        (5, "身份证号"): "与第 2 行重复",
        (6, "楼栋"): "楼栋“9”不存在",
        (7, "登记面积(㎡)"): "不是数字",
        (8, "登记面积(㎡)"): "不能为负数",
        (9, "登记面积(㎡)"): "两位小数",
        (10, "出生日期"): "晚于今天",
        (11, "出生日期"): "不一致",
        (12, "出生日期"): "无法识别",
        (13, "手机号"): "电话号码格式不正确",
        (14, "居住类型"): "无法识别",
        (15, "户代表"): "同一户只能有一位户代表",
        (16, "小区"): "不属于本社区",
        (17, "身份证号"): "其他社区",
        (18, "居民小组"): "不存在",
        (19, "房屋类型"): "无法识别",
        (20, "小区"): "不存在",
    }
    assert errors_at(report) == set(expected)
    for (row, column), fragment in expected.items():
        message = message_at(report, row, column)
        assert fragment in message
        # Chinese first, then the English.
        assert not message[0].isascii()
        assert message[-1] == "."


def test_row_numbers_are_the_spreadsheet_rows_even_after_a_title_row(reg):
    rows = [person_row(1), person_row(2, 楼栋="9")]
    report = run(reg, xlsx_bytes(rows, title="幸福社区居民名册"), dry_run=True)
    assert errors_at(report) == {(4, "楼栋")}  # title row 1, header row 2


def test_rows_about_the_same_dwelling_or_household_must_agree(reg):
    rows = [
        person_row(1),
        person_row(2, 户号="H001", 房号="101", 户代表="否", **{"登记面积(㎡)": "90"}),
        person_row(3, 户号="H001", 户代表="否", 房号="999", 产权人="否"),
    ]
    rows[2].update(产权依据="", 共有人表决人="")
    report = run(reg, csv_bytes(rows), dry_run=True)
    assert errors_at(report) == {(3, "登记面积(㎡)"), (4, "房号")}
    assert "第 2 行" in message_at(report, 3, "登记面积(㎡)")
    assert "住房" in message_at(report, 4, "房号")


def test_an_unknown_building_is_reported_even_in_a_row_with_other_errors(reg):
    report = run(reg, csv_bytes([person_row(1, 楼栋="9", 手机号="1")]), dry_run=True)
    assert errors_at(report) == {(2, "楼栋"), (2, "手机号")}


# -- all or nothing


@pytest.mark.parametrize(
    "bad_last_row",
    [
        {"楼栋": "99"},
        {"登记面积(㎡)": "1.001"},
        {"身份证号": "other-community"},
    ],
    ids=["unknown-building", "area", "id-elsewhere"],
)
def test_a_bad_last_row_means_nothing_is_written(reg, bad_last_row):
    person_with_id(id_number(50), home_community=reg.b)
    if bad_last_row.get("身份证号") == "other-community":
        bad_last_row = {"身份证号": id_number(50)}
    rows = [person_row(n) for n in range(1, 6)] + [person_row(6, **bad_last_row)]
    before = register_snapshot()
    report = run(reg, csv_bytes(rows), dry_run=False)
    assert not report.ok
    assert {e.row for e in report.errors} == {7}
    assert report.batch_id is None
    assert register_snapshot() == before


def test_a_failure_while_writing_rolls_everything_back(reg, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("simulated race")

    monkeypatch.setattr(models.ImportBatch.objects, "create", fail)
    before = register_counts()
    report = run(reg, EXAMPLE.read_bytes(), dry_run=False)
    assert not report.ok
    assert "未写入任何数据" in report.errors[0].message
    assert register_counts() == before


def test_checking_costs_the_same_queries_for_5_or_60_rows(reg):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n):
        rows = [person_row(i, 楼栋="1" if i % 2 else "2") for i in range(1, n + 1)]
        rows[-1]["小区"] = "无此小区"
        with CaptureQueriesContext(connection) as ctx:
            report = run(reg, csv_bytes(rows), dry_run=True)
        assert not report.ok
        return len(ctx.captured_queries)

    assert queries(5) == queries(60)


# -- idempotence and updates


def test_reimporting_the_same_file_changes_nothing(reg):
    data = EXAMPLE.read_bytes()
    assert run(reg, data).ok
    before = register_snapshot()
    again = run(reg, data)
    assert again.ok
    assert again.changes == 0
    assert all(c["create"] == c["update"] == 0 for c in again.counts.values())
    assert again.counts["person"]["unchanged"] == 6
    assert again.batch_id is None  # nothing applied, nothing to record
    assert register_snapshot() == before


def test_a_changed_file_updates_only_the_changed_fields(reg):
    rows = example_rows()
    assert run(reg, csv_bytes(rows)).ok
    before = register_snapshot()
    rows[0]["手机号"] = "13900000099"
    for row in rows[:2]:  # both rows of dwelling 101 state its area
        row["登记面积(㎡)"] = "88.00"
    rows.append(person_row(7, 户号="H003", 房号="103", 户代表="是"))
    report = run(reg, csv_bytes(rows))
    assert report.ok, format_text(report)
    assert report.counts["person"] == {"create": 1, "update": 1, "unchanged": 5}
    assert report.counts["part"] == {"create": 1, "update": 1, "unchanged": 2}
    assert report.counts["household"] == {"create": 1, "update": 0, "unchanged": 2}
    zhang = models.Person.objects.get(full_name="张三")
    assert zhang.phone == "13900000099"
    assert models.ExclusivePart.objects.get(number="101").area_register == 8800
    after = register_snapshot()
    unchanged_people = [p for p in before["Person"] if p[1] != "张三"]
    assert all(p in after["Person"] for p in unchanged_people)


def test_an_id_number_added_later_attaches_to_the_same_person(reg):
    rows = example_rows()
    assert run(reg, csv_bytes(rows)).ok
    zhao = models.Person.objects.get(full_name="赵六")
    rows[4]["身份证号"] = id_number(5)
    report = run(reg, csv_bytes(rows))
    assert report.ok, format_text(report)
    assert report.counts["person"] == {"create": 0, "update": 1, "unchanged": 5}
    zhao.refresh_from_db()
    assert zhao.id_number_last4 == id_number(5)[-4:]
    assert zhao.birth_date == dt.date(1980, 1, 1)


def test_a_new_representative_replaces_the_old_one_listed_as_no(reg):
    rows = example_rows()
    assert run(reg, csv_bytes(rows)).ok
    rows[0]["户代表"], rows[1]["户代表"] = "否", "是"
    rows[0]["共有人表决人"], rows[1]["共有人表决人"] = "否", "是"
    report = run(reg, csv_bytes(rows))
    assert report.ok, format_text(report)
    rep = models.Residency.objects.get(household__number="H001", is_representative=True)
    assert rep.person.full_name == "李四"
    voter = models.Ownership.objects.get(part__number="101", nominated_voter=True)
    assert voter.person.full_name == "李四"


def test_a_representative_not_in_the_file_blocks_another(reg):
    household = HouseholdFactory(community=reg.a, number="H001")
    ResidencyFactory(
        person=PersonFactory(home_community=reg.a, full_name="老户代表"),
        household=household,
        is_representative=True,
    )
    before = register_counts()
    report = run(reg, csv_bytes([person_row(1, 户号="H001")]))
    assert errors_at(report) == {(2, "户代表")}
    assert "另一位户代表" in report.errors[0].message
    assert register_counts() == before


# -- leading zeros, Excel's numbers and dates


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
    from neighbourhoods.roll_io import reading

    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 1000)
    report = run(reg, xlsx_bytes([person_row(1)]), dry_run=True)
    assert [e.row for e in report.errors] == [None]
    assert "解压后过大" in report.errors[0].message


def test_a_roll_with_too_many_rows_is_refused(reg, monkeypatch):
    from neighbourhoods.roll_io import reading

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


def test_the_command_imports_and_reports(reg, capsys):
    out = io.StringIO()
    call_command("import_roll", str(EXAMPLE), community=reg.a.code, stdout=out)
    assert models.Person.objects.count() == 6
    assert "已导入" in out.getvalue()
    # tqdm(disable=None) stays silent when stderr is not a terminal.
    assert capsys.readouterr().err == ""


def test_the_command_dry_run_writes_nothing(reg):
    out = io.StringIO()
    call_command(
        "import_roll", str(EXAMPLE), community=reg.a.slug, dry_run=True, stdout=out
    )
    assert "预检通过" in out.getvalue()
    assert register_counts()["Person"] == 0


def test_the_command_exits_with_status_1_and_the_error_table(reg, tmp_path):
    path = tmp_path / "roll.csv"
    path.write_bytes(csv_bytes([person_row(1), person_row(2, 楼栋="9")]))
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_roll", str(path), community="xingfu", stdout=out)
    assert excinfo.value.returncode == 1
    assert "第 3 行「楼栋」" in out.getvalue()
    assert id_number(1) not in out.getvalue() + str(excinfo.value)
    assert models.Person.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        ({"community": "no-such-community"}, "社区不存在"),
        ({"community": "xingfu", "user": "nobody"}, "用户不存在"),
    ],
)
def test_the_command_refuses_bad_arguments(reg, args, fragment):
    with pytest.raises(CommandError, match=fragment):
        call_command("import_roll", str(EXAMPLE), **args)


def test_the_command_refuses_a_missing_file(reg, tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_roll", str(tmp_path / "none.csv"), community="xingfu")


def test_the_command_records_the_user(reg):
    from tests.neighbourhoods.factories import UserFactory

    user = UserFactory(username="clerk")
    call_command("import_roll", str(EXAMPLE), community="xingfu", user="clerk")
    assert models.ImportBatch.objects.get().imported_by == user


def test_make_id_number_matches_the_example_file():
    # The example file was generated with the test factories' ID numbers.
    rows = example_rows()
    assert rows[0]["身份证号"] == make_id_number(1, D(1975, 3, 8))
