"""A residents' proposal's support, counted against its convening threshold.

Who counts (RULES.md §3.1, §9a): for a residents' meeting, residents of the
community aged 18 or over on the day (the register's roll), their households, the
residents' groups that proposed as a group, and — under the 2025 placeholder — the
residents' representatives; for an extraordinary owners' assembly, the owners of
the compound counted per SPI Art. 9 (the owners' roll). The rule is the convening
rule in force today, with the community's setting (a threshold may be lowered,
never raised). The committee's due date to put a proposal on an agenda runs from
the day the threshold was met (`yishi.deadlines`, 民法典第二百零一条至第二百零四条),
computed on read: an overdue proposal is overdue today, without a timer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from consultation.ballots.domain.rules import Rule, customise, rule_for
from consultation.ballots.models import CommunityVotingSettings
from consultation.ballots.services.community_settings import overrides_for
from neighbourhoods.models import Body, Residency, ResidentsGroup
from neighbourhoods.rolls.domain import RollBasis, RollSnapshot
from neighbourhoods.rolls.scopes import RollScope, ScopeKind
from neighbourhoods.rolls.selectors import roll_snapshot
from yishi import deadlines
from yishi.deadlines.domain import Deadline, HolidayCalendar, period_end

from ..domain.support import Progress, progress
from ..models import ResidentProposal
from .members import all_members

FAMILIES = {
    ResidentProposal.AddressedTo.RESIDENTS_MEETING: "residents-meeting-convening",
    ResidentProposal.AddressedTo.OWNERS_EXTRAORDINARY: "owners-extraordinary-meeting",
}


def holiday_calendar() -> HolidayCalendar:
    """The shared holiday calendar (a year it does not know is flagged, never
    guessed)."""
    return deadlines.calendar()


def _settings(community) -> CommunityVotingSettings:
    found = CommunityVotingSettings.objects.filter(community=community).first()
    return found or CommunityVotingSettings(community=community)


def convening_rule(proposal: ResidentProposal, day: dt.date) -> Rule:
    family = FAMILIES[proposal.addressed_to]
    rule = rule_for(family, day)
    changes = overrides_for(_settings(proposal.community).rule_overrides, family)
    return customise(rule, changes) if changes else rule


@dataclass(frozen=True)
class Electorate:
    """Who may support, and how their supports count."""

    roll: RollSnapshot
    # person id -> the roll keys their support counts for (owners) or household.
    households: dict[int, int]
    representatives: frozenset[int]
    groups: int

    def eligible(self, person_id: int) -> bool:
        return any(person_id in m.person_ids for m in self.roll.members)


def electorate(proposal: ResidentProposal, day: dt.date) -> Electorate:
    community = proposal.community
    if proposal.addressed_to == ResidentProposal.AddressedTo.OWNERS_EXTRAORDINARY:
        roll = roll_snapshot(
            scope=RollScope(ScopeKind.COMPOUND, proposal.compound_id),
            basis=RollBasis.OWNERS,
            as_of=day,
        )
        return Electorate(roll, {}, frozenset(), 0)
    roll = roll_snapshot(
        scope=RollScope(ScopeKind.COMMUNITY, community.pk),
        basis=RollBasis.RESIDENTS_ADULT,
        as_of=day,
    )
    adults = {pid for m in roll.members for pid in m.person_ids}
    households = dict(
        Residency.objects.filter(
            household__community=community, person_id__in=adults
        ).values_list("person_id", "household_id")
    )
    bodies = Body.objects.filter(
        community=community, kind=Body.Kind.REPRESENTATIVES_MEETING
    )
    representatives = frozenset(
        pid for body in bodies for pid in all_members(body, on=day)
    )
    groups = ResidentsGroup.objects.filter(community=community).count()
    return Electorate(roll, households, representatives, groups)


def _values(proposal, rule: Rule, found: Electorate, supporters: set[int]) -> dict:
    roll = found.roll
    if proposal.addressed_to == ResidentProposal.AddressedTo.OWNERS_EXTRAORDINARY:
        owners = sum(1 for m in roll.members if supporters & set(m.person_ids))
        return {"total_owners": roll.head_count, "proposing_owners": owners}
    adults = {pid for m in roll.members for pid in m.person_ids}
    counted = supporters & adults
    values = {
        "adult_residents": len(adults),
        "proposing_residents": len(counted),
        "resident_households": len(set(found.households.values())),
        "proposing_households": len(
            {found.households[p] for p in counted if p in found.households}
        ),
        "resident_groups": found.groups,
        "proposing_groups": proposal.group_acts.count(),
        "representatives": len(found.representatives),
        "proposing_representatives": len(supporters & found.representatives),
    }
    return {name: values[name] for name in rule.input_names}


def support_progress(proposal: ResidentProposal, day: dt.date | None = None):
    """(progress against the threshold, the electorate) on `day` (today)."""
    day = day or timezone.localdate()
    rule = convening_rule(proposal, day)
    found = electorate(proposal, day)
    supporters = set(proposal.supports.values_list("person_id", flat=True))
    return progress(rule, _values(proposal, rule, found, supporters)), found


def agenda_deadline(proposal: ResidentProposal) -> Deadline | None:
    """When the committee must have put a met proposal on an agenda."""
    if proposal.threshold_met_on is None:
        return None
    days = _settings(proposal.community).proposal_agenda_days
    return period_end(proposal.threshold_met_on, days, holiday_calendar())


def is_overdue(proposal: ResidentProposal, today: dt.date | None = None) -> bool:
    due = agenda_deadline(proposal)
    return (
        due is not None
        and proposal.status == ResidentProposal.Status.MET
        and due.is_past(today or timezone.localdate())
    )


__all__ = [
    "Electorate",
    "Progress",
    "agenda_deadline",
    "convening_rule",
    "electorate",
    "holiday_calendar",
    "is_overdue",
    "support_progress",
]


def unit_candidates(proposal: ResidentProposal, query: str) -> list:
    """The people of a unit ("3-2-501") who may sign a proposal on paper: adult
    residents of the dwelling (a residents' meeting) or its owners (an owners'
    assembly), at most 50."""
    from consultation.ballots.domain.finding import unit_matches, unit_parts, unit_query
    from neighbourhoods.models import ExclusivePart, Person

    wanted = unit_query(query or "")
    if not wanted:
        return []
    owners = proposal.addressed_to == ResidentProposal.AddressedTo.OWNERS_EXTRAORDINARY
    parts = ExclusivePart.objects.select_related("building", "entrance")
    parts = (
        parts.filter(building__compound_id=proposal.compound_id)
        if owners
        else parts.filter(building__community_id=proposal.community_id)
    )
    ids = [
        part.pk
        for part in parts
        if unit_matches(
            wanted,
            unit_parts(
                part.building.number,
                part.entrance.number if part.entrance_id else "",
                part.number,
            ),
        )
    ][:50]
    people = (
        Person.objects.filter(ownerships__part_id__in=ids)
        if owners
        else Person.objects.filter(residencies__household__dwelling_id__in=ids)
    )
    found = electorate(proposal, timezone.localdate())
    return [
        p for p in people.distinct().order_by("full_name")[:50] if found.eligible(p.pk)
    ]
