"""The demo plan: every row of the demo register, built in memory from a fixed seed.

`build_plan()` runs the stages in a fixed order on one `DemoRegisterPlanner`, so
the same plan comes out of every process on every day (the digest test checks it
under another PYTHONHASHSEED). Nothing here touches the database.
"""

from __future__ import annotations

from .bodies import (
    plan_bodies,
    plan_grid_workers,
    plan_party_members,
    plan_representatives,
)
from .homes import plan_homes
from .logins import plan_logins
from .parts import plan_area_sources, plan_parts
from .planner import DemoRegisterPlanner
from .records import Plan


def build_plan() -> Plan:
    """Every row of the demo, in memory, from the fixed seed (no database access)."""
    planner = DemoRegisterPlanner()
    plan_parts(planner)
    plan_area_sources(planner)
    plan_homes(planner)
    plan_party_members(planner)
    found = plan_bodies(planner)
    plan_representatives(planner, found)
    plan_grid_workers(planner)
    plan_logins(planner, found)
    return planner.plan


__all__ = ["DemoRegisterPlanner", "Plan", "build_plan"]
