"""Creating bodies and their seats, the 两代表一委员, and staff's register rights."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from ..models import (
    Body,
    Community,
    Compound,
    Membership,
    Person,
    Representative,
    StaffAssignment,
    Subdistrict,
)
from .common import record_save


@transaction.atomic
def body_create(
    *,
    actor,
    community: Community,
    kind: str,
    name: str,
    compound: Compound | None = None,
) -> Body:
    record = Body(community=community, compound=compound, kind=kind, name=name)
    return record_save(actor=actor, record=record, action="body_create")


@transaction.atomic
def membership_create(
    *,
    actor,
    body: Body,
    person: Person,
    role: str,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> Membership:
    """A seat in a body (term end inclusive); party membership has no term."""
    record = Membership(
        body=body, person=person, role=role, term_start=term_start, term_end=term_end
    )
    return record_save(actor=actor, record=record, action="membership_create")


@transaction.atomic
def representative_create(
    *,
    actor,
    person: Person,
    kind: str,
    level: str,
    communities: list[Community],
    title: str = "",
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> Representative:
    """A deputy or member linked with `communities`, all editable by `actor`."""
    record = Representative(
        person=person,
        kind=kind,
        level=level,
        title=title,
        term_start=term_start,
        term_end=term_end,
    )
    return record_save(
        actor=actor,
        record=record,
        action="representative_create",
        links={"communities": communities},
    )


@transaction.atomic
def staff_assignment_create(
    *,
    actor,
    user,
    role: str,
    community: Community | None = None,
    subdistrict: Subdistrict | None = None,
) -> StaffAssignment:
    """Register rights for `user` over a community or a subdistrict (superusers)."""
    record = StaffAssignment(
        user=user, role=role, community=community, subdistrict=subdistrict
    )
    return record_save(actor=actor, record=record, action="staff_assignment_create")
