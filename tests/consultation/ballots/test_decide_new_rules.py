"""`manage.py decide` for the rules of issue 9 items 5 and 7: convening thresholds by
date, the extraordinary owners' assembly, Civil Code Art. 279, the party election.
Exit 0 with one JSON object (whatever the outcome), exit 2 on invalid input."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

RESIDENTS = {
    "adult_residents": 1000,
    "proposing_residents": 200,
    "resident_households": 400,
    "proposing_households": 0,
    "resident_groups": 9,
    "proposing_groups": 0,
}
REPS = {"representatives": 30, "proposing_representatives": 0}


def run(*args: str) -> dict:
    out = StringIO()
    call_command("decide", *args, stdout=out)
    text = out.getvalue()
    assert text.count("\n") <= 1
    return json.loads(text)


def test_residents_convening_2018_at_one_fifth() -> None:
    report = run(
        "residents-meeting-convening",
        "--values",
        json.dumps(RESIDENTS),
        "--date",
        "2025-12-31",
    )
    assert report["rule"] == "residents-meeting-convening-2018"
    assert report["kind"] == "convening"
    assert report["passed"] is True  # exactly 1/5: "以上"
    assert report["quorum_logic"] is None
    assert report["law"] == "《城市居民委员会组织法》第十条第一款"
    assert report["wording"]["verdict"] == "提议已达到法定要求，应当召集会议"
    first = report["wording"]["conditions"][0]["text"]
    assert first == (
        "提议的十八周岁以上居民人数 200人，占十八周岁以上居民人数 20.00%"
        "（须达五分之一以上）✓"
    )
    below = RESIDENTS | {"proposing_residents": 199}
    report = run(
        "residents-meeting-convening-2018",
        "--values",
        json.dumps(below),
        "--date",
        "2025-06-01",
    )
    assert report["passed"] is False
    assert "19.90%" in report["wording"]["conditions"][0]["text"]


def test_residents_convening_from_2026_uses_the_flagged_placeholder() -> None:
    values = RESIDENTS | {"proposing_residents": 100} | REPS
    report = run(
        "residents-meeting-convening",
        "--values",
        json.dumps(values),
        "--date",
        "2026-01-01",
    )
    assert report["rule"] == "residents-meeting-convening-2025"
    assert report["status_tag"] == "UNVERIFIED"
    assert report["needs_legal_review"] is True
    assert report["passed"] is True  # 1/10 under the placeholder


def test_the_2026_family_needs_the_representatives_counts() -> None:
    with pytest.raises(CommandError, match="proposing_representatives") as raised:
        call_command(
            "decide",
            "residents-meeting-convening",
            "--values",
            json.dumps(RESIDENTS),
            "--date",
            "2026-03-01",
        )
    assert raised.value.returncode == 2


def test_a_superseded_convening_rule_id_exits_2_naming_the_rule_in_force() -> None:
    with pytest.raises(
        CommandError, match="residents-meeting-convening-2025"
    ) as raised:
        call_command(
            "decide",
            "residents-meeting-convening-2018",
            "--values",
            json.dumps(RESIDENTS),
            "--date",
            "2026-03-01",
        )
    assert raised.value.returncode == 2
    with pytest.raises(CommandError, match="尚未生效") as raised:
        call_command(
            "decide",
            "residents-meeting-convening-2025",
            "--values",
            json.dumps(RESIDENTS | REPS),
            "--date",
            "2025-12-31",
        )
    assert raised.value.returncode == 2


@pytest.mark.parametrize(("proposing", "passed"), [(20, True), (19, False)])
def test_extraordinary_owners_assembly(proposing: int, passed: bool) -> None:
    values = {"total_owners": 100, "proposing_owners": proposing}
    report = run("owners-extraordinary-meeting", "--values", json.dumps(values))
    assert report["passed"] is passed
    assert report["law"] == "《物业管理条例》第十三条"


@pytest.mark.parametrize(
    ("consenting", "objecting", "passed"),
    [(12, 0, True), (11, 0, False), (11, 1, False), (0, 12, False)],
)
def test_civil_code_279_unanimity(
    consenting: int, objecting: int, passed: bool
) -> None:
    values = {
        "interested_owners": 12,
        "consenting_owners": consenting,
        "objecting_owners": objecting,
    }
    report = run(
        "dwelling-to-business", "--values", json.dumps(values), "--date", "2024-05-01"
    )
    assert report["rule"] == "civil-code-279"
    assert report["kind"] == "consent"
    assert report["passed"] is passed
    verdict = report["wording"]["verdict"]
    assert "一致同意" in verdict
    assert ("未获得" in verdict) is not passed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "civil-code-279",
                "--values",
                '{"interested_owners": 3, "consenting_owners": 2, '
                '"objecting_owners": 2}',
            ],
            "together",
        ),
        (
            [
                "civil-code-279",
                "--values",
                '{"interested_owners": 0, "consenting_owners": 0, '
                '"objecting_owners": 0}',
            ],
            "at least 1",
        ),
        (
            [
                "civil-code-279",
                "--values",
                '{"interested_owners": 3, "consenting_owners": 3, '
                '"objecting_owners": 0}',
                "--date",
                "2020-12-31",
            ],
            "not yet in force",
        ),
        (
            [
                "owners-extraordinary-meeting",
                "--values",
                '{"total_owners": 10, "proposing_owners": 11}',
            ],
            "exceeds",
        ),
        (
            [
                "owners-extraordinary-meeting",
                "--values",
                '{"total_owners": 10, "proposing_owners": 1}',
                "--silent-majority",
            ],
            "silent",
        ),
    ],
)
def test_invalid_input_exits_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message) as raised:
        call_command("decide", *args)
    assert raised.value.returncode == 2


@pytest.mark.parametrize(
    ("present", "yes", "passed"), [(8, 8, False), (9, 5, True), (9, 4, False)]
)
def test_party_election_more_than_four_fifths(present: int, yes: int, passed: bool):
    values = {"members": 10, "present": present, "yes": yes}
    report = run(
        "party-members-election", "--values", json.dumps(values), "--date", "2025-06-01"
    )
    assert report["rule"] == "party-members-election-2020"
    assert report["passed"] is passed


def test_list_shows_kinds_floors_and_ceilings() -> None:
    out = StringIO()
    call_command("decide", "--list", stdout=out)
    lines = {line.split("\t")[0]: line for line in out.getvalue().splitlines()}
    assert (
        "《中国共产党支部工作条例（试行）》第十一条" in lines["party-members-meeting"]
    )
    assert "may be lowered, never raised" in lines["owners-extraordinary-meeting"]
    assert "\tconsent\t" in lines["civil-code-279"]
    assert "\tconvening\t" in lines["residents-meeting-convening-2018"]
