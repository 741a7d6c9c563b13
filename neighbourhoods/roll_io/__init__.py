"""Roll import and export (名册导入导出) for one community's register.

File format (full description with examples: docs/roll-format.md)
------------------------------------------------------------------
CSV (UTF-8 with or without BOM, or GB18030; comma- or tab-separated) or XLSX (first
sheet). The header row is one of the first ten non-empty rows and must contain 姓名;
English aliases are accepted (name, id_number, phone, building, …); unknown columns are
ignored and listed in the report. One row per person:

  姓名* 身份证号 出生日期 手机号
  小区 楼栋 单元 房号 房屋类型 登记面积(㎡) 实测面积(㎡) 合同面积(㎡)
  户号 居民小组 居住类型 户代表
  产权人 产权依据 共有人表决人

- Identity: a person is the keyed hash of the ID number (GB 11643 checksum checked);
  without an ID number, the person is found by 户号 + 姓名 (or owned dwelling + 姓名)
  among this community's people, else created. An export's masked ID
  (**************1234) matches that way too when the last four agree. An ID number
  registered to a person of another community is an error (that community moves them).
- Places: the 小区 must belong to the community (may be left out when it has only one),
  the 楼栋 must already exist in it and belong to the community (else "unknown
  building"); 单元 and 房号 are created as needed. Areas: m² with at most two decimals,
  stored exactly as integer 0.01 m².
- Household by (community, 户号); with a 户号, 居住类型 (户籍/常住) is required and the
  row's 住宅 is the household's dwelling. 户代表 and 共有人表决人: at most one per
  household / dwelling. 产权人=是 records a current ownership of the row's dwelling.
- A blank cell states nothing: it never clears a stored value (except the 是/否
  columns, where blank is 否). The import never ends a residency or an ownership and
  never deletes anything.

Processing: every row is validated and every error collected (row number as the
spreadsheet shows it, column header, reason in Chinese then English; no message quotes
an ID or phone number). A dry run stops there and writes nothing. A real import
re-validates inside one transaction and writes everything or nothing; re-importing the
same file changes nothing and records no batch; a changed file updates only the
changed fields.
"""

from __future__ import annotations

import hashlib
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yishi.privacy import scrub

from ..models import Community, ImportBatch
from .columns import COLUMNS, HEADERS
from .exporting import roll_export, roll_rows
from .importing import Planner, parse_row
from .reading import RollFileError, read_table
from .report import ImportReport, RowError, format_text

__all__ = [
    "COLUMNS",
    "HEADERS",
    "ImportReport",
    "RollFileError",
    "RowError",
    "community_lookup",
    "format_text",
    "roll_export",
    "roll_import",
    "roll_rows",
]

logger = logging.getLogger(__name__)


class _NoProgress:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _no_progress(*, total: int, desc: str) -> _NoProgress:
    return _NoProgress()


def community_lookup(value: str) -> Community | None:
    """A community by its 12-digit code or its slug."""
    value = (value or "").strip()
    field = "code" if value.isdigit() else "slug"
    return Community.objects.filter(**{field: value}).first()


def roll_import(
    *,
    community: Community,
    data: bytes,
    filename: str = "",
    user=None,
    dry_run: bool = True,
    progress=_no_progress,
) -> ImportReport:
    """Validate (and unless `dry_run`, apply) a roll file; never raises on bad data.

    `progress(total=, desc=)` returns a bar with update(n) and close() (tqdm fits)."""
    report = ImportReport(
        filename=scrub(filename)[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        dry_run=dry_run,
    )
    try:
        table = read_table(data)
    except RollFileError as exc:
        report.errors.append(RowError(None, "", str(exc)))
        return report
    report.ignored_columns = [scrub(header)[:40] for header in table.ignored]
    report.rows = len(table.rows)
    if not table.rows:
        report.errors.append(
            RowError(None, "", _("文件中没有数据行。 The file has no data rows."))
        )
        return report
    today = timezone.localdate()
    bar = progress(total=len(table.rows), desc=_("校验"))
    rows = [
        parse_row(source, table.headers, today=today, errors=report.errors)
        for source in table.rows
    ]
    try:
        if dry_run:
            _plan(community, rows, report, bar)
        else:
            _apply(community, rows, report, bar, user=user, progress=progress)
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


def _plan(community, rows, report, bar) -> Planner:
    planner = Planner(community, report.errors)
    planner.plan(rows, bar)
    report.counts = planner.counts()
    return planner


def _apply(community, rows, report, bar, *, user, progress) -> None:
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
            imported_by=user if user is not None and user.is_authenticated else None,
            rows=report.rows,
            created=report.counts,
        )
        report.batch_id = batch.pk
