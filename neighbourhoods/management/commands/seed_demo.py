"""`manage.py seed_demo`: load the demo, capability by capability, and print the logins.

Each module of `DEMO_MODULES` exposes `seed(*, context) -> list[str]`
(`neighbourhoods.demo.context`): deterministic and idempotent, it writes its part
through its capability's services and returns its report lines. They run in the
listed order (a later capability builds on an earlier one's rows) in one
transaction. Run it as often as you like; `make run` runs it before every start. The
output always ends with the logins table and the site's address (`--address
HOST:PORT`, which `make run` passes from its HOST and PORT). Refuses to run
under the production settings, since it creates an administrator with a published
password.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from neighbourhoods.demo.context import DemoContext, site_url
from neighbourhoods.demo.report import render_report

# The demo, one module per capability, in the order they build on each other.
# A new capability's demo is one more line here.
DEMO_MODULES = (
    "yishi.deadlines.demo",  # first: the holiday calendar every deadline counts on
    "neighbourhoods.demo",
    "consultation.ballots.demo",
    "neighbourhoods.accounts.demo",
    "consultation.disclosures.demo",  # before records: its entries open the chain
    "consultation.records.demo",  # discloses its matters on the board
    "consultation.consultations.demo",  # may feed a matter of the records demo
    "consultation.rooms.demo",  # after ballots: an agenda item shows an open ballot
    "residents_pact.demo",  # its adoption and filing go onto the board
    "consultation.liaison.demo",  # needs the deputy, resident and staff logins
    # Last: 东区 above the subdistrict; its assessment reads a rating ballot and the
    # liaison's ratings of answered requests.
    "neighbourhoods.duties.demo",
)


class Command(BaseCommand):
    help = (
        "加载演示社区并列出演示账号。 Load the demo community; print the demo logins."
    )
    # `make run` has just run migrate, which checked; skipping the checks here keeps
    # their warnings from landing after the logins table.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--address",
            default="",
            help=(
                "网站地址（HOST:PORT，默认 127.0.0.1:8000）。 "
                "Where the site is served, as given to runserver (make run passes it)."
            ),
        )

    def handle(self, *args, **options):
        if str(settings.SETTINGS_MODULE).endswith(".production"):
            raise CommandError(
                "生产环境不能加载演示数据（其中有公开密码的管理员账号）。 "
                "Refusing to load demo data under production settings."
            )
        context = DemoContext(url=site_url(options["address"]))
        lines: list[str] = []
        with transaction.atomic():
            for name in DEMO_MODULES:
                lines += import_module(name).seed(context=context)
        for warning in context.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(render_report(lines, context.logins, context.url), ending="")
