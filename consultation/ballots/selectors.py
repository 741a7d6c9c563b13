"""Reads for ballots: the spec, the streaming tally, and the tally as published JSON."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from fractions import Fraction

from django.db import models
from django.db.models import QuerySet, Sum

from neighbourhoods.models import (
    Body,
    Building,
    Community,
    Compound,
    Person,
    ResidentsGroup,
)
from neighbourhoods.permissions import communities_for

from . import permissions
from .domain.ballots import (
    BallotKind,
    BallotSpec,
    OptionRole,
    OptionSpec,
    PaperRecord,
    TallyResult,
    is_motion,
    tally,
)
from .domain.floors import customise
from .domain.receipts import receipt_hash
from .domain.rules import lookup
from .domain.thresholds import RuleError, evaluate, format_fraction
from .domain.units import format_area
from .models import (
    Ballot,
    BallotOption,
    Participation,
    Proxy,
    RollEntry,
    SecretPaper,
    VoteConflict,
)

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
    return {name: available[name] for name in rule.input_names}


def ballot_decision(ballot: Ballot, result: TallyResult) -> dict | None:
    """The rule applied to a motion's tally, exact fractions as "p/q"."""
    if not ballot.rule_id or not is_motion(ballot.kind):
        return None
    try:
        rule = lookup(ballot.rule_id, ballot.decision_date or ballot.created_at.date())
        if ballot.rule_overrides:
            rule = customise(rule, ballot.rule_overrides)
        return evaluate(
            rule,
            rule_values(ballot, result, rule),
            count_silent_owners_with_majority=ballot.silent_owners_follow_majority,
        ).as_dict()
    except RuleError as error:
        return {"error": str(error)}


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
        "participation": {
            "heads": result.participating_heads,
            "area_m2": format_area(result.participating_area) if area else None,
            "heads_share": (
                format_fraction_of(result.participating_heads, ballot.roll_heads)
            ),
        },
        "by_channel": [
            {
                "channel": channel,
                "heads": heads,
                "area_m2": format_area(a) if area else None,
            }
            for channel, heads, a in result.by_channel
        ],
        "options": [
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
                "elected": option.elected,
                "alternate_rank": option.alternate_rank,
                "tied_at_cut": option.tied_at_cut,
            }
            for option in result.options
        ],
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
        "decision": ballot_decision(ballot, result),
    }


def format_fraction_of(part: int, whole: int) -> str | None:
    if whole == 0:
        return None
    return format_fraction(Fraction(part, whole))


def ballot_view_tally(ballot: Ballot) -> dict:
    """The tally for a page: the frozen published one, or a fresh count."""
    published = getattr(ballot, "published_tally", None)
    if published is not None:
        return published.result
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
            Proxy.objects.filter(ballot=ballot).select_related("principal", "holder")
        ),
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
