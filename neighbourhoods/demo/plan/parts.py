"""Planning the exclusive parts: flats, parking spaces and shops, and their areas.

SPI Art. 8 counts the registered area, else the surveyed one, else the contract's;
the demo has parts of each kind, and developer-held ones (SPI Art. 9).
"""

from __future__ import annotations

from collections import Counter

from ..data.places import (
    BUILDINGS,
    COMPOUNDS_BY_SLUG,
    DEVELOPER_HELD,
    JINSHA,
    PARKING,
    SHOPS,
    SUBDISTRICT_CODE,
    XINCUN,
    BuildingSpec,
    CompoundSpec,
    Kind,
)
from .planner import DemoRegisterPlanner
from .records import PartSpec


def plan_parts(planner: DemoRegisterPlanner) -> None:
    """Every flat of every building, then each compound's garage and shops."""
    for building in BUILDINGS:
        compound = COMPOUNDS_BY_SLUG[building.compound]
        _flats(planner, compound, building)
        buildings = [b for b in BUILDINGS if b.compound == compound.slug]
        if building is buildings[-1]:
            _garage_and_shops(planner, compound, buildings)
    counters: Counter[str] = Counter()
    for part in planner.plan.parts:
        compound = COMPOUNDS_BY_SLUG[part.key[0]]
        if part.area_register is not None:
            counters[part.key[0] + part.key[1]] += 1
            # GB/T 37346 layout (illustrative): county, cadastral zone and
            # subzone, "GB", parcel, "F", building, unit.
            part.unit_code = (
                f"510402{SUBDISTRICT_CODE[-3:]}{part.community[-3:]}GB"
                f"{compound.parcel:05d}F{int(part.key[1]):04d}"
                f"{counters[part.key[0] + part.key[1]]:04d}"
            )


def _flats(
    planner: DemoRegisterPlanner, compound: CompoundSpec, building: BuildingSpec
) -> None:
    rng = planner.rng
    variation = rng.randint(-120, 120)
    for entrance in range(1, building.entrances + 1):
        for floor in range(1, building.floors + 1):
            for flat, base in enumerate(building.flat_areas, start=1):
                area = base + variation + rng.randint(-30, 30)
                planner.plan.parts.append(
                    PartSpec(
                        key=(
                            compound.slug,
                            building.number,
                            str(entrance),
                            f"{floor}{flat:02d}",
                        ),
                        kind=Kind.DWELLING,
                        community=building.community,
                        area_register=area,
                    )
                )


def _garage_and_shops(
    planner: DemoRegisterPlanner, compound: CompoundSpec, buildings: list
) -> None:
    rng = planner.rng
    slug = compound.slug
    spaces = PARKING.get(slug, 0)
    per_building = -(-spaces // len(buildings))
    for n in range(spaces):
        building = buildings[n // per_building]
        planner.plan.parts.append(
            PartSpec(
                key=(slug, building.number, None, f"B1-{n + 1:03d}"),
                kind=Kind.PARKING,
                community=building.community,
                area_register=rng.randint(1200, 1500),
            )
        )
    for n in range(SHOPS.get(slug, 0)):
        planner.plan.parts.append(
            PartSpec(
                key=(slug, buildings[0].number, None, f"S{n + 1:02d}"),
                kind=Kind.COMMERCIAL,
                community=buildings[0].community,
                area_register=rng.randint(45, 120) * 100 + rng.randrange(100),
            )
        )


def plan_area_sources(planner: DemoRegisterPlanner) -> None:
    """Developer-held parts and SPI Art. 8 sources: register, survey, contract."""
    rng = planner.rng
    parts = planner.plan.parts
    for slug, kinds in DEVELOPER_HELD.items():
        for kind, count in kinds.items():
            pool = [p for p in parts if p.key[0] == slug and p.kind == kind]
            for part in rng.sample(pool, count):
                part.developer_held = True
    for part in parts:
        slug = part.key[0]
        area = part.area_register
        assert area is not None
        contract = area + rng.randint(-60, 60)
        if part.developer_held:
            # Unsold: surveyed only; sold but not yet delivered: contract only.
            part.area_register = None
            if rng.random() < 0.5:
                part.area_survey = area
            else:
                part.area_contract = contract
        elif slug == XINCUN:
            pass  # 房改房: registered long ago, no developer's sale contract
        elif slug == JINSHA and rng.random() < 0.3:
            # Delivered, not yet registered: survey and contract areas.
            part.area_register, part.area_survey = None, area
            part.area_contract = contract
        elif part.kind == Kind.PARKING and rng.random() < 0.4:
            # Parking sold by contract only, never registered.
            part.area_register, part.area_contract = None, contract
        else:
            part.area_contract = contract
