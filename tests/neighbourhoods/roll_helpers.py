"""Shared set-up for the roll import/export (register_io) and register admin tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps

from neighbourhoods import models
from neighbourhoods.register_io.columns import HEADERS
from neighbourhoods.register_io.services import roll_import
from tests.neighbourhoods.factories import (
    BuildingFactory,
    CommunityFactory,
    CompoundFactory,
    PersonFactory,
    make_id_number,
)
from yishi.privacy import id_number_hash

BIRTH = dt.date(1980, 1, 1)
EXAMPLE = Path(__file__).parent / "data" / "roll_example.csv"


def roll_register() -> SimpleNamespace:
    """Community A (compound 幸福里 with buildings 1 and 2, group 1) and community B."""
    from neighbourhoods.models import ResidentsGroup

    a = CommunityFactory(name="幸福社区", slug="xingfu")
    compound = CompoundFactory(
        name="幸福里", slug="xingfuli", subdistrict=a.subdistrict, communities=[a]
    )
    b = CommunityFactory(name="和平社区", slug="heping", subdistrict=a.subdistrict)
    other_compound = CompoundFactory(
        name="和平苑", slug="hepingyuan", subdistrict=a.subdistrict, communities=[b]
    )
    return SimpleNamespace(
        a=a,
        b=b,
        compound=compound,
        building1=BuildingFactory(compound=compound, community=a, number="1"),
        building2=BuildingFactory(compound=compound, community=a, number="2"),
        other_building=BuildingFactory(
            compound=other_compound, community=b, number="1"
        ),
        group=ResidentsGroup.objects.create(community=a, number=1, name="第一居民小组"),
    )


def id_number(n: int, birth: dt.date = BIRTH) -> str:
    return make_id_number(n, birth)


def person_with_id(number: str, **kwargs):
    """A person with a registered ID number (hash and last four, as the import)."""
    return PersonFactory(
        id_number_hash=id_number_hash(number), id_number_last4=number[-4:], **kwargs
    )


def person_row(n: int, **overrides) -> dict[str, object]:
    """A valid row for person n: lives in and owns 1栋1单元 (100+n), household H00n."""
    row = {
        "姓名": f"居民{n}",
        "身份证号": id_number(n),
        "出生日期": BIRTH.isoformat(),
        "手机号": f"139{n:08d}",
        "小区": "幸福里",
        "楼栋": "1",
        "单元": "1",
        "房号": str(100 + n),
        "房屋类型": "住宅",
        "登记面积(㎡)": "89.50",
        "实测面积(㎡)": "",
        "合同面积(㎡)": "",
        "户号": f"H{n:03d}",
        "居民小组": "1",
        "居住类型": "户籍",
        "户代表": "是",
        "产权人": "是",
        "产权依据": "已登记",
        "共有人表决人": "否",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, headers=HEADERS, *, encoding="utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if row.get(h) is None else row.get(h) for h in headers])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, headers=HEADERS, *, title: str | None = None) -> bytes:
    """An XLSX with the values as given: str stays text, int/float/date stay typed."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h) if row.get(h) != "" else None for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_table(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def register_models() -> list:
    return [
        model
        for model in apps.get_app_config("neighbourhoods").get_models()
        if model.__module__.startswith("neighbourhoods.models.")
    ]


def register_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in register_models()}


def register_snapshot() -> dict[str, list[tuple]]:
    """Every row of every register table, to prove that nothing changed."""
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in register_models()
    }


def example_rows() -> list[dict[str, str]]:
    """The rows of docs/roll-format.md's example file."""
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def run(reg, data: bytes, *, dry_run=False, filename="roll.csv", community=None):
    """Import as an operator would from the command line (actor None)."""
    return roll_import(
        actor=None,
        community=community or reg.a,
        data=data,
        filename=filename,
        dry_run=dry_run,
    )


def errors_at(report) -> set[tuple[int | None, str]]:
    return {(e.row, e.column) for e in report.errors}


def message_at(report, row: int, column: str) -> str:
    found = [e.message for e in report.errors if (e.row, e.column) == (row, column)]
    assert found, (row, column, [str(e) for e in report.errors])
    return found[0]


def assert_example_register(reg):
    """The register that importing the example file into community A gives."""
    person = {p.full_name: p for p in models.Person.objects.all()}
    assert set(person) == {"张三", "李四", "张小明", "王五", "赵六", "钱七"}
    assert all(p.home_community == reg.a for p in person.values())
    zhang = person["张三"]
    assert zhang.id_number_hash
    assert zhang.id_number_last4 == "0011"
    assert zhang.masked_id_number == "**************0011"
    assert person["李四"].id_number_last4 == "002X"
    # 李四's birth date is taken from the ID number.
    assert person["李四"].birth_date == dt.date(1978, 11, 20)
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
