"""Planning who lives where and who owns what: households, residencies, ownerships.

A dwelling is lived in by its owners, let to tenants, or empty; co-owners nominate
one voter; some owners live elsewhere, some bought a second flat or a parking space;
the developer holds what is unsold or undelivered (SPI Art. 9: together one owner).
"""

from __future__ import annotations

import datetime as dt

from neighbourhoods.models import Ownership, Residency

from ..data.places import (
    BUILDINGS,
    COMPOUNDS_BY_SLUG,
    JINSHA,
    OCCUPANCY,
    SHAPES,
    XINCUN,
    YANGGUANG,
    Kind,
)
from .planner import DemoRegisterPlanner
from .records import (
    REFERENCE_DATE,
    HouseholdSpec,
    OwnershipSpec,
    PartSpec,
    PersonSpec,
    ResidencySpec,
)

Basis = Ownership.Basis
# The column of SHAPES that weighs each compound's households; 4 is the tenants'.
SHAPE_COLUMN = {XINCUN: 1, YANGGUANG: 2, JINSHA: 3}
TENANT_COLUMN = 4


def _purchase_date(
    planner: DemoRegisterPlanner, slug: str, owners: list[PersonSpec]
) -> dt.date:
    """When the owners bought: in the compound's sales years, or later, second
    hand, if they were not yet 20 then."""
    first, last = COMPOUNDS_BY_SLUG[slug].purchase_years
    start = dt.date(first, 1, 1)
    end = dt.date(last, 12, 31)
    youngest = max(owner.birth_date for owner in owners)
    grown_up = dt.date(youngest.year + 20, youngest.month, min(youngest.day, 28))
    if grown_up > start:
        start, end = grown_up, max(end, REFERENCE_DATE - dt.timedelta(days=30))
    days = max(1, (end - start).days)
    return start + dt.timedelta(days=planner.rng.randrange(days))


def _own(
    planner: DemoRegisterPlanner, part: PartSpec, owners: list[PersonSpec]
) -> dt.date:
    """Record the owners of a part; returns the purchase date."""
    since = _purchase_date(planner, part.key[0], owners)
    basis = Basis.REGISTERED if part.area_register else Basis.CONTRACT_OCCUPIED
    for n, owner in enumerate(owners):
        planner.plan.ownerships.append(
            OwnershipSpec(
                part=part.key,
                person=owner.id_number,
                developer=None,
                basis=basis,
                nominated_voter=len(owners) > 1 and n == 0,
                start_date=since,
            )
        )
        planner.owned[owner.id_number] += 1
    return since


def _household(
    planner: DemoRegisterPlanner,
    part: PartSpec,
    people: list[PersonSpec],
    *,
    kind: str,
    since: dt.date,
    tenant: bool,
) -> HouseholdSpec:
    slug, building, entrance, room = part.key
    compound = COMPOUNDS_BY_SLUG[slug]
    spec = next(b for b in BUILDINGS if (b.compound, b.number) == (slug, building))
    household = HouseholdSpec(
        key=(part.community, f"{compound.abbr}{building}-{entrance}-{room}"),
        group=spec.group,
        dwelling=part.key,
    )
    planner.plan.households.append(household)
    for n, person in enumerate(people):
        person.household = household.key
        person.tenant = tenant
        planner.plan.residencies.append(
            ResidencySpec(
                person=person.id_number,
                household=household.key,
                kind=kind,
                is_representative=n == 0,
                start_date=max(since, person.birth_date),
            )
        )
    return household


def _shape(planner: DemoRegisterPlanner, column: int) -> str:
    shapes = [s[0] for s in SHAPES]
    return planner.rng.choices(shapes, [s[column] for s in SHAPES])[0]


def plan_homes(planner: DemoRegisterPlanner) -> None:
    """Owners' households first, then let and empty flats, then garages and shops."""
    rng = planner.rng
    dwellings = [
        p
        for p in planner.plan.parts
        if p.kind == Kind.DWELLING and not p.developer_held
    ]
    owner_heads: list[PersonSpec] = []
    let_or_empty: list[tuple[PartSpec, bool]] = []
    for part in dwellings:
        slug = part.key[0]
        status = rng.choices(("own", "let", "empty"), OCCUPANCY[slug])[0]
        if status != "own":
            let_or_empty.append((part, status == "let"))
            continue
        people = planner.members(
            _shape(planner, SHAPE_COLUMN[slug]), part.community, slug
        )
        co_owned = len(people) > 1 and people[1].age >= 18 and rng.random() < 0.35
        since = _own(planner, part, people[:2] if co_owned else people[:1])
        registered = rng.random() < 0.88
        kind = Residency.Kind.REGISTERED if registered else Residency.Kind.HABITUAL
        _household(planner, part, people, kind=kind, since=since, tenant=False)
        owner_heads.append(people[0])
    for part, let in let_or_empty:
        _let_or_empty(planner, part, let, owner_heads)
    _garages_and_shops(planner, owner_heads)


def _let_or_empty(
    planner: DemoRegisterPlanner,
    part: PartSpec,
    let: bool,
    owner_heads: list[PersonSpec],
) -> None:
    rng = planner.rng
    if rng.random() < 0.45:
        # A resident of the demo who bought a second flat.
        pool = [p for p in owner_heads if planner.owned[p.id_number] == 1]
        owners = [rng.choice(pool)]
    else:
        owners = _absent_owners(planner, part.community)
    since = _own(planner, part, owners)
    if let:
        people = planner.members(
            _shape(planner, TENANT_COLUMN), part.community, part.key[0]
        )
        moved_in = dt.date(rng.randint(2021, 2025), rng.randint(1, 12), 1)
        _household(
            planner,
            part,
            people,
            kind=Residency.Kind.HABITUAL,
            since=max(since, moved_in),
            tenant=True,
        )


def _absent_owners(planner: DemoRegisterPlanner, community: str) -> list[PersonSpec]:
    """An owner (sometimes a couple) who lives elsewhere.

    Their home community is the part's: the register keeps them with the
    community where they own, as residents' committees do for absent owners.
    """
    rng = planner.rng
    sex = rng.choice("MF")
    age = rng.randint(33, 76)
    owner = planner.person(sex=sex, age=age, community=community)
    if rng.random() < 0.1:
        spouse = planner.person(
            sex=planner.other_sex(sex),
            age=planner.spouse_age(age),
            community=community,
        )
        return [owner, spouse]
    return [owner]


def _garages_and_shops(
    planner: DemoRegisterPlanner, owner_heads: list[PersonSpec]
) -> None:
    rng = planner.rng
    for part in planner.plan.parts:
        if part.kind == Kind.DWELLING or part.developer_held:
            continue
        if part.kind == Kind.PARKING:
            # Parking is bought by residents of the compound with no space yet.
            pool = [
                p
                for p in owner_heads
                if p.compound == part.key[0] and planner.owned[p.id_number] == 1
            ]
            _own(planner, part, [rng.choice(pool)])
        elif rng.random() < 0.3:
            _own(planner, part, [rng.choice(owner_heads)])
        else:
            _own(planner, part, _absent_owners(planner, part.community))
    for part in planner.plan.parts:
        if part.developer_held:
            planner.plan.ownerships.append(
                OwnershipSpec(
                    part=part.key,
                    person=None,
                    developer=COMPOUNDS_BY_SLUG[part.key[0]].developer_name,
                    basis=Basis.DEVELOPER_HELD,
                    nominated_voter=False,
                    start_date=None,
                )
            )
