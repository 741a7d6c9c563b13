"""Roll import: a good file, every bad row in a dry run, all-or-nothing, idempotence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError

from neighbourhoods import models
from neighbourhoods.register_io.report import format_text
from tests.neighbourhoods.factories import (
    HouseholdFactory,
    PersonFactory,
    ResidencyFactory,
)
from tests.neighbourhoods.roll_helpers import (
    EXAMPLE,
    assert_example_register,
    csv_bytes,
    errors_at,
    example_rows,
    id_number,
    message_at,
    person_row,
    person_with_id,
    register_counts,
    register_snapshot,
    run,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

D = dt.date


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
