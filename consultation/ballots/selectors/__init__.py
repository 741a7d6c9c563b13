"""Reads for ballots: the spec, the streaming tally, and the tally as published JSON.

What a voter and the staff entering paper sheets see of the roll is in `voters.py`,
re-exported here.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from datetime import date
from fractions import Fraction

from django.db import models
from django.db.models import QuerySet, Sum
from django.utils import timezone

from neighbourhoods.models import (
    Body,
    Building,
    Community,
    Compound,
    Person,
    ResidentsGroup,
)
from neighbourhoods.permissions import communities_for

from .. import permissions
from ..domain.ballots import (
    BallotKind,
    BallotSpec,
    OptionRole,
    OptionSpec,
    PaperRecord,
    TallyResult,
    is_motion,
    tally,
)
from ..domain.floors import customise
from ..domain.receipts import receipt_hash
from ..domain.rules import RuleChoice, choose_rule
from ..domain.thresholds import RuleError, evaluate, format_fraction
from ..domain.units import format_area
from ..domain.wording import cut_decimal, cut_percent, decision_wording
from ..models import (
    Ballot,
    BallotOption,
    Participation,
    Proxy,
    PublishedTally,
    RollEntry,
    SecretPaper,
    VoteConflict,
)
from .counting import ballot_counting_rows, counting_rows, counting_settings

TALLY_CHUNK = 2000


# Options of opened ballots, kept per process: only `services.ballot_create` writes
# options, so they are fixed once a ballot has opened and a vote need not read them
# again. Keyed by (ballot, opened_at) so that no ballot is matched to another's list.
_OPENED_OPTIONS: OrderedDict[tuple[int, object], list] = OrderedDict()
_OPENED_OPTIONS_MAX = 512
_OPENED_OPTIONS_LOCK = threading.Lock()


def _options(ballot: Ballot) -> list:
    options = getattr(ballot, "_option_cache", None)
    if options is not None:
        return options
    key = (ballot.pk, ballot.opened_at) if ballot.opened_at else None
    if key is not None:
        with _OPENED_OPTIONS_LOCK:
            options = _OPENED_OPTIONS.get(key)
    if options is None:
        options = list(
            BallotOption.objects.filter(ballot=ballot)
            .order_by("position")
            .values_list("pk", "role", "label")
        )
        if key is not None:
            with _OPENED_OPTIONS_LOCK:
                _OPENED_OPTIONS[key] = options
                while len(_OPENED_OPTIONS) > _OPENED_OPTIONS_MAX:
                    _OPENED_OPTIONS.popitem(last=False)
    ballot._option_cache = options
    return options


def ballot_spec(ballot: Ballot) -> BallotSpec:
    options = _options(ballot)
    return BallotSpec(
        kind=BallotKind(ballot.kind),
        options=tuple(
            OptionSpec(id=pk, role=OptionRole(role), label=label)
            for pk, role, label in options
        ),
        min_choices=ballot.min_choices,
        max_choices=ballot.max_choices,
        seats=ballot.seats,
    )


SECRET_CHANNEL = "secret"  # secret papers carry no channel; see _secret_channels


def _papers(ballot: Ballot) -> QuerySet:
    """Identical papers added up by the database: one row per distinct (selection,
    channel) with summed heads and area. `tally` is linear in the weights, so the
    result is the same, and reading it no longer grows with the votes
    (docs/benchmarks.md: 34 → 8 ms at 10,000 votes)."""
    if ballot.is_secret:
        return (
            SecretPaper.objects.filter(ballot=ballot)
            .values_list("selection")
            .annotate(heads=Sum("heads"), area=Sum("area"))
            .values_list("selection", "heads", "area", models.Value(SECRET_CHANNEL))
            .order_by()
        )
    return (
        Participation.objects.filter(ballot=ballot)
        .values_list("selection", "channel")
        .annotate(heads=Sum("heads"), area=Sum("area"))
        .values_list("selection", "heads", "area", "channel")
        .order_by()
    )


def _secret_channels(ballot: Ballot) -> tuple[tuple[str, int, int], ...]:
    """How many took part through each channel: from who voted, never from papers."""
    rows = (
        Participation.objects.filter(ballot=ballot)
        .values_list("channel")
        .annotate(heads=Sum("heads"), area=Sum("area"))
        .order_by("channel")
    )
    return tuple((channel, heads, area) for channel, heads, area in rows)


def ballot_tally(ballot: Ballot) -> TallyResult:
    """Count every accepted vote in one streaming pass (memory flat in the votes)."""
    rows = _papers(ballot).iterator(chunk_size=TALLY_CHUNK)
    result = tally(
        ballot_spec(ballot),
        (PaperRecord(selection=s, heads=h, area=a, channel=c) for s, h, a, c in rows),
        blank_and_invalid_participate=ballot.blank_invalid_participate,
    )
    if ballot.is_secret:
        result = dataclasses.replace(result, by_channel=_secret_channels(ballot))
    return result


def rule_values(ballot: Ballot, result: TallyResult, rule) -> dict[str, int]:
    """The rule's inputs, by the names the rule declares, from roll and tally."""
    available = {
        "total_area": ballot.roll_area,
        "total_owners": ballot.roll_heads,
        "participating_area": result.participating_area,
        "participating_owners": result.participating_heads,
        "yes_area": result.yes_area,
        "yes_owners": result.yes_heads,
        "constituency": ballot.roll_heads,
        "members": ballot.roll_heads,
        "present": result.participating_heads,
        "yes": result.yes_heads,
    }
    missing = [name for name in rule.input_names if name not in available]
    if missing:
        raise RuleError(
            f"{rule.id}：投票无法提供 {', '.join(missing)}。 "
            f"{rule.id}: a ballot cannot give {', '.join(missing)}."
        )
    return {name: available[name] for name in rule.input_names}


def decision_dates(ballot: Ballot) -> tuple[date, bool, date | None]:
    """(decision date, whether it is only expected, the day voting opened).

    The decision date is the day voting closes, in Asia/Shanghai (RULES.md §9.3);
    until then it is the expected closing day (``closes_at``, never before today).
    """
    opened_on = timezone.localdate(ballot.opened_at) if ballot.opened_at else None
    if ballot.closed_at is not None:
        return timezone.localdate(ballot.closed_at), False, opened_on
    today = timezone.localdate()
    expected = timezone.localdate(ballot.closes_at) if ballot.closes_at else today
    return max(expected, today), True, opened_on


def ballot_rule_choice(ballot: Ballot) -> RuleChoice | None:
    """The rule version that judges the ballot (None without a rule or in force)."""
    if not ballot.rule_id:
        return None
    decision_date, provisional, opened_on = decision_dates(ballot)
    try:
        return choose_rule(
            ballot.rule_id,
            decision_date,
            opened_on=opened_on,
            provisional=provisional,
        )
    except RuleError:
        return None


def ballot_law(ballot: Ballot) -> dict | None:
    """For the ballot page: the rule version, its in-force dates and the flag."""
    choice = ballot_rule_choice(ballot)
    if choice is None:
        return None
    rule = choice.rule
    return {
        **choice.as_dict(),
        "rule": rule.id,
        "title": rule.title_zh,
        "law": rule.law,
        "effective_from": None
        if rule.effective_from == date.min
        else (rule.effective_from),
        "effective_to": rule.effective_to,
        "needs_legal_review": rule.needs_legal_review,
    }


def ballot_decision(ballot: Ballot, result: TallyResult) -> dict | None:
    """The rule in force on the decision date applied to a motion's tally, exact
    fractions as "p/q", with the dates that chose the rule."""
    if not ballot.rule_id or not is_motion(ballot.kind):
        return None
    decision_date, provisional, opened_on = decision_dates(ballot)
    try:
        choice = choose_rule(
            ballot.rule_id,
            decision_date,
            opened_on=opened_on,
            provisional=provisional,
        )
        rule = choice.rule
        if ballot.rule_overrides:
            rule = customise(rule, ballot.rule_overrides)
        decision = evaluate(
            rule,
            rule_values(ballot, result, rule),
            count_silent_owners_with_majority=ballot.silent_owners_follow_majority,
        ).as_dict()
    except RuleError as error:
        return {"error": str(error)}
    decision.update(choice.as_dict())
    return decision


def _participation(ballot: Ballot, result: TallyResult) -> dict:
    area = ballot.weighted_by_area
    return {
        "heads": result.participating_heads,
        "area_m2": format_area(result.participating_area) if area else None,
        # Papers received, and the blank and invalid ones among them (counted as
        # participation or not, as the ballot's `counting` says).
        "received_heads": result.received_heads,
        "blank_heads": result.blank_heads,
        "invalid_heads": result.invalid_heads,
        "blank_area_m2": format_area(result.blank_area) if area else None,
        "invalid_area_m2": format_area(result.invalid_area) if area else None,
        "heads_share": (
            format_fraction_of(result.participating_heads, ballot.roll_heads)
        ),
        "heads_percent": cut_percent(result.participating_heads, ballot.roll_heads),
        "area_percent": (
            cut_percent(result.participating_area, ballot.roll_area) if area else None
        ),
    }


def _option_rows(result: TallyResult, labels: dict, *, area: bool) -> list[dict]:
    return [
        {
            "id": option.option_id,
            "label": labels.get(option.option_id, ""),
            "heads": option.heads,
            "area_m2": format_area(option.area) if area else None,
            "mean_score": (
                format_fraction(option.mean_score)
                if option.mean_score is not None
                else None
            ),
            "mean_score_text": (
                cut_decimal(option.mean_score)
                if option.mean_score is not None
                else None
            ),
            "elected": option.elected,
            "alternate_rank": option.alternate_rank,
            "tied_at_cut": option.tied_at_cut,
        }
        for option in result.options
    ]


def tally_as_dict(ballot: Ballot, result: TallyResult) -> dict:
    labels = dict(BallotOption.objects.filter(ballot=ballot).values_list("pk", "label"))
    area = ballot.weighted_by_area
    return {
        "ballot": ballot.pk,
        "title": ballot.title,
        "kind": ballot.kind,
        "secrecy": ballot.secrecy,
        "consultative": ballot.consultative,
        "status": ballot.status,
        "roll": {
            "as_of": ballot.roll_as_of.isoformat() if ballot.roll_as_of else None,
            "heads": ballot.roll_heads,
            "area_m2": format_area(ballot.roll_area) if area else None,
        },
        "participation": _participation(ballot, result),
        "counting": counting_settings(ballot),
        "by_channel": [
            {
                "channel": channel,
                "heads": heads,
                "area_m2": format_area(a) if area else None,
            }
            for channel, heads, a in result.by_channel
        ],
        "options": _option_rows(result, labels, area=area),
        "winners": list(result.winner_ids),
        "runoff_needed": result.runoff_needed,
        "rounds": [
            {
                "counts": [list(pair) for pair in r.counts],
                "eliminated": list(r.eliminated),
                "exhausted": r.exhausted,
            }
            for r in result.rounds
        ],
        "decision": _worded(
            ballot_decision(ballot, result),
            provisional=ballot.status == Ballot.Status.OPEN,
        ),
    }


def _worded(decision: dict | None, *, provisional: bool) -> dict | None:
    """The decision with its plain-Chinese reading (`domain.wording`) beside it."""
    if not decision or decision.get("error"):
        return decision
    return {**decision, "wording": decision_wording(decision, provisional=provisional)}


def with_wording(tally: dict) -> dict:
    """A tally dict (a frozen one included) with the wording every page shows.

    Results published before the wording existed get it here, on a copy: the frozen
    record and its SHA-256 stay as they were.
    """
    decision = tally.get("decision")
    if not decision or decision.get("error") or "wording" in decision:
        return tally
    provisional = tally.get("status") == Ballot.Status.OPEN
    return {**tally, "decision": _worded(decision, provisional=provisional)}


def format_fraction_of(part: int, whole: int) -> str | None:
    if whole == 0:
        return None
    return format_fraction(Fraction(part, whole))


def ballot_view_tally(ballot: Ballot) -> dict:
    """The tally for a page: the frozen published one, or a fresh count."""
    published = getattr(ballot, "published_tally", None)
    if published is not None:
        return with_wording(published.result)
    return tally_as_dict(ballot, ballot_tally(ballot))


def receipt_counted(ballot: Ballot, code: str) -> bool:
    return SecretPaper.objects.filter(
        ballot=ballot, receipt_hash=receipt_hash(code)
    ).exists()


def manage_context(ballot: Ballot) -> dict:
    """Everything the staff page shows, in a fixed number of queries."""
    voted = set(
        Participation.objects.filter(ballot=ballot).values_list("entry_id", flat=True)
    )
    entries = list(
        RollEntry.objects.filter(ballot=ballot).select_related("voter").order_by("key")
    )
    for entry in entries:
        entry.has_voted = entry.pk in voted
    return {
        "ballot": ballot,
        "options": list(ballot.options.all()),
        "entries": entries,
        "voted_count": len(voted),
        "conflicts": list(
            VoteConflict.objects.filter(ballot=ballot).select_related("entry")[:200]
        ),
        "proxies": list(
            Proxy.objects.filter(ballot=ballot).select_related(
                "principal__voter", "holder"
            )
        ),
        "official_document": PublishedTally.objects.filter(ballot=ballot)
        .exclude(source_document="")
        .exists(),
        "tally": None
        if permissions.tally_hidden_while_open(ballot)
        else ballot_view_tally(ballot),
    }


def scope_choices(community, *, compounds=None) -> list[tuple[str, str]]:
    """Where a ballot's roll may come from, within one community.

    `compounds`: the compounds offered (those the user may convene a ballot over,
    from `permissions.convenable_compounds`); all of the community's by default.
    """
    if compounds is None:
        compounds = Compound.objects.filter(communities=community).order_by("name")
    choices = [(f"community:{community.pk}", f"社区：{community.name}")]
    choices += [(f"compound:{c.pk}", f"小区：{c.name}") for c in compounds]
    choices += [
        (f"building:{b.pk}", f"楼栋：{b}")
        for b in Building.objects.filter(community=community).select_related("compound")
    ]
    choices += [
        (f"residents_group:{g.pk}", f"居民小组：{g.name}")
        for g in ResidentsGroup.objects.filter(community=community)
    ]
    choices += [
        (f"body:{b.pk}", f"组织：{b.name}")
        for b in Body.objects.filter(community=community).order_by("kind", "name")
    ]
    return choices


def ballots_for(user) -> dict[str, list[Ballot]]:
    """The ballots a user sees on their list: to vote on, to manage, published."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    base = Ballot.objects.select_related("community").order_by("-created_at")
    to_vote = (
        list(base.filter(status=Ballot.Status.OPEN, roll__voter=person).distinct())
        if person
        else []
    )
    managed = (
        list(base.filter(community__in=communities_for(user, edit=True))[:100])
        if user.is_authenticated
        else []
    )
    published = list(base.filter(status=Ballot.Status.PUBLISHED)[:50])
    return {"to_vote": to_vote, "managed": managed, "published": published}


def proxies_to_cast(ballot: Ballot, holder) -> list:
    """Authorisations this person holds whose principal has not voted yet."""
    if ballot.status != Ballot.Status.OPEN:
        return []
    voted = Participation.objects.filter(ballot=ballot).values("entry_id")
    return list(
        Proxy.objects.filter(ballot=ballot, holder=holder)
        .exclude(principal_id__in=voted)
        .select_related("principal__voter")
    )


def ballot_or_none(ballot_id: int) -> Ballot | None:
    """A ballot with its community (every permission asks for it), or None."""
    return Ballot.objects.select_related("community").filter(pk=ballot_id).first()


def proxy_or_none(ballot: Ballot, proxy_id: int) -> Proxy | None:
    if not 0 < proxy_id < 2**63:  # a bigint's range: larger is no row, not an error
        return None
    return Proxy.objects.filter(ballot=ballot, pk=proxy_id).first()


def published_tally_or_none(ballot: Ballot) -> PublishedTally | None:
    return PublishedTally.objects.filter(ballot=ballot).first()


def voter_entry(ballot: Ballot, person) -> tuple[RollEntry | None, bool]:
    """This person's roll entry on the ballot, and whether it has voted."""
    if person is None:
        return None, False
    entry = RollEntry.objects.filter(ballot=ballot, voter=person).first()
    voted = (
        entry is not None
        and Participation.objects.filter(ballot=ballot, entry=entry).exists()
    )
    return entry, voted


def ballot_options(ballot: Ballot) -> list[BallotOption]:
    return list(BallotOption.objects.filter(ballot=ballot).order_by("position"))


def person_or_none(person_id: int) -> Person | None:
    return Person.objects.filter(pk=person_id).first()


def community_or_none(slug: str) -> Community | None:
    return Community.objects.filter(slug=slug).first()


def compound_of(community, compound_id: int | None):
    if compound_id is None:
        return None
    return Compound.objects.filter(communities=community, pk=compound_id).first()


from .voters import (  # noqa: E402  (after what voters.py does not need)
    PAPER_CANDIDATES_SHOWN,
    RollCandidate,
    ballots_waiting_for,
    not_on_roll_reason,
    paper_entry_candidates,
    voter_capacity,
)

__all__ = [
    "PAPER_CANDIDATES_SHOWN",
    "RollCandidate",
    "ballot_counting_rows",
    "ballots_waiting_for",
    "counting_rows",
    "counting_settings",
    "not_on_roll_reason",
    "paper_entry_candidates",
    "voter_capacity",
]
