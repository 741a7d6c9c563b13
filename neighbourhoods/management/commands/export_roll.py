"""manage.py export_roll --community CODE_OR_SLUG --format csv|xlsx --output FILE

The import's columns (docs/roll-format.md), one row per person; ID-card and phone
numbers are masked. `--output -` writes CSV to standard output.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from neighbourhoods.register_io.exports import roll_export
from neighbourhoods.register_io.selectors import community_lookup


class Command(BaseCommand):
    help = "导出社区名册（身份证号、手机号打码）。 Export a community's roll (masked)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--community", required=True, help="community code (12 digits) or slug"
        )
        parser.add_argument("--format", choices=["csv", "xlsx"], default="xlsx")
        parser.add_argument("--output", required=True, help="file to write, or -")

    def handle(self, *args, **options):
        community = community_lookup(options["community"])
        if community is None:
            raise CommandError(_("社区不存在。 Unknown community."))
        fmt, output = options["format"], options["output"]
        data = roll_export(community=community, fmt=fmt)
        if output == "-":
            if fmt != "csv":
                raise CommandError(_("XLSX 须写入文件。 XLSX needs an --output file."))
            sys.stdout.buffer.write(data)
            return
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise CommandError(
                _("无法写入文件：%(reason)s。 Cannot write the file.")
                % {"reason": exc.strerror}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("已导出到 %(path)s。 Exported to %(path)s.") % {"path": output}
            )
        )
