"""manage.py import_roll FILE --community CODE_OR_SLUG [--dry-run] [--user USERNAME]

Validates the whole file (format: docs/roll-format.md), prints every bad row and exits
with status 1 if there is any; otherwise writes everything in one transaction (or, with
--dry-run, only reports what it would do).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from neighbourhoods.register_io.report import format_text
from neighbourhoods.register_io.selectors import community_lookup
from neighbourhoods.register_io.services import roll_import


def tqdm_progress(*, total: int, desc: str):
    # disable=None: a bar on a terminal, silence in cron jobs, pipes and tests.
    return tqdm(total=total, desc=desc, unit="行", disable=None, leave=False)


class Command(BaseCommand):
    help = "导入名册（CSV 或 XLSX）到一个社区。 Import a roll file into one community."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or XLSX file")
        parser.add_argument(
            "--community", required=True, help="community code (12 digits) or slug"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="validate only, write nothing"
        )
        parser.add_argument("--user", help="username recorded on the import batch")

    def handle(self, *args, **options):
        community = community_lookup(options["community"])
        if community is None:
            raise CommandError(_("社区不存在。 Unknown community."))
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("用户不存在。 Unknown user."))
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取文件：%(reason)s。 Cannot read the file.")
                % {"reason": exc.strerror}
            ) from exc
        # The operator running the command is the actor (None: allowed by the
        # service); --user only names who is recorded on the import batch.
        report = roll_import(
            actor=None,
            community=community,
            data=data,
            filename=path.name,
            imported_by=user,
            dry_run=options["dry_run"],
            progress=tqdm_progress,
        )
        self.stdout.write(format_text(report))
        if not report.ok:
            raise CommandError(
                _("发现 %(n)d 处错误，未写入任何数据。 %(n)d errors: nothing written.")
                % {"n": len(report.errors)}
            )
        if options["dry_run"]:
            message = _(
                "预检通过：%(n)d 条变更，未写入。 Dry run passed: %(n)d changes."
            )
        elif report.changes:
            message = _("已导入 %(n)d 条变更。 Imported %(n)d changes.")
        else:
            message = _("文件与名册一致，无需导入。 Nothing to change.")
        message %= {"n": report.changes}
        self.stdout.write(self.style.SUCCESS(message))
