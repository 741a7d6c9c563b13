"""Voter rolls from the register: read the facts for a scope, let the domain count them.

The counting rules live in `neighbourhoods.rolls.domain` (pure Python); this module
only turns database rows into the domain's facts. A ballot keeps the snapshot for good.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from ..models import Body, ExclusivePart, Membership, Ownership, Residency
from .domain import (
    MemberFact,
    OwnerCountingOptions,
    OwnershipFact,
    PartFact,
    ResidentFact,
    RollBasis,
    RollSnapshot,
    build_member_roll,
    build_owner_roll,
    build_resident_roll,
)
from .scopes import RollScope, RollScopeError, ScopeKind

__all__ = [
    "RollScope",
    "RollScopeError",
    "ScopeKind",
    "member_facts",
    "owner_facts",
    "resident_facts",
    "roll_snapshot",
]


def _active_on(as_of: dt.date, start: str, end: str) -> Q:
    return (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": as_of})) & (
        Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": as_of})
    )


def _residencies(scope: RollScope) -> QuerySet[Residency]:
    filters = {
        ScopeKind.COMMUNITY: "household__community_id",
        ScopeKind.COMPOUND: "household__dwelling__building__compound_id",
        ScopeKind.BUILDING: "household__dwelling__building_id",
        ScopeKind.RESIDENTS_GROUP: "household__residents_group_id",
    }
    if scope.kind not in filters:
        raise RollScopeError(f"residents cannot be counted for a {scope.kind}")
    return Residency.objects.filter(**{filters[scope.kind]: scope.id})


def resident_facts(scope: RollScope, as_of: dt.date) -> list[ResidentFact]:
    rows = _residencies(scope).values_list(
        "person_id",
        "person__birth_date",
        "household_id",
        "is_representative",
        "is_group_representative",
        "kind",
        "start_date",
        "end_date",
    )
    return [
        ResidentFact(
            person_id=row[0],
            birth_date=row[1],
            household_id=row[2],
            is_household_representative=row[3],
            is_group_representative=row[4],
            residence_kind=row[5],
            active=(row[6] is None or row[6] <= as_of)
            and (row[7] is None or row[7] >= as_of),
        )
        for row in rows
    ]


def _memberships(scope: RollScope, basis: RollBasis) -> QuerySet[Membership]:
    memberships = Membership.objects.all()
    if basis == RollBasis.PARTY_MEMBERS:
        memberships = memberships.filter(body__kind__in=Body.PARTY_KINDS)
    if scope.kind == ScopeKind.BODY:
        return memberships.filter(body_id=scope.id)
    if scope.kind == ScopeKind.COMMUNITY:
        return memberships.filter(body__community_id=scope.id)
    if scope.kind == ScopeKind.COMPOUND:
        return memberships.filter(body__compound_id=scope.id)
    raise RollScopeError(f"members cannot be counted for a {scope.kind}")


def member_facts(scope: RollScope, basis: RollBasis) -> list[MemberFact]:
    rows = _memberships(scope, basis).values_list(
        "person_id", "body_id", "role", "term_start", "term_end"
    )
    return [
        MemberFact(
            person_id=person_id, body_id=body_id, role=role, term_start=s, term_end=e
        )
        for person_id, body_id, role, s, e in rows
    ]


def _parts(scope: RollScope) -> QuerySet[ExclusivePart]:
    filters = {
        ScopeKind.COMPOUND: "building__compound_id",
        ScopeKind.BUILDING: "building_id",
        ScopeKind.COMMUNITY: "building__community_id",
    }
    if scope.kind not in filters:
        raise RollScopeError(f"owners cannot be counted for a {scope.kind}")
    return ExclusivePart.objects.filter(**{filters[scope.kind]: scope.id})


def owner_facts(
    scope: RollScope, as_of: dt.date
) -> tuple[list[PartFact], list[OwnershipFact]]:
    parts = _parts(scope)
    part_facts = [
        PartFact(
            part_id=pk,
            kind=kind,
            area_register=register,
            area_survey=survey,
            area_contract=contract,
        )
        for pk, kind, register, survey, contract in parts.values_list(
            "pk", "kind", "area_register", "area_survey", "area_contract"
        )
    ]
    ownerships = Ownership.objects.filter(
        _active_on(as_of, "start_date", "end_date"), part__in=parts
    ).values_list("part_id", "person_id", "developer_id", "nominated_voter")
    ownership_facts = [
        OwnershipFact(
            part_id=part_id,
            person_id=person_id,
            developer_id=developer_id,
            nominated_voter=nominated,
        )
        for part_id, person_id, developer_id, nominated in ownerships
    ]
    return part_facts, ownership_facts


def roll_snapshot(
    *,
    scope: RollScope,
    basis: RollBasis,
    as_of: dt.date,
    options: OwnerCountingOptions | None = None,
) -> RollSnapshot:
    """The immutable roll for `basis` within `scope` on `as_of` (a few queries)."""
    if basis == RollBasis.OWNERS:
        parts, ownerships = owner_facts(scope, as_of)
        return build_owner_roll(
            parts, ownerships, as_of, options or OwnerCountingOptions()
        )
    if basis in (RollBasis.BODY_MEMBERS, RollBasis.PARTY_MEMBERS):
        return build_member_roll(basis, member_facts(scope, basis), as_of)
    return build_resident_roll(basis, resident_facts(scope, as_of), as_of)
