"""Creating the register's places: subdistricts, communities, groups, grids,
compounds, buildings, entrances, exclusive parts and developers.

Each service is atomic, asks `permissions` through `common.record_save` and writes
one audit line. Changes and deletions made in the admin go through `records`.
"""

from __future__ import annotations

from django.db import transaction

from ..models import (
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
from .common import record_save


@transaction.atomic
def subdistrict_create(*, actor, code: str, name: str) -> Subdistrict:
    record = Subdistrict(code=code, name=name)
    return record_save(actor=actor, record=record, action="subdistrict_create")


@transaction.atomic
def community_create(
    *,
    actor,
    subdistrict: Subdistrict,
    code: str,
    name: str,
    slug: str,
    urban_rural_code: str = "",
) -> Community:
    record = Community(
        subdistrict=subdistrict,
        code=code,
        name=name,
        slug=slug,
        urban_rural_code=urban_rural_code,
    )
    return record_save(actor=actor, record=record, action="community_create")


@transaction.atomic
def residents_group_create(
    *, actor, community: Community, number: int, name: str
) -> ResidentsGroup:
    record = ResidentsGroup(community=community, number=number, name=name)
    return record_save(actor=actor, record=record, action="residents_group_create")


@transaction.atomic
def grid_create(
    *,
    actor,
    community: Community,
    name: str,
    code: str = "",
    worker_name: str = "",
    worker_phone: str = "",
) -> Grid:
    record = Grid(
        community=community,
        name=name,
        code=code,
        worker_name=worker_name,
        worker_phone=worker_phone,
    )
    return record_save(actor=actor, record=record, action="grid_create")


@transaction.atomic
def compound_create(
    *,
    actor,
    subdistrict: Subdistrict,
    communities: list[Community],
    name: str,
    slug: str,
    address: str = "",
    developer_name: str = "",
) -> Compound:
    """A compound (物业管理区域) in one or more communities, all editable by `actor`."""
    record = Compound(
        subdistrict=subdistrict,
        name=name,
        slug=slug,
        address=address,
        developer_name=developer_name,
    )
    return record_save(
        actor=actor,
        record=record,
        action="compound_create",
        links={"communities": communities},
    )


@transaction.atomic
def building_create(
    *,
    actor,
    compound: Compound,
    community: Community,
    number: str,
    grid: Grid | None = None,
) -> Building:
    """A building; its community must be one of its compound's (RegisterError)."""
    record = Building(compound=compound, community=community, number=number, grid=grid)
    return record_save(actor=actor, record=record, action="building_create")


@transaction.atomic
def entrance_create(*, actor, building: Building, number: str) -> Entrance:
    record = Entrance(building=building, number=number)
    return record_save(actor=actor, record=record, action="entrance_create")


@transaction.atomic
def part_create(
    *,
    actor,
    building: Building,
    kind: str,
    number: str,
    entrance: Entrance | None = None,
    area_register: int | None = None,
    area_survey: int | None = None,
    area_contract: int | None = None,
    unit_code: str = "",
) -> ExclusivePart:
    """An exclusive part (专有部分); areas in integer 0.01 m² (SPI Art. 8)."""
    record = ExclusivePart(
        building=building,
        entrance=entrance,
        kind=kind,
        number=number,
        area_register=area_register,
        area_survey=area_survey,
        area_contract=area_contract,
        unit_code=unit_code,
    )
    return record_save(actor=actor, record=record, action="part_create")


@transaction.atomic
def developer_create(*, actor, name: str) -> Developer:
    record = Developer(name=name)
    return record_save(actor=actor, record=record, action="developer_create")
