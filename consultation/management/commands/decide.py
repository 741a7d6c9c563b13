"""`manage.py decide RULE --values JSON`: apply a decision rule and print the result.

RULE is a rule id (that exact rule, e.g. ``civil-code-278-ordinary``) or a rule
family (e.g. ``residents-meeting``), whose version is chosen by ``--date`` (default:
today in Asia/Shanghai). A rule id that is superseded or not yet in force on that date
is refused (exit 2, the message names the rule in force; RULES.md §9.3). Prints one
JSON object on stdout, with the result worded in plain Chinese (``wording``). Invalid
input exits with status 2 and a one-line message on stderr. ``--list`` lists the
rules, their kind (decision, convening threshold, unanimous consent) and the laws
they encode. The rules themselves live in ``consultation.ballots.domain.rules``.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError

from consultation.ballots.domain.rules import (
    FAMILIES,
    RULES_BY_ID,
    Rule,
    RuleError,
    ValueKind,
    all_rules,
    evaluate,
    lookup,
    parse_rule_inputs,
    window,
)
from consultation.ballots.domain.wording import decision_wording

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXIT_INVALID = 2
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class DecideError(ValueError):
    """Invalid command input; the command turns it into exit status 2."""


def today_in_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


def parse_decision_date(text: str | None, *, today: date | None = None) -> date:
    if text is None:
        return today or today_in_shanghai()
    if not _DATE_RE.fullmatch(text):
        raise DecideError(f"--date must be YYYY-MM-DD, got {text!r}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise DecideError(f"--date is not a calendar date: {text!r}") from None


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DecideError(f"--values names {key!r} twice")
        seen[key] = value
    return seen


def parse_values(rule: Rule, text: str | None) -> dict[str, int]:
    """The JSON object of tallies → exact integers (areas in 0.01 m²).

    Only the JSON is read here; what the values may be (areas as decimal strings of
    square metres with at most two decimals, counts as JSON integers, no float, every
    input named once) is the domain's ``parse_rule_inputs``, which raises
    ``InvalidValues``.
    """
    if text is None:
        raise DecideError(f"--values is required, e.g. --values '{{{_example(rule)}}}'")
    try:
        raw = json.loads(text, object_pairs_hook=_reject_duplicates)
    except json.JSONDecodeError as error:
        raise DecideError(f"--values is not valid JSON: {error.msg}") from None
    if not isinstance(raw, dict):
        raise DecideError("--values must be a JSON object")
    return parse_rule_inputs(rule, raw)


def _example(rule: Rule) -> str:
    return ", ".join(
        f'"{spec.name}": ' + ('"1234.56"' if spec.kind is ValueKind.AREA else "10")
        for spec in rule.inputs
    )


def decide_report(
    name: str | None,
    values_json: str | None,
    *,
    date_text: str | None = None,
    count_silent_owners_with_majority: bool = False,
    today: date | None = None,
) -> dict[str, Any]:
    """Everything `decide` does except printing; raises DecideError or RuleError."""
    if not name:
        raise DecideError("give a rule id (see --list)")
    decision_date = parse_decision_date(date_text, today=today)
    rule = lookup(name, decision_date)
    values = parse_values(rule, values_json)
    evaluation = evaluate(
        rule,
        values,
        count_silent_owners_with_majority=count_silent_owners_with_majority,
    )
    report = evaluation.as_dict()
    # `lookup` refused any rule not in force on the date: these always agree.
    report.update(
        {
            "decision_date": decision_date.isoformat(),
            "in_force": True,
            "rule_in_force": rule.id,
        }
    )
    report["wording"] = decision_wording(report, provisional=False)
    return report


def _limits(rule: Rule) -> str:
    """How a community setting may move the rule (empty for a national floor)."""
    if rule.kind.may_only_lower:
        return "\tmay be lowered, never raised"
    if not rule.floors:
        return ""
    floors = ", ".join(f"{floor.key} {floor.required}" for floor in rule.floors)
    return f"\tfloors: {floors} ({rule.floors[0].source})"


def list_lines() -> list[str]:
    """One line per rule (id, law, status, kind, dates, title, how a setting may
    move it), then one per family."""
    lines = []
    for rule in all_rules():
        review = " needs-legal-review" if rule.needs_legal_review else ""
        lines.append(
            f"{rule.id}\t{rule.law} ({rule.law_en})\t[{rule.status_tag.value}"
            f"{review}]\t{rule.kind.value}\t{window(rule)}\t"
            f"{rule.title_zh} / {rule.title_en}{_limits(rule)}"
        )
    for family, versions in FAMILIES.items():
        chain = ", ".join(f"{rule.id} {window(rule)}" for rule in versions)
        lines.append(f"family {family}: {chain}")
    return lines


class Command(BaseCommand):
    help = (
        "Apply a decision rule (Civil Code Arts. 278 and 279, residents' meeting and "
        "its convening threshold, extraordinary owners' assembly, owners' committee, "
        "party members' meeting and election, village bodies) to tallies and print "
        "the result as JSON."
    )
    # Pure computation: no database, and not blocked by other apps' system checks.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "rule",
            nargs="?",
            metavar="RULE_ID",
            help="a rule id ("
            + ", ".join(RULES_BY_ID)
            + ") or a rule family chosen by --date ("
            + ", ".join(FAMILIES)
            + ")",
        )
        parser.add_argument(
            "--values",
            help='JSON object of tallies, e.g. {"constituency": 100, "present": 51, '
            '"yes": 26}; areas as strings of m² with at most two decimals',
        )
        parser.add_argument(
            "--date",
            dest="decision_date",
            help="decision date YYYY-MM-DD (default: today in Asia/Shanghai)",
        )
        parser.add_argument(
            "--silent-majority",
            action="store_true",
            help="count silent owners with the majority of expressed votes "
            "(approval only; legally contested, off by default)",
        )
        parser.add_argument(
            "--list", action="store_true", help="list every rule and its law"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            self.stdout.write("\n".join(list_lines()))
            return
        try:
            report = decide_report(
                options["rule"],
                options["values"],
                date_text=options["decision_date"],
                count_silent_owners_with_majority=options["silent_majority"],
            )
        except (DecideError, RuleError) as error:
            message = " ".join(str(error).split())
            raise CommandError(message, returncode=EXIT_INVALID) from None
        self.stdout.write(json.dumps(report, ensure_ascii=False))
