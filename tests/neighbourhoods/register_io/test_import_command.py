"""manage.py import_roll: imports, dry runs, exit status and the recorded user."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from neighbourhoods import models
from tests.neighbourhoods.factories import make_id_number
from tests.neighbourhoods.roll_helpers import (
    EXAMPLE,
    csv_bytes,
    example_rows,
    id_number,
    person_row,
    register_counts,
)

pytestmark = pytest.mark.django_db

D = dt.date


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
