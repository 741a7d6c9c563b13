"""Writes to the register: the only code that changes it.

Every service is a keyword-only `noun_verb` function, atomic, taking `actor` (a user,
or None for the system: the demo and management commands). It asks `permissions`
whether the actor may (PermissionDenied when not), checks the rules that span rows
(RegisterError, with an HTTP `status`) and writes one audit line
(`yishi.audit.audit_record`) in the same transaction.

- places: subdistricts, communities, groups, grids, compounds, buildings, entrances,
  exclusive parts, developers
- people: people, households, residencies, ownerships, a person's phone and login
- bodies: bodies, seats, 两代表一委员, staff rights
- records: what the register admin's forms add, change and delete
- pages: the register's Wagtail pages
"""

from .bodies import (
    body_create,
    membership_create,
    representative_create,
    staff_assignment_create,
)
from .common import BUILDING_OUTSIDE_COMPOUND, RegisterError
from .pages import register_pages_sync
from .people import (
    household_create,
    ownership_create,
    person_create,
    person_link_user,
    person_update_contact,
    residency_create,
    with_id_number,
)
from .places import (
    building_create,
    community_create,
    compound_create,
    developer_create,
    entrance_create,
    grid_create,
    part_create,
    residents_group_create,
    subdistrict_create,
)
from .records import register_record_save, register_records_delete

__all__ = [
    "BUILDING_OUTSIDE_COMPOUND",
    "RegisterError",
    "body_create",
    "building_create",
    "community_create",
    "compound_create",
    "developer_create",
    "entrance_create",
    "grid_create",
    "household_create",
    "membership_create",
    "ownership_create",
    "part_create",
    "person_create",
    "person_link_user",
    "person_update_contact",
    "register_pages_sync",
    "register_record_save",
    "register_records_delete",
    "representative_create",
    "residency_create",
    "residents_group_create",
    "staff_assignment_create",
    "subdistrict_create",
    "with_id_number",
]
