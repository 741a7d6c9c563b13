"""Writing the demo's places: subdistrict, communities, groups, grids, developers,
compounds, buildings, entrances and exclusive parts."""

from __future__ import annotations

from dataclasses import dataclass

from neighbourhoods import services
from neighbourhoods.models import (
    Building,
    Community,
    Compound,
    Developer,
    Entrance,
    ExclusivePart,
    Grid,
    ResidentsGroup,
    Subdistrict,
)

from ..data.places import (
    BUILDINGS,
    COMMUNITIES,
    COMPOUNDS,
    GROUP_NAMES,
    SUBDISTRICT_CODE,
    SUBDISTRICT_NAME,
)
from ..plan.records import PartKey, Plan
from .writer import RegisterWriter


@dataclass
class Places:
    """The written places, by the plan's natural keys."""

    subdistrict: Subdistrict
    communities: dict[str, Community]  # by code
    groups: dict[tuple[str, int], ResidentsGroup]  # (community code, number)
    grids: dict[tuple[str, str], Grid]  # (community code, name)
    developers: dict[str, Developer]  # by name
    compounds: dict[str, Compound]  # by slug
    buildings: dict[tuple[str, str], Building]  # (compound slug, number)
    parts: dict[PartKey, ExclusivePart]


def write_places(writer: RegisterWriter, plan: Plan) -> Places:
    subdistrict = writer.ensure(
        "街道",
        Subdistrict.objects.filter(code=SUBDISTRICT_CODE).first(),
        lambda: services.subdistrict_create(
            actor=None, code=SUBDISTRICT_CODE, name=SUBDISTRICT_NAME
        ),
    )
    communities = {
        c.code: writer.ensure(
            "社区",
            Community.objects.filter(code=c.code).first(),
            lambda c=c: services.community_create(
                actor=None,
                subdistrict=subdistrict,
                code=c.code,
                name=c.name,
                slug=c.slug,
                urban_rural_code=c.urban_rural_code,
            ),
        )
        for c in COMMUNITIES
    }
    places = Places(subdistrict, communities, {}, {}, {}, {}, {}, {})
    _groups_and_grids(writer, plan, places)
    _developers_and_compounds(writer, plan, places)
    _buildings(writer, places)
    _parts(writer, plan, places)
    return places


def _groups_and_grids(writer: RegisterWriter, plan: Plan, places: Places) -> None:
    for code, community in places.communities.items():
        for number, name in GROUP_NAMES.items():
            places.groups[code, number] = writer.ensure(
                "居民小组",
                community.residents_groups.filter(number=number).first(),
                lambda community=community, number=number, name=name: (
                    services.residents_group_create(
                        actor=None, community=community, number=number, name=name
                    )
                ),
            )
    for (code, name), (worker, phone) in plan.grid_workers.items():
        community = places.communities[code]
        places.grids[code, name] = writer.ensure(
            "网格",
            community.grids.filter(name=name).first(),
            lambda community=community, name=name, worker=worker, phone=phone: (
                services.grid_create(
                    actor=None,
                    community=community,
                    name=name,
                    worker_name=worker,
                    worker_phone=phone,
                )
            ),
        )


def _developers_and_compounds(
    writer: RegisterWriter, plan: Plan, places: Places
) -> None:
    for name in sorted({o.developer for o in plan.ownerships if o.developer}):
        places.developers[name] = writer.ensure(
            "建设单位",
            Developer.objects.filter(name=name).first(),
            lambda name=name: services.developer_create(actor=None, name=name),
        )
    for spec in COMPOUNDS:
        wanted = [places.communities[code] for code in spec.communities]
        compound = Compound.objects.filter(slug=spec.slug).first()
        if compound is None:
            writer.count("小区")
            compound = services.compound_create(
                actor=None,
                subdistrict=places.subdistrict,
                communities=wanted,
                name=spec.name,
                slug=spec.slug,
                address=spec.address,
                developer_name=spec.developer_name,
            )
        else:
            _relink(compound, wanted)
        places.compounds[spec.slug] = compound


def _relink(record: Compound, wanted: list[Community]) -> None:
    """Add back the demo's communities an editor unlinked; keep those added."""
    linked = list(record.communities.all())
    missing = [c for c in wanted if c not in linked]
    if missing:
        services.register_record_save(
            actor=None, record=record, links={"communities": [*linked, *missing]}
        )


def _buildings(writer: RegisterWriter, places: Places) -> None:
    for b in BUILDINGS:
        compound = places.compounds[b.compound]
        places.buildings[b.compound, b.number] = writer.ensure(
            "楼栋",
            compound.buildings.filter(number=b.number)
            .select_related("compound")
            .first(),
            lambda b=b, compound=compound: services.building_create(
                actor=None,
                compound=compound,
                community=places.communities[b.community],
                number=b.number,
                grid=places.grids[b.community, b.grid],
            ),
        )


def _entrances(writer: RegisterWriter, places: Places) -> dict:
    buildings = places.buildings
    existing = {
        (e.building.compound.slug, e.building.number, e.number): e
        for e in Entrance.objects.filter(
            building__in=buildings.values()
        ).select_related("building__compound")
    }
    rows = {
        (b.compound, b.number, str(n)): {
            "building": buildings[b.compound, b.number],
            "number": str(n),
        }
        for b in BUILDINGS
        for n in range(1, b.entrances + 1)
    }
    return writer.missing("单元", existing, rows, services.entrance_create)


def _parts(writer: RegisterWriter, plan: Plan, places: Places) -> None:
    entrances = _entrances(writer, places)
    stored = ExclusivePart.objects.filter(
        building__in=places.buildings.values()
    ).select_related("building__compound", "entrance")
    existing = {
        (
            p.building.compound.slug,
            p.building.number,
            p.entrance.number if p.entrance else None,
            p.number,
        ): p
        for p in stored
    }
    rows = {}
    for p in plan.parts:
        slug, building, entrance, number = p.key
        rows[p.key] = {
            "building": places.buildings[slug, building],
            "entrance": entrances[slug, building, entrance] if entrance else None,
            "kind": p.kind,
            "number": number,
            "area_register": p.area_register,
            "area_survey": p.area_survey,
            "area_contract": p.area_contract,
            "unit_code": p.unit_code,
        }
    places.parts = writer.missing("专有部分", existing, rows, services.part_create)
