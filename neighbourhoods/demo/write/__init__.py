"""Writing the demo plan through the register services, check-first by natural keys.

`write_plan` runs the stages in the order the rows depend on each other: places,
people and their homes, bodies, logins, pages.
"""

from __future__ import annotations

from ..plan.records import Plan
from .bodies import write_bodies
from .logins import write_logins
from .pages import write_pages
from .people import write_people
from .places import write_places
from .writer import LABELS, RegisterWriter


def write_plan(plan: Plan) -> dict[str, int]:
    """Write what is missing of `plan`; returns how many rows of each label were
    created (an empty dict when the database was already up to date)."""
    writer = RegisterWriter()
    places = write_places(writer, plan)
    people = write_people(writer, plan, places)
    write_bodies(writer, plan, places, people)
    write_logins(writer, plan, places, people)
    write_pages(writer)
    return writer.created_in_order()


__all__ = ["LABELS", "write_plan"]
