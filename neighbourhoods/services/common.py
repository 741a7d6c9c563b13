"""What every register service shares: the refusal errors and the one write path.

`record_save` and `records_delete` ask `permissions` whether the actor may write the
row (as stored, and as it will be), check the rules that span rows, write, and add one
audit line in the same transaction. They run inside the calling service's
transaction; only the services of this package call them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from yishi.audit import audit_record

from .. import permissions, selectors
from ..models import Building

BUILDING_OUTSIDE_COMPOUND = _(
    "楼栋所属社区必须是该小区所属社区之一。 "
    "The building's community must be one of the compound's."
)
REFUSED = _("你无权修改这条名册记录。 You may not change this register record.")


class RegisterError(Exception):
    """A refused register write. `status` is the HTTP status a view should answer."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


def require(allowed: bool, message=REFUSED) -> None:
    if not allowed:
        raise PermissionDenied(message)


def action_name(record: Model, verb: str) -> str:
    """The audit action of a generic write: `building_create`, `person_update`."""
    return f"{record._meta.model_name}_{verb}"


def _single(community_ids: set[int]) -> int | None:
    # An audit line belongs to one community; a row of several (a compound spanning
    # two) is subdistrict business, read by subdistrict staff.
    return next(iter(community_ids)) if len(community_ids) == 1 else None


def _check_building(building: Building) -> None:
    if not selectors.compound_has_community(building.compound, building.community):
        raise RegisterError(
            str(BUILDING_OUTSIDE_COMPOUND), code="building_outside_compound"
        )


# Rules that span rows, which the database cannot check with a constraint.
_RULES = {Building: _check_building}


def _stored_community_ids(record: Model) -> set[int]:
    if record.pk is None:
        return set()
    stored = (
        type(record)
        ._default_manager.select_for_update(of=("self",))
        .filter(pk=record.pk)
    )
    row = stored.first()
    return permissions.record_community_ids(row) if row is not None else set()


def _require_write(actor, record: Model, community_ids: set[int], *, fields) -> None:
    creating = record.pk is None
    require(
        permissions.can_write_record(
            actor, type(record), community_ids, creating=creating
        )
    )
    links_login = "user" in fields or (creating and getattr(record, "user_id", None))
    if links_login:
        require(permissions.can_link_login(actor))


def record_save(
    *,
    actor,
    record: Model,
    action: str,
    fields: Iterable[str] = (),
    links: dict[str, Iterable[Model]] | None = None,
) -> Model:
    """Create or change `record` (and set its many-to-many `links`), audited.

    The actor must be allowed to write the row as it was stored (locked first) and
    as it will be, linked communities included. `fields` names what a change
    changed, for the audit line.
    """
    fields = sorted(fields)
    links = {name: list(values) for name, values in (links or {}).items()}
    creating = record.pk is None
    community_ids = _stored_community_ids(record) | permissions.record_community_ids(
        record
    )
    community_ids |= {c.pk for c in links.get("communities", ())}
    _require_write(actor, record, community_ids, fields=fields)
    rule = _RULES.get(type(record))
    if rule is not None:
        rule(record)
    record.save()
    for name, values in links.items():
        getattr(record, name).set(values)
    detail: dict = {} if creating else {"fields": fields}
    if links:
        detail["links"] = {name: [v.pk for v in vs] for name, vs in links.items()}
    audit_record(
        actor=actor,
        action=action,
        target=record,
        community_id=_single(community_ids),
        detail=detail,
    )
    return record


def records_delete(*, actor, records: Iterable[Model]) -> int:
    """Delete each of `records`, audited one line each; returns how many."""
    count = 0
    for record in records:
        community_ids = _stored_community_ids(record)
        allowed = permissions.can_write_record(
            actor, type(record), community_ids, creating=False
        )
        require(allowed)
        audit_record(
            actor=actor,
            action=action_name(record, "delete"),
            target=record,
            community_id=_single(community_ids),
        )
        record.delete()
        count += 1
    return count
