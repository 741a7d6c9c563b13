"""Who voted: the list (for staff) and its CSV.

Privacy: no phone or ID-card number is ever read here. A secret ballot's who-voted
list names who took part and how, never a choice, in roll-key order (never vote
order); so does a named ballot whose tally is still hidden.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from neighbourhoods.models import Developer, Person

from ..domain.ballots import is_invalid_paper
from ..models import Ballot, BallotOption, Participation, RollEntry
from .labels import channel_label


@dataclass(frozen=True)
class VoterList:
    headers: tuple[str, ...]
    rows: list[tuple[str, ...]]


def _member_names(entries: list[dict]) -> dict[str, str]:
    """Roll key → name: the voter, else the co-owners, else the developer."""
    person_ids = set()
    developer_ids = set()
    for entry in entries:
        if entry["voter_id"]:
            person_ids.add(entry["voter_id"])
        else:
            person_ids.update(entry["person_ids"] or [])
        if entry["key"].startswith("dev:") and entry["key"][4:].isdigit():
            developer_ids.add(int(entry["key"][4:]))
    people = dict(
        Person.objects.filter(pk__in=person_ids).values_list("pk", "full_name")
    )
    developers = dict(
        Developer.objects.filter(pk__in=developer_ids).values_list("pk", "name")
    )
    names = {}
    for entry in entries:
        key = entry["key"]
        if entry["voter_id"]:
            name = people.get(entry["voter_id"], "")
        elif key.startswith("dev:") and key[4:].isdigit():
            name = developers.get(int(key[4:]), "")
        else:
            name = "、".join(people.get(i, "") for i in entry["person_ids"] or [])
        names[key] = name or key
    return names


def _choice_text(selection: dict | None, labels: dict[int, str]) -> str:
    if not selection:
        return _("空白票")
    if is_invalid_paper(selection):
        return _("废票")
    if "ranking" in selection:
        return " > ".join(
            f"{rank}. {labels.get(i, i)}"
            for rank, i in enumerate(selection["ranking"], start=1)
        )
    if "ratings" in selection:
        return "；".join(
            f"{labels.get(int(i), i)}: {score}"
            for i, score in selection["ratings"].items()
        )
    options = selection.get("options") or []
    return "、".join(str(labels.get(i, i)) for i in options) or str(_("空白票"))


def voter_list(ballot: Ballot, *, with_choices: bool) -> VoterList:
    """Who voted. With choices (a named ballot whose tally may be seen): every roll
    member, voted or not. Otherwise only those who took part, and never a choice."""
    with_choices = with_choices and not ballot.is_secret
    entries = list(
        RollEntry.objects.filter(ballot=ballot)
        .order_by("key")
        .values("id", "key", "voter_id", "person_ids")
    )
    votes = {
        entry_id: (channel, selection)
        for entry_id, channel, selection in Participation.objects.filter(
            ballot=ballot
        ).values_list("entry_id", "channel", "selection")
    }
    names = _member_names(entries)
    if with_choices:
        labels = dict(
            BallotOption.objects.filter(ballot=ballot).values_list("pk", "label")
        )
        rows = []
        for entry in entries:
            channel, selection = votes.get(entry["id"], (None, None))
            rows.append(
                (
                    names[entry["key"]],
                    entry["key"],
                    channel_label(channel) if channel else str(_("未投票")),
                    _choice_text(selection, labels) if channel else "",
                )
            )
        headers = (_("姓名"), _("名册编号"), _("投票方式"), _("选择"))
    else:
        # Roll-key order, never the order of voting (secret papers have no time).
        rows = [
            (names[e["key"]], e["key"], channel_label(votes[e["id"]][0]))
            for e in entries
            if e["id"] in votes
        ]
        headers = (_("姓名"), _("名册编号"), _("投票方式"))
    return VoterList(headers=tuple(str(h) for h in headers), rows=rows)


def _cell_text(value):
    """CSV text a spreadsheet must not read as a formula (a name may start with '=')."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def voter_list_csv(voters: VoterList) -> bytes:
    buffer = io.StringIO()
    # A BOM so that Excel opens the UTF-8 Chinese text correctly.
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(voters.headers)
    for row in voters.rows:
        writer.writerow([_cell_text(value) for value in row])
    return buffer.getvalue().encode("utf-8")
