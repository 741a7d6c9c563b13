"""The register's part of `manage.py seed_demo`: the demo community.

炳草岗街道 in 攀枝花市东区 with two communities (阳光社区, 金沙社区) and three
compounds: 阳光花园 (2008) and 金沙苑 (2021) each in one community, and 炳草岗新村,
six-storey 1990s housing without lifts, spanning both. About 600 exclusive parts
(dwellings, parking spaces, shops; some held undelivered by the developer, some with
only a surveyed or contract area, SPI Art. 8), about 900 people in households with one
representative each, co-owners with one nominated voter, tenants, children and the
elderly, the community bodies with members, three 两代表一委员 and the demo logins.

Two steps:
- `plan/`: `build_plan()` makes every row in memory from a fixed seed (`data/` holds
  the names, the place and the articles it draws from).
- `write/`: `write_plan()` writes the missing rows through the register services,
  check-first by natural keys, so a second run creates and changes nothing — except
  that the demo logins' passwords and flags are set back to the printed ones.

ID numbers exist only inside the plan; the database gets the keyed hash and the last
four characters (`yishi.privacy`), and nothing here prints them.
"""

from __future__ import annotations

from .context import DEMO_PASSWORD, DemoContext, DemoLogin
from .data.places import BUILDINGS, COMMUNITIES, COMPOUNDS, SUBDISTRICT_NAME
from .plan import Plan, build_plan
from .plan.records import REFERENCE_DATE
from .write import LABELS, write_plan

__all__ = ["DEMO_PASSWORD", "REFERENCE_DATE", "build_plan", "seed"]


def seed(*, context: DemoContext) -> list[str]:
    """Write the demo register (idempotent); add its logins; return report lines."""
    plan = build_plan()
    created = write_plan(plan)
    context.logins += [
        DemoLogin(login.username, login.who_zh, login.who_en) for login in plan.logins
    ]
    return _report_lines(plan, created)


def _report_lines(plan: Plan, created: dict[str, int]) -> list[str]:
    owners = {o.person for o in plan.ownerships if o.person}
    totals = {
        "社区 communities": len(COMMUNITIES),
        "小区 compounds": len(COMPOUNDS),
        "楼栋 buildings": len(BUILDINGS),
        "专有部分 exclusive parts": len(plan.parts),
        "户 households": len(plan.households),
        "居民 people": len(plan.people),
        "业主 owners": len(owners),
    }
    lines = [
        f"演示数据 Demo data: 攀枝花市东区{SUBDISTRICT_NAME}"
        " (Bingcaogang subdistrict, Dong District, Panzhihua)",
        "  " + " · ".join(f"{label} {n}" for label, n in totals.items()),
    ]
    if any(created.values()):
        done = "，".join(
            f"{label} {LABELS[label]} {n}" for label, n in created.items() if n
        )
        lines.append(f"  本次新建 Created this run: {done}")
    else:
        lines.append(
            "  数据已是最新，本次未新建任何记录。 "
            "Already up to date: nothing new was created."
        )
    return lines
