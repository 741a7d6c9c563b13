"""The tally sheet (计票表): one dict that the PDF and the XLSX renderers both read.

A published ballot's sheet is built from its frozen ``PublishedTally.result`` (never
a recount), so every document matches the record whose sha256 was published. Other
ballots (closed, or open with a live tally) are counted afresh and the sheet says it
is not the published result. Everything here reads; nothing writes.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from ..domain.rules import get_rule
from ..domain.thresholds import RuleError, parse_fraction
from ..domain.wording import (
    INPUT_NAMES_ZH,
    cut_decimal,
    cut_percent,
    decision_wording,
)
from ..models import Ballot, PublishedTally
from ..selectors import ballot_tally, counting_rows, counting_settings, tally_as_dict
from ..selectors.opening import notice_facts
from .labels import (
    basis_label,
    channel_label,
    comparator_label,
    kind_label,
    local_time,
    role_label,
)

# The four channels every sheet lists (zero when unused), in this order.
SHEET_CHANNELS = ("online", "paper", "door", "proxy")


def _published(ballot: Ballot) -> PublishedTally | None:
    try:
        return ballot.published_tally
    except PublishedTally.DoesNotExist:
        return None


def _option_note(option: dict, kind: str, winners: list) -> str:
    notes = []
    if option.get("elected"):
        notes.append(_("当选"))
    elif option.get("tied_at_cut"):
        notes.append(_("票数相同，需另行投票"))
    elif option.get("alternate_rank"):
        notes.append(_("候补第 %(rank)s 位") % {"rank": option["alternate_rank"]})
    elif kind in ("single", "multiple", "rating") and option.get("id") in winners:
        notes.append(_("得票最多") if kind != "rating" else _("平均分最高"))
    if option.get("mean_score"):
        score = cut_decimal(parse_fraction(option["mean_score"]))
        notes.append(_("平均分 %(score)s") % {"score": score})
    return "；".join(str(note) for note in notes)


def _decision(decision: dict | None, *, provisional: bool) -> dict | None:
    """The rule as applied, read as the law words it (`domain.wording`)."""
    if not decision:
        return None
    if decision.get("error"):
        return {"error": decision["error"], "conditions": []}
    try:
        title = get_rule(decision.get("rule", "")).title_zh
    except RuleError:  # a rule since withdrawn: the frozen record still prints
        title = decision.get("rule", "")
    wording = decision_wording(decision, provisional=provisional)
    conditions = []
    for c, worded in zip(
        decision.get("conditions", []), wording["conditions"], strict=True
    ):
        num, den = c["numerator_field"], c["denominator_field"]
        conditions.append(
            {
                "key": c["key"],
                "role": role_label(c["role"]),
                "text": worded["text"],
                "numerator": worded["numerator"],
                "numerator_name": INPUT_NAMES_ZH.get(num, ""),
                "denominator": worded["denominator"],
                "denominator_name": INPUT_NAMES_ZH.get(den, ""),
                "exact": worded["exact"],
                "actual": worded["share"] or "—",
                "comparator": comparator_label(c["comparator"]),
                "required": worded["requirement"],
                "holds": bool(c["holds"]),
                "holds_label": _holds_label(c),
            }
        )
    return {
        "rule": decision.get("rule", ""),
        "title": title,
        "law": decision.get("law", ""),
        "status_tag": decision.get("status_tag", ""),
        "needs_legal_review": decision.get("needs_legal_review", False),
        "passed": bool(decision.get("passed")),
        "quorum_met": bool(decision.get("quorum_met")),
        "below_quorum": not decision.get("quorum_met"),
        "approval_state": decision.get("approval_state_zh") or "",
        "outcome": wording["verdict"],
        "provisional": provisional,
        "conditions": conditions,
        **_law_dates(decision),
    }


def _holds_label(condition: dict) -> str:
    if condition.get("state") == "below_quorum":
        return _("未达到参会（参与）要求，表决条件不予认定")
    return _("满足") if condition["holds"] else _("不满足")


def _law_dates(decision: dict) -> dict:
    """The rule version's in-force dates, the decision date and the cross-date flag
    (older frozen records lack them: they print as empty)."""
    known = "effective_to" in decision  # frozen before issue 9: no dates
    return {
        "in_force": _("%(start)s 起至 %(end)s")
        % {
            "start": decision.get("effective_from") or "—",
            "end": decision.get("effective_to") or _("今"),
        }
        if known
        else "",
        "decision_date": decision.get("decision_date") or "",
        "decision_date_provisional": bool(decision.get("decision_date_provisional")),
        "spans_effective_date": bool(decision.get("spans_effective_date")),
        "spans_note": decision.get("spans_note_zh") or "",
    }


def _rounds(tally: dict, labels: dict[int, str]) -> list[dict]:
    return [
        {
            "number": number,
            "counts": [
                {"label": labels.get(option_id, str(option_id)), "heads": heads}
                for option_id, heads in r["counts"]
            ],
            "eliminated": "、".join(labels.get(i, str(i)) for i in r["eliminated"]),
            "exhausted": r["exhausted"],
        }
        for number, r in enumerate(tally.get("rounds") or [], start=1)
    ]


def _participation(tally: dict) -> dict:
    """Participation, with its share of the roll cut to two decimals (a percentage)."""
    return {
        **tally["participation"],
        "heads_percent": cut_percent(
            tally["participation"]["heads"], tally["roll"]["heads"]
        ),
    }


def _options(tally: dict) -> list[dict]:
    winners = tally.get("winners") or []
    return [
        {
            "label": o["label"],
            "heads": o["heads"],
            "area_m2": o["area_m2"],
            "note": _option_note(o, tally["kind"], winners),
        }
        for o in tally["options"]
    ]


def _notice(ballot: Ballot) -> str:
    """The notice (公告) as one line: its date, channels and days before opening."""
    facts = notice_facts(ballot)
    if not facts or facts["published_on"] is None:
        return ""
    text = _("%(day)s 发布") % {"day": facts["published_on"].isoformat()}
    if facts["channels"]:
        text += " · " + "、".join(str(label) for label in facts["channels"])
    if facts["days_ahead"] is not None:
        text += " · " + _("开始投票前 %(days)s 日") % {"days": facts["days_ahead"]}
    return text


def tally_sheet(ballot: Ballot) -> dict:
    """Everything a tally sheet prints, from the frozen result when there is one."""
    published = _published(ballot)
    tally = (
        published.result
        if published is not None
        else tally_as_dict(ballot, ballot_tally(ballot))
    )
    area_weighted = tally["roll"]["area_m2"] is not None
    by_channel = {row["channel"]: row for row in tally["by_channel"]}
    channels = [
        *SHEET_CHANNELS,
        *sorted(set(by_channel) - set(SHEET_CHANNELS)),
    ]
    zero_area = "0.00" if area_weighted else None
    labels = {o["id"]: o["label"] for o in tally["options"]}
    return {
        "ballot_id": ballot.pk,
        "title": tally["title"],
        "community": ballot.community.name,
        "community_code": ballot.community.code,
        "compound": ballot.compound.name if ballot.compound_id else "",
        "kind": kind_label(tally["kind"]),
        "seats": ballot.seats if tally["kind"] == "election" else None,
        "secrecy": str(Ballot.Secrecy(tally["secrecy"]).label),
        "basis": basis_label(ballot.basis),
        "notice": _notice(ballot),
        "consultative": bool(tally["consultative"]),
        "area_weighted": area_weighted,
        "roll": tally["roll"],
        "participation": _participation(tally),
        # A result frozen before the counting settings were recorded: the ballot's
        # own snapshot (taken at creation, never changed) says the same.
        "counting": counting_rows(tally.get("counting") or counting_settings(ballot)),
        "options": _options(tally),
        "channels": [
            {
                "label": channel_label(channel),
                "heads": by_channel.get(channel, {}).get("heads", 0),
                "area_m2": by_channel.get(channel, {}).get("area_m2", zero_area),
            }
            for channel in channels
        ],
        "runoff_needed": bool(tally.get("runoff_needed")),
        "rounds": _rounds(tally, labels),
        "decision": _decision(
            tally.get("decision"), provisional=ballot.status == Ballot.Status.OPEN
        ),
        "published": published is not None,
        "official": bool(published and published.official),
        "published_at": local_time(published.published_at) if published else "",
        "sha256": published.sha256 if published else "",
        "status": str(Ballot.Status(ballot.status).label),
        "printed_at": local_time(timezone.now()),
    }
