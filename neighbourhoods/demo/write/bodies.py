"""Writing the demo's bodies, their seats and the 两代表一委员."""

from __future__ import annotations

from neighbourhoods import services
from neighbourhoods.models import Body, Membership, Representative

from ..plan.records import TERM_END, TERM_START, BodyKey, Plan
from .people import People
from .places import Places
from .writer import RegisterWriter


def write_bodies(
    writer: RegisterWriter, plan: Plan, places: Places, people: People
) -> None:
    bodies = _bodies(writer, plan, places)
    stored = Membership.objects.filter(body__in=bodies.values())
    existing = dict.fromkeys(
        stored.values_list("body_id", "person_id", "role", "term_start")
    )
    rows = {}
    for m in plan.memberships:
        body, person = bodies[m.body], people.by_id_number[m.person]
        rows[body.pk, person.pk, m.role, m.term_start] = {
            "body": body,
            "person": person,
            "role": m.role,
            "term_start": m.term_start,
            "term_end": m.term_end,
        }
    writer.missing("成员", existing, rows, services.membership_create)
    _representatives(writer, plan, places, people)


def _bodies(writer: RegisterWriter, plan: Plan, places: Places) -> dict[BodyKey, Body]:
    stored = Body.objects.filter(
        community__in=places.communities.values()
    ).select_related("community", "compound")
    existing = {
        (b.community.code, b.compound.slug if b.compound else None, b.kind): b
        for b in stored
    }
    rows = {}
    for b in plan.bodies:
        community, compound, kind = b.key
        rows[b.key] = {
            "community": places.communities[community],
            "compound": places.compounds[compound] if compound else None,
            "kind": kind,
            "name": b.name,
        }
    return writer.missing("组织", existing, rows, services.body_create)


def _representatives(
    writer: RegisterWriter, plan: Plan, places: Places, people: People
) -> None:
    for r in plan.representatives:
        person = people.by_id_number[r.person]
        wanted = [places.communities[code] for code in r.communities]
        rep = Representative.objects.filter(
            person=person, kind=r.kind, level=r.level
        ).first()
        if rep is not None:
            linked = list(rep.communities.all())
            missing = [c for c in wanted if c not in linked]
            if missing:
                # Add back the communities an editor unlinked; keep those added.
                services.register_record_save(
                    actor=None, record=rep, links={"communities": [*linked, *missing]}
                )
            continue
        writer.count("两代表一委员")
        services.representative_create(
            actor=None,
            person=person,
            kind=r.kind,
            level=r.level,
            communities=wanted,
            title=r.title,
            term_start=TERM_START,
            term_end=TERM_END,
        )
