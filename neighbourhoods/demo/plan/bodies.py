"""Planning the community's bodies and their seats, the 两代表一委员 and the grids.

Each community has its party organisation, residents' committee, supervisory
committee, representatives' meeting and council; each compound a party branch and an
owners' (or self-management) committee. Seats are drawn without repeats: nobody
holds two, except the party secretary who also chairs the residents' committee
(“一肩挑”, common practice).
"""

from __future__ import annotations

from neighbourhoods.models import Body, Membership, Representative

from ..data.places import (
    COMMUNITIES,
    COMPOUNDS,
    GRID_1,
    GRID_2,
    GROUP_NAMES,
    JINSHA,
    JS,
    PARTY_SHARE,
    XINCUN,
    YG,
    CommunitySpec,
    CompoundSpec,
)
from .planner import DemoRegisterPlanner
from .records import REFERENCE_DATE, HouseholdKey, PersonSpec, RepresentativeSpec

Role = Membership.Role
PROBATIONARY_UNDER = 25  # years: party picks take people of 25 and over
PROBATIONARY_PER_COMMUNITY = 2
BodyKind = Body.Kind
RepKind = Representative.Kind


def plan_party_members(planner: DemoRegisterPlanner) -> None:
    """About 8% of adult residents are party members, more among the retired."""
    rng = planner.rng
    for community in COMMUNITIES:
        adults = [p for p in planner.residents(community.code) if p.age >= 18]
        # Weighted sampling without replacement (Efraimidis–Spirakis): the k
        # largest u ** (1 / weight) win.
        keyed = sorted(
            adults,
            key=lambda p: rng.random() ** (1 / (1 + 2 * (p.age >= 60))),
            reverse=True,
        )
        chosen = keyed[: round(len(adults) * PARTY_SHARE)]
        for person in chosen:
            person.party_member = True
        # The youngest members joined last and are still probationary (预备党员,
        # no vote): under 25, so no party pick (25 and over) ever seats them.
        young = sorted(
            (p for p in chosen if p.age < PROBATIONARY_UNDER),
            key=lambda p: (p.birth_date, p.id_number),
            reverse=True,
        )
        for person in young[:PROBATIONARY_PER_COMMUNITY]:
            person.probationary = True


def _party_role(person: PersonSpec) -> str:
    return Role.PROBATIONARY_MEMBER if person.probationary else Role.PARTY_MEMBER


def plan_bodies(planner: DemoRegisterPlanner) -> dict[str, PersonSpec]:
    """The bodies and their members; returns the people the logins need."""
    found: dict[str, PersonSpec] = {}
    for community in COMMUNITIES:
        adults = [p for p in planner.residents(community.code) if p.age >= 18]
        leader, members = _party_and_committee(planner, community, adults)
        found[f"committee:{community.code}"] = members[0]
        _supervisory(planner, community, adults, (leader, *members))
        _representatives_meeting(planner, community, adults)
        council = planner.body(
            community.code, None, BodyKind.COUNCIL, f"{community.name}居民议事会"
        )
        planner.seat(
            council, planner.pick(adults, planner.taken, ages=(50, 72)), Role.CHAIR
        )
        for _ in range(6):
            planner.seat(council, planner.pick(adults, planner.taken), Role.MEMBER)
    for compound in COMPOUNDS:
        found[f"secretary:{compound.slug}"] = _compound_bodies(planner, compound)
    return found


def _party_and_committee(
    planner: DemoRegisterPlanner, community: CommunitySpec, adults: list[PersonSpec]
) -> tuple[PersonSpec, list[PersonSpec]]:
    """The party organisation and the residents' committee: (leader, members)."""
    code, pick, taken = community.code, planner.pick, planner.taken
    leader = pick(adults, taken, ages=(38, 55), party=True)
    party = planner.body(
        code, None, BodyKind.PARTY_ORGANISATION, f"中共{community.name}委员会"
    )
    planner.seat(party, leader, Role.SECRETARY)
    planner.seat(party, pick(adults, taken, party=True), Role.DEPUTY_SECRETARY)
    for _ in range(3):
        planner.seat(party, pick(adults, taken, party=True), Role.MEMBER)
    for person in adults:
        if person.party_member:
            planner.seat(party, person, _party_role(person), term=False)
    committee = planner.body(
        code, None, BodyKind.RESIDENTS_COMMITTEE, f"{community.name}居民委员会"
    )
    planner.seat(committee, leader, Role.CHAIR)
    planner.seat(committee, pick(adults, taken, ages=(30, 55)), Role.VICE_CHAIR)
    members = [pick(adults, taken, ages=(26, 55)) for _ in range(3)]
    for person in members:
        planner.seat(committee, person, Role.MEMBER)
    return leader, members


def _supervisory(
    planner: DemoRegisterPlanner,
    community: CommunitySpec,
    adults: list[PersonSpec],
    committee: tuple[PersonSpec, ...],
) -> None:
    """Supervisors may not be committee members or live with one."""
    committee_homes = {p.household for p in committee}
    clear = [p for p in adults if p.household not in committee_homes]
    supervisory = planner.body(
        community.code,
        None,
        BodyKind.SUPERVISORY,
        f"{community.name}居务监督委员会",
    )
    pick, taken = planner.pick, planner.taken
    planner.seat(supervisory, pick(clear, taken, ages=(35, 70)), Role.CHAIR)
    for _ in range(2):
        planner.seat(supervisory, pick(clear, taken), Role.MEMBER)


def _representatives_meeting(
    planner: DemoRegisterPlanner, community: CommunitySpec, adults: list[PersonSpec]
) -> None:
    """Three representatives elected per residents' group, who also form the
    residents' meeting when it meets by group representatives (城市居民委员会组织法
    2018 Art. 9: 二至三人)."""
    meeting = planner.body(
        community.code,
        None,
        BodyKind.REPRESENTATIVES_MEETING,
        f"{community.name}居民代表会议",
    )
    households = {h.key: h for h in planner.plan.households}
    for group in GROUP_NAMES:
        in_group = [p for p in adults if households[p.household].group == group]
        chosen: set[HouseholdKey] = set()
        for _ in range(3):
            rep = planner.pick(
                [p for p in in_group if p.household not in chosen],
                planner.taken,
                ages=(30, 75),
            )
            chosen.add(rep.household)
            planner.seat(meeting, rep, Role.REPRESENTATIVE)
            for residency in planner.plan.residencies:
                if residency.person == rep.id_number:
                    residency.is_group_representative = True


def _compound_bodies(planner: DemoRegisterPlanner, compound: CompoundSpec):
    """A compound's party branch and owners' committee; returns its secretary."""
    code, pick, taken = compound.communities[0], planner.pick, planner.taken
    pool = [p for p in planner.residents(compound=compound.slug) if p.age >= 18]
    branch = planner.body(
        code, compound.slug, BodyKind.PARTY_BRANCH, f"{compound.name}小区党支部"
    )
    secretary = pick(pool, taken, ages=(35, 68), party=True)
    planner.seat(branch, secretary, Role.SECRETARY)
    for _ in range(2):
        planner.seat(branch, pick(pool, taken, party=True), Role.MEMBER)
    for person in pool:
        if person.party_member:
            planner.seat(branch, person, _party_role(person), term=False)
    if compound.slug == XINCUN:
        kind, name = BodyKind.SELF_MANAGEMENT, f"{compound.name}自治管理委员会"
    else:
        kind, name = BodyKind.OWNERS_COMMITTEE, f"{compound.name}业主委员会"
    board = planner.body(code, compound.slug, kind, name)
    planner.seat(board, pick(pool, taken, ages=(35, 70), owners=True), Role.CHAIR)
    planner.seat(board, pick(pool, taken, owners=True), Role.VICE_CHAIR)
    for _ in range(3):
        planner.seat(board, pick(pool, taken, owners=True), Role.MEMBER)
    return secretary


def plan_representatives(
    planner: DemoRegisterPlanner, found: dict[str, PersonSpec]
) -> None:
    """Two deputies and a CPPCC member at district level (两代表一委员)."""
    taken, residents = planner.taken, planner.residents
    deputy = planner.pick(
        [p for p in residents(compound=XINCUN) if not p.tenant], taken, ages=(42, 60)
    )
    member = planner.pick(
        [p for p in residents(compound=JINSHA) if not p.tenant], taken, ages=(38, 60)
    )
    # The 阳光社区 party secretary is a delegate to the district party congress.
    delegate = next(
        planner.people[m.person]
        for m in planner.plan.memberships
        if m.body == (YG, None, BodyKind.PARTY_ORGANISATION)
        and m.role == Role.SECRETARY
    )
    for person, kind, title, communities in (
        (deputy, RepKind.PEOPLES_CONGRESS, "攀枝花市东区人大代表", (YG, JS)),
        (member, RepKind.CPPCC, "政协攀枝花市东区委员会委员", (JS,)),
        (delegate, RepKind.PARTY_CONGRESS, "中共攀枝花市东区代表大会代表", (YG,)),
    ):
        planner.plan.representatives.append(
            RepresentativeSpec(
                person=person.id_number,
                kind=kind,
                level=Representative.Level.DISTRICT,
                title=title,
                communities=communities,
            )
        )
    found["deputy"] = deputy


def plan_grid_workers(planner: DemoRegisterPlanner) -> None:
    for community in COMMUNITIES:
        for grid in (GRID_1, GRID_2):
            sex = planner.rng.choice("MF")
            birth_year = REFERENCE_DATE.year - planner.rng.randint(26, 45)
            planner.plan.grid_workers[(community.code, grid)] = (
                planner.name(sex, birth_year),
                planner.phone(),
            )
