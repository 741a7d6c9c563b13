"""roll_import as a service: it asks `permissions`, and an applied import leaves one
audit line naming the batch; a dry run or a file that changes nothing leaves none."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from neighbourhoods import models
from neighbourhoods.register_io.services import roll_import
from tests.neighbourhoods.factories import StaffAssignmentFactory, UserFactory
from tests.neighbourhoods.roll_helpers import EXAMPLE, register_counts, run
from yishi.models import AuditEntry

pytestmark = pytest.mark.django_db


def import_as(user, community, *, dry_run=False):
    return roll_import(
        actor=user,
        community=community,
        data=EXAMPLE.read_bytes(),
        filename="roll.csv",
        dry_run=dry_run,
    )


def editor_of(community):
    return StaffAssignmentFactory(
        community=community, role=models.StaffAssignment.Role.EDITOR
    ).user


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "apply"])
@pytest.mark.parametrize("who", ["resident", "viewer", "editor-elsewhere"])
def test_a_user_who_may_not_change_the_register_is_refused(reg, who, dry_run):
    user = {
        "resident": lambda: UserFactory(),
        "viewer": lambda: (
            StaffAssignmentFactory(
                community=reg.a, role=models.StaffAssignment.Role.VIEWER
            ).user
        ),
        "editor-elsewhere": lambda: editor_of(reg.b),
    }[who]()
    before = register_counts()
    with pytest.raises(PermissionDenied):
        import_as(user, reg.a, dry_run=dry_run)
    assert register_counts() == before
    assert not AuditEntry.objects.exists()


def test_an_editor_imports_and_one_audit_line_names_the_batch(reg):
    user = editor_of(reg.a)
    report = import_as(user, reg.a)
    assert report.ok
    batch = models.ImportBatch.objects.get()
    assert batch.imported_by == user
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.community_id) == (
        "roll_import",
        user,
        reg.a.pk,
    )
    assert (entry.target_type, entry.target_id) == (
        "neighbourhoods.importbatch",
        str(batch.pk),
    )
    assert entry.detail == {"rows": 6, "counts": report.counts}


def test_an_operator_import_is_audited_without_an_actor(reg):
    assert run(reg, EXAMPLE.read_bytes()).ok
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert entry.action == "roll_import"


def test_a_dry_run_and_an_unchanged_file_leave_no_audit_line(reg):
    assert run(reg, EXAMPLE.read_bytes(), dry_run=True).ok
    assert not AuditEntry.objects.exists()
    assert run(reg, EXAMPLE.read_bytes()).ok
    assert run(reg, EXAMPLE.read_bytes()).ok  # the same file again: no change
    assert AuditEntry.objects.count() == 1


def test_a_failed_import_leaves_no_audit_line(reg):
    data = EXAMPLE.read_bytes().replace("幸福里".encode(), "无此小区".encode(), 1)
    report = run(reg, data)
    assert not report.ok
    assert not AuditEntry.objects.exists()


def test_the_command_runs_as_the_operator_and_records_the_named_user(reg):
    clerk = UserFactory(username="clerk")  # no staff assignment: the operator vouches
    call_command("import_roll", str(EXAMPLE), community="xingfu", user="clerk")
    assert models.ImportBatch.objects.get().imported_by == clerk
    assert AuditEntry.objects.get().actor is None
