"""`manage.py decide`: one JSON object on stdout, exit status 2 on invalid input."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from consultation.ballots.domain.rules import RULES_BY_ID
from consultation.management.commands import decide as decide_module

REPO = Path(__file__).resolve().parents[3]

OWNERS = {
    "total_area": "300.00",
    "total_owners": 3,
    "participating_area": "200.00",
    "participating_owners": 2,
    "yes_area": "150.00",
    "yes_owners": 2,
}


def run(*args: str) -> tuple[dict, str]:
    out, err = StringIO(), StringIO()
    call_command("decide", *args, stdout=out, stderr=err)
    text = out.getvalue()
    assert text.count("\n") <= 1  # exactly one JSON object, on one line
    return json.loads(text), err.getvalue()


def test_civil_code_major_at_the_exact_boundaries() -> None:
    # 200 of 300 m² and 2 of 3 owners take part (= 2/3); 150 of 200 m² agree (= 3/4).
    report, _ = run("civil-code-278-major", "--values", json.dumps(OWNERS))
    assert report["rule"] == "civil-code-278-major"
    assert report["passed"] is True
    assert report["quorum_met"] is True
    conditions = {c["key"]: c for c in report["conditions"]}
    assert conditions["quorum-area"] == conditions["quorum-area"] | {
        "required": "2/3",
        "comparator": ">=",
        "actual": "2/3",
        "numerator": 20000,  # 0.01 m² units
        "denominator": 30000,
        "holds": True,
    }
    assert conditions["approval-area"]["actual"] == "3/4"
    assert conditions["approval-owners"]["actual"] == "1/1"
    assert conditions["approval-owners"]["required"] == "3/4"


def test_one_hundredth_of_a_square_metre_below_the_boundary_fails() -> None:
    values = OWNERS | {"yes_area": "149.99"}
    report, _ = run("civil-code-278-major", "--values", json.dumps(values))
    assert report["passed"] is False
    assert report["quorum_met"] is True
    area = next(c for c in report["conditions"] if c["key"] == "approval-area")
    assert area["actual"] == "14999/20000"
    assert area["holds"] is False


def test_ordinary_needs_more_than_half() -> None:
    half = OWNERS | {"yes_area": "100.00", "yes_owners": 2}
    report, _ = run("civil-code-278-ordinary", "--values", json.dumps(half))
    assert report["passed"] is False
    more = OWNERS | {"yes_area": "100.01"}
    report, _ = run("civil-code-278-ordinary", "--values", json.dumps(more))
    assert report["passed"] is True
    assert {c["comparator"] for c in report["conditions"]} == {">=", ">"}


def test_residents_meeting_2018() -> None:
    report, _ = run(
        "residents-meeting-2018",
        "--values",
        '{"constituency": 100, "present": 51, "yes": 26}',
        "--date",
        "2025-06-01",
    )
    assert report["passed"] is True
    assert report["in_force"] is True
    assert [c["required"] for c in report["conditions"]] == ["1/2", "1/2"]
    assert [c["comparator"] for c in report["conditions"]] == [">", ">"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2025-12-31", "residents-meeting-2018"),
        ("2026-01-01", "residents-meeting-2025"),
    ],
)
def test_date_picks_the_version_of_a_family(day: str, expected: str) -> None:
    values = '{"constituency": 100, "present": 51, "yes": 26}'
    report, _ = run("residents-meeting", "--values", values, "--date", day)
    assert report["rule"] == expected
    assert report["decision_date"] == day
    assert report["needs_legal_review"] is (expected == "residents-meeting-2025")


def test_default_date_is_today_in_shanghai(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decide_module, "today_in_shanghai", lambda: date(2025, 12, 31))
    values = '{"constituency": 10, "present": 6, "yes": 4}'
    report, _ = run("residents-meeting", "--values", values)
    assert report["rule"] == "residents-meeting-2018"
    assert decide_module.today_in_shanghai is not None
    assert decide_module.SHANGHAI.key == "Asia/Shanghai"


@pytest.mark.parametrize(
    ("rule", "day", "state", "in_force"),
    [
        (
            "residents-meeting-2018",
            "2026-03-01",
            "superseded",
            "residents-meeting-2025",
        ),
        (
            "residents-meeting-2018",
            "2026-01-01",
            "superseded",
            "residents-meeting-2025",
        ),
        ("residents-meeting-2025", "2025-12-31", "not yet in force", "-2018"),
        ("property-regulation-12-legacy", "2021-01-01", "superseded", "civil-code"),
        ("civil-code-278-major", "2020-12-31", "not yet in force", "legacy-major"),
    ],
)
def test_a_rule_id_outside_its_dates_is_refused_naming_the_rule_in_force(
    rule: str, day: str, state: str, in_force: str
) -> None:
    values = (
        OWNERS
        if "civil" in rule or "property" in rule
        else {"constituency": 10, "present": 6, "yes": 4}
    )
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "decide", rule, "--values", json.dumps(values), "--date", day, stdout=out
        )
    assert raised.value.returncode == 2
    assert state in str(raised.value)
    assert in_force in str(raised.value)
    assert out.getvalue() == ""  # no result printed


def test_a_rule_id_without_date_is_judged_on_today(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = '{"constituency": 10, "present": 6, "yes": 4}'
    monkeypatch.setattr(decide_module, "today_in_shanghai", lambda: date(2026, 1, 1))
    with pytest.raises(CommandError, match="residents-meeting-2025") as raised:
        call_command("decide", "residents-meeting-2018", "--values", values)
    assert raised.value.returncode == 2
    monkeypatch.setattr(decide_module, "today_in_shanghai", lambda: date(2025, 12, 31))
    report, err = run("residents-meeting-2018", "--values", values)
    assert (report["rule"], report["decision_date"], err) == (
        "residents-meeting-2018",
        "2025-12-31",
        "",
    )


@pytest.mark.parametrize(
    ("rule", "values", "passed"),
    [
        ("owners-committee", {"members": 6, "present": 4, "yes": 3}, True),
        ("owners-committee", {"members": 7, "present": 4, "yes": 3}, False),
        ("party-members-meeting", {"members": 9, "present": 6, "yes": 5}, True),
        ("party-members-meeting", {"members": 9, "present": 5, "yes": 5}, False),
        ("residents-meeting-2025", {"constituency": 9, "present": 5, "yes": 3}, True),
    ],
)
def test_other_bodies(rule: str, values: dict[str, int], passed: bool) -> None:
    report, _ = run(rule, "--values", json.dumps(values))
    assert report["passed"] is passed


def test_legacy_rule_for_a_2019_decision() -> None:
    values = OWNERS | {"participating_area": "160.00", "yes_area": "151.00"}
    report, _ = run(
        "property-regulation-12-legacy",
        "--values",
        json.dumps(values),
        "--date",
        "2019-05-01",
    )
    assert report["passed"] is True  # 160/300 > 1/2 took part, 151/300 > 1/2 agreed
    assert report["in_force"] is True
    assert "《物业管理条例》第十二条" in report["law"]


def test_silent_majority_flag() -> None:
    values = {
        "total_area": "100",
        "total_owners": 100,
        "participating_area": "70",
        "participating_owners": 70,
        "yes_area": "50",
        "yes_owners": 50,
    }
    off, _ = run("civil-code-278-major", "--values", json.dumps(values))
    on, _ = run(
        "civil-code-278-major", "--values", json.dumps(values), "--silent-majority"
    )
    assert (off["passed"], on["passed"]) == (False, True)
    assert on["quorum_met"] == off["quorum_met"]
    assert on["count_silent_owners_with_majority"] is True


def test_list_names_every_rule_and_its_law() -> None:
    out = StringIO()
    call_command("decide", "--list", stdout=out)
    text = out.getvalue()
    lines = text.splitlines()
    for rule_id in RULES_BY_ID:
        assert any(line.startswith(rule_id + "\t") for line in lines), rule_id
    assert "《民法典》第二百七十八条" in text
    assert "《城市居民委员会组织法》第九条" in text


OWNERS_ERRORS = [
    (OWNERS | {"total_owners": -1}, "negative"),
    (OWNERS | {"total_area": "-300.00"}, "negative"),
    (OWNERS | {"participating_area": "300.01"}, "exceeds"),
    (OWNERS | {"participating_owners": 4}, "exceeds"),
    (OWNERS | {"yes_area": "200.01"}, "exceeds"),
    (OWNERS | {"yes_owners": 3}, "exceeds"),
    (OWNERS | {"yes_area": "150.001"}, "two decimals"),
    (OWNERS | {"yes_area": 150.5}, "string"),
    (OWNERS | {"yes_owners": 2.0}, "whole number"),
    (OWNERS | {"yes_owners": "2"}, "whole number"),
    ({k: v for k, v in OWNERS.items() if k != "yes_owners"}, "missing"),
    (OWNERS | {"no_owners": 0}, "unknown"),
]


@pytest.mark.parametrize(("values", "message"), OWNERS_ERRORS)
def test_invalid_values_exit_with_status_2(values: dict, message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command(
            "decide", "civil-code-278-ordinary", "--values", json.dumps(values)
        )
    assert raised.value.returncode == 2
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["civil-code-278-ordinary", "--values", "{not json"], "not valid JSON"),
        (["civil-code-278-ordinary", "--values", "[1, 2]"], "JSON object"),
        (["civil-code-278-ordinary"], "--values is required"),
        (["no-such-rule", "--values", "{}"], "unknown rule"),
        ([], "rule id"),
        (["residents-meeting", "--values", "{}", "--date", "2025-13-01"], "date"),
        (["residents-meeting", "--values", "{}", "--date", "20251231"], "YYYY-MM-DD"),
        (["owners-ordinary", "--values", "{}", "--date", "2006-01-01"], "no owners"),
        (
            ["residents-meeting", "--values", '{"constituency": 1, "yes": 1}'],
            "missing",
        ),
        (
            [
                "residents-meeting",
                "--values",
                '{"constituency": 3, "present": 2, "yes": 1, "yes": 2}',
            ],
            "twice",
        ),
        (
            [
                "residents-meeting",
                "--values",
                '{"constituency": 3, "present": 2, "yes": 1}',
                "--silent-majority",
            ],
            "silent",
        ),
    ],
)
def test_invalid_input_exits_with_status_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("decide", *args)
    assert raised.value.returncode == 2


def test_manage_py_decide_in_a_subprocess() -> None:
    manage = [sys.executable, str(REPO / "manage.py"), "decide"]
    ok = subprocess.run(
        [*manage, "civil-code-278-major", "--values", json.dumps(OWNERS)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)  # the whole of stdout is one JSON object
    assert isinstance(report, dict)
    assert report["rule"] == "civil-code-278-major"
    assert report["passed"] is True

    bad = subprocess.run(
        [*manage, "civil-code-278-major", "--values", json.dumps(OWNERS_ERRORS[2][0])],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert len(bad.stderr.strip().splitlines()) == 1
    assert "participating_area" in bad.stderr

    # issue 9: a superseded rule id exits 2 naming the rule in force, prints nothing.
    superseded = subprocess.run(
        [
            *manage,
            "residents-meeting-2018",
            "--values",
            '{"constituency": 10, "present": 6, "yes": 4}',
            "--date",
            "2026-03-01",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert superseded.returncode == 2
    assert superseded.stdout == ""
    assert "residents-meeting-2025" in superseded.stderr


def test_village_bodies_are_decided_by_date() -> None:
    values = {
        "villagers": 100,
        "villagers_present": 0,
        "households": 30,
        "households_present": 20,
        "present": 20,
        "yes": 11,
    }
    report, _ = run(
        "villagers-meeting", "--values", json.dumps(values), "--date", "2025-06-01"
    )
    assert (report["rule"], report["passed"]) == ("villagers-meeting-2010", True)
    assert "第二十二条" in report["law"]
    report, _ = run(
        "residents-representatives-meeting",
        "--values",
        '{"members": 30, "present": 20, "yes": 10}',
    )
    assert (report["passed"], report["needs_legal_review"]) == (False, True)
