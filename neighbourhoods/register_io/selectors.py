"""Reads of the register for its import and export: a community, the roll rows."""

from __future__ import annotations

from django.db.models import Prefetch

from ..models import Community, ExclusivePart, Ownership, Person, Residency
from .columns import COLUMNS
from .parsing import format_area


def community_by_id(community_id: int) -> Community | None:
    return Community.objects.filter(pk=community_id).first()


def community_lookup(value: str) -> Community | None:
    """A community by its 12-digit code or its slug."""
    value = (value or "").strip()
    field = "code" if value.isdigit() else "slug"
    return Community.objects.filter(**{field: value}).first()


EXPORT_KINDS = {
    ExclusivePart.Kind.DWELLING: "住宅",
    ExclusivePart.Kind.PARKING: "车位",
    ExclusivePart.Kind.COMMERCIAL: "商业用房",
}
EXPORT_RESIDENCE = {Residency.Kind.REGISTERED: "户籍", Residency.Kind.HABITUAL: "常住"}
EXPORT_BASIS = {
    Ownership.Basis.REGISTERED: "已登记",
    Ownership.Basis.CONTRACT_OCCUPIED: "合同占有未登记",
}


def _yes(value: bool) -> str:
    return "是" if value else "否"


def _people(community: Community):
    return (
        Person.objects.filter(home_community=community)
        .prefetch_related(
            Prefetch(
                "residencies",
                queryset=Residency.objects.filter(
                    household__community=community, end_date__isnull=True
                )
                .select_related(
                    "household__residents_group",
                    "household__dwelling__building__compound",
                    "household__dwelling__entrance",
                )
                .order_by("id"),
            ),
            Prefetch(
                "ownerships",
                queryset=Ownership.objects.filter(end_date__isnull=True)
                .select_related("part__building__compound", "part__entrance")
                .order_by("id"),
            ),
        )
        .order_by("id")
    )


def roll_rows(community: Community) -> list[dict[str, str]]:
    """Rows keyed by column key, by household (representative first), then id."""
    rows = []
    for person in _people(community):
        residency = next(iter(person.residencies.all()), None)
        household = residency.household if residency else None
        ownerships = list(person.ownerships.all())
        ownership = next(
            (o for o in ownerships if household and o.part_id == household.dwelling_id),
            ownerships[0] if ownerships else None,
        )
        part = ownership.part if ownership else (household and household.dwelling)
        row = dict.fromkeys((c.key for c in COLUMNS), "")
        row.update(
            full_name=person.full_name,
            id_number=person.masked_id_number,
            birth_date=person.birth_date.isoformat() if person.birth_date else "",
            phone=person.masked_phone,
        )
        if part is not None:
            row.update(
                compound=part.building.compound.name,
                building=part.building.number,
                entrance=part.entrance.number if part.entrance_id else "",
                part_number=part.number,
                part_kind=EXPORT_KINDS[part.kind],
                area_register=format_area(part.area_register),
                area_survey=format_area(part.area_survey),
                area_contract=format_area(part.area_contract),
            )
        if residency is not None:
            group = household.residents_group
            row.update(
                household=household.number,
                residents_group=str(group.number) if group else "",
                residence_kind=EXPORT_RESIDENCE[residency.kind],
                representative=_yes(residency.is_representative),
            )
        row["owner"] = _yes(ownership is not None)
        if ownership is not None:
            row.update(
                ownership_basis=EXPORT_BASIS.get(ownership.basis, ""),
                nominated_voter=_yes(ownership.nominated_voter),
            )
        sort_key = (
            row["household"] == "",
            row["household"],
            row["representative"] != "是",
            person.pk,
        )
        rows.append((sort_key, row))
    rows.sort(key=lambda item: item[0])
    return [row for _key, row in rows]
