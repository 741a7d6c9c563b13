"""The register admin's writes: any register row added, changed or deleted in a form.

The admin's forms build the row; these services ask `permissions` (the row as stored
and as it will be), check the rules that span rows and write one audit line per row,
named after the model (`building_create`, `person_update`, `household_delete`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Model

from .common import action_name, record_save, records_delete


@transaction.atomic
def register_record_save(
    *,
    actor,
    record: Model,
    fields: Iterable[str] = (),
    links: dict[str, Iterable[Model]] | None = None,
) -> Model:
    """Save a register row built by a form, and set its many-to-many `links`.

    `fields` names the fields a change changed (for the audit line).
    Raises PermissionDenied, or RegisterError for a rule the form did not catch.
    """
    verb = "create" if record.pk is None else "update"
    return record_save(
        actor=actor,
        record=record,
        action=action_name(record, verb),
        fields=fields,
        links=links,
    )


@transaction.atomic
def register_records_delete(*, actor, records: Iterable[Model]) -> int:
    """Delete register rows, all or none (PermissionDenied for any refused)."""
    return records_delete(actor=actor, records=records)
