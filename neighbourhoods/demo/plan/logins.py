"""Planning the demo logins: who each printed account is in the demo register."""

from __future__ import annotations

from ..data.places import COMPOUNDS, SUBDISTRICT_CODE, YANGGUANG, YG, Kind
from .planner import DemoRegisterPlanner
from .records import LoginSpec, OwnershipSpec, PersonSpec


def _where(person: PersonSpec) -> str:
    _, number = person.household
    compound, rest = number[:2], number[2:]
    name = next(c.name for c in COMPOUNDS if c.abbr == compound)
    building, entrance, room = rest.split("-")
    return f"{name}{building}栋{entrance}单元{room}"


def _resident_and_owner(
    planner: DemoRegisterPlanner,
) -> tuple[PersonSpec, PersonSpec]:
    """A tenant who represents their household, and a co-owner (the nominated
    voter) with a parking space: both in 阳光花园, holding no seat."""
    plan = planner.plan
    seated = {m.person for m in plan.memberships} | planner.taken
    owners_of: dict[str, list[OwnershipSpec]] = {}
    for ownership in plan.ownerships:
        if ownership.person:
            owners_of.setdefault(ownership.person, []).append(ownership)
    kinds = {p.key: p.kind for p in plan.parts}
    representatives = {r.person for r in plan.residencies if r.is_representative}
    residents = [
        p
        for p in planner.residents(compound=YANGGUANG)
        if p.id_number not in seated and 25 <= p.age <= 60
    ]
    resident = next(
        p
        for p in residents
        if p.tenant and p.id_number not in owners_of and p.id_number in representatives
    )

    def good_owner(person: PersonSpec) -> bool:
        held = owners_of.get(person.id_number, [])
        return (
            not person.tenant
            and any(o.nominated_voter for o in held)
            and Kind.PARKING in {kinds[o.part] for o in held}
        )

    return resident, next(p for p in residents if good_owner(p))


def plan_logins(planner: DemoRegisterPlanner, found: dict[str, PersonSpec]) -> None:
    resident, owner = _resident_and_owner(planner)
    committee = found[f"committee:{YG}"]
    secretary = found[f"secretary:{YANGGUANG}"]
    deputy = found["deputy"]
    planner.plan.logins = [
        LoginSpec(
            "admin",
            "系统管理员，可进入网站后台 /admin/",
            "Administrator, Wagtail admin at /admin/",
            superuser=True,
        ),
        LoginSpec(
            "resident",
            f"居民 {resident.full_name}（{_where(resident)}，租户、户代表）",
            "Resident: tenant and household representative, not an owner",
            person=resident.id_number,
        ),
        LoginSpec(
            "owner",
            f"业主 {owner.full_name}（{_where(owner)}，与配偶共有、"
            "推选的表决人，另有车位）",
            "Owner: co-owned flat (the nominated voter) and a parking space",
            person=owner.id_number,
        ),
        LoginSpec(
            "committee",
            f"阳光社区居民委员会委员 {committee.full_name}",
            "Member of the 阳光社区 residents' committee",
            person=committee.id_number,
        ),
        LoginSpec(
            "secretary",
            f"阳光花园小区党支部书记 {secretary.full_name}",
            "Secretary of the 阳光花园 compound party branch",
            person=secretary.id_number,
        ),
        LoginSpec(
            "deputy",
            f"东区人大代表 {deputy.full_name}（联系阳光社区、金沙社区）",
            "District people's-congress deputy, linked to both communities",
            person=deputy.id_number,
        ),
        *_staff_logins(planner),
    ]


def _staff_logins(planner: DemoRegisterPlanner) -> list[LoginSpec]:
    return [
        LoginSpec(
            "staff_yangguang",
            "阳光社区工作人员（名册编辑）",
            "Community staff: edits the 阳光社区 register",
            staff_community=YG,
            first_name=planner.name("F", 1988),
        ),
        LoginSpec(
            "staff_bingcaogang",
            "炳草岗街道工作人员（查看全街道名册）",
            "Subdistrict staff: views every community's register",
            staff_subdistrict=SUBDISTRICT_CODE,
            first_name=planner.name("M", 1979),
        ),
    ]
