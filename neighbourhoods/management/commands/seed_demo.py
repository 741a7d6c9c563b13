"""`manage.py seed_demo`: load the demo community and print the demo logins.

Deterministic and idempotent (see `neighbourhoods.demo`): run it as often as you like;
`make run` runs it before every start. The output always ends with the logins table
and the site's address. Refuses to run under the production settings, since it
creates an administrator with a published password.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from neighbourhoods.demo import render_report, seed_demo


class Command(BaseCommand):
    help = (
        "加载演示社区并列出演示账号。 Load the demo community; print the demo logins."
    )
    # `make run` has just run migrate, which checked; skipping the checks here keeps
    # their warnings from landing after the logins table.
    requires_system_checks = []

    def handle(self, *args, **options):
        if str(settings.SETTINGS_MODULE).endswith(".production"):
            raise CommandError(
                "生产环境不能加载演示数据（其中有公开密码的管理员账号）。 "
                "Refusing to load demo data under production settings."
            )
        result = seed_demo()
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        self.stdout.write(render_report(result), ending="")
