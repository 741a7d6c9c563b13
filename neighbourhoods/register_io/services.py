"""The roll import service: the only writer of an imported roll file.

`roll_import` asks `permissions` whether the actor may change the community's register
(None is an operator running `manage.py import_roll`: allowed), reads and checks every
row, plans every change, and — unless it is a dry run — writes them in one transaction
with the community locked, records an `ImportBatch` and one audit line.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.audit import audit_record
from yishi.privacy import scrub

from ..models import Community, ImportBatch
from ..permissions import can_change_register
from .planning import RegisterChangePlanner
from .reading import RollFileError, read_table
from .report import ImportReport, RowError
from .rows import Row, parse_row

logger = logging.getLogger(__name__)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _no_progress(*, total: int, desc: str) -> _NoProgress:
    return _NoProgress()


def roll_import(
    *,
    actor,
    community: Community,
    data: bytes,
    filename: str = "",
    dry_run: bool = True,
    imported_by=None,
    progress=_no_progress,
) -> ImportReport:
    """Validate (and unless `dry_run`, apply) a roll file; never raises on bad data.

    `actor` is the user importing, or None for an operator's command; a user who may
    not change the community's register gets PermissionDenied. `imported_by` is the
    user recorded on the batch (default: the actor; the command's --user names it).
    `progress(total=, desc=)` returns a bar with update(n) and close() (tqdm fits).
    """
    if actor is not None and not can_change_register(actor, community):
        raise PermissionDenied
    report = ImportReport(
        filename=scrub(filename)[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
    )
    rows = _read_rows(data, report, progress)
    if rows is None:
        return report
    writer = actor if imported_by is None else imported_by
    _check_and_write(
        community, rows, report, actor=actor, writer=writer, progress=progress
    )
    report.errors.sort(key=lambda e: e.row or 0)
    logger.info(
        "roll import into community %s: %d rows, %d errors, dry_run=%s, changes=%d",
        community.pk,
        report.rows,
        len(report.errors),
        dry_run,
        report.changes,
    )
    return report


def _read_rows(data: bytes, report: ImportReport, progress) -> list[Row] | None:
    """The file's rows, parsed; None (and the error in the report) if unreadable."""
    try:
        table = read_table(data)
    except RollFileError as exc:
        report.errors.append(RowError(None, "", str(exc)))
        return None
    report.ignored_columns = [scrub(header)[:40] for header in table.ignored]
    report.rows = len(table.rows)
    if not table.rows:
        report.errors.append(
            RowError(None, "", _("文件中没有数据行。 The file has no data rows."))
        )
        return None
    today = timezone.localdate()
    return [
        parse_row(source, table.headers, today=today, errors=report.errors)
        for source in table.rows
    ]


def _check_and_write(community, rows, report, *, actor, writer, progress) -> None:
    bar = progress(total=len(rows), desc=_("校验"))
    try:
        if report.dry_run:
            _plan(community, rows, report, bar)
        else:
            _apply(
                community,
                rows,
                report,
                bar,
                actor=actor,
                writer=writer,
                progress=progress,
            )
    except IntegrityError:
        # Another writer got in between our checks and our writes; nothing was kept.
        logger.warning("roll import into community %s hit a constraint", community.pk)
        report.batch_id = None
        report.errors.append(
            RowError(
                None,
                "",
                _(
                    "导入期间名册被他人修改，未写入任何数据，请重试。 The register "
                    "changed during the import; nothing was written: try again."
                ),
            )
        )
    finally:
        bar.close()


def _plan(community, rows, report, bar) -> RegisterChangePlanner:
    planner = RegisterChangePlanner(community, report.errors)
    planner.plan(rows, bar)
    report.counts = planner.counts()
    return planner


def _apply(community, rows, report, bar, *, actor, writer, progress) -> None:
    with transaction.atomic():
        # One import per community at a time: the second waits, then plans afresh.
        Community.objects.select_for_update().filter(pk=community.pk).first()
        planner = _plan(community, rows, report, bar)
        if report.errors or not report.changes:
            return
        writes = progress(total=report.changes, desc=_("写入"))
        try:
            planner.apply(writes)
        finally:
            writes.close()
        batch = ImportBatch.objects.create(
            community=community,
            filename=report.filename,
            sha256=report.sha256,
            imported_by=writer
            if writer is not None and writer.is_authenticated
            else None,
            rows=report.rows,
            created=report.counts,
        )
        audit_record(
            actor=actor,
            action="roll_import",
            target=batch,
            community_id=community.pk,
            detail={"rows": report.rows, "counts": report.counts},
        )
        report.batch_id = batch.pk
