"""`manage.py verify_disclosures [--community CODE]`: recompute every hash of the
disclosure chains and check every link.

Exits 0 printing the number of entries checked, or 1 naming the first broken entry
and why (content changed, link broken, entry missing, order changed). Run it after
restoring a backup (README, "Production").
"""

from django.core.management.base import BaseCommand, CommandError

from consultation.disclosures import selectors


class Command(BaseCommand):
    help = "核验居务公开链。 Verify the disclosure chains (exit 1 on the first break)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--community", help="社区代码（12位）。 A community's code."
        )

    def handle(self, *args, **options):
        code = options.get("community")
        communities = list(selectors.chained_communities(code))
        if code and not communities:
            raise CommandError(
                f"没有代码为 {code} 的社区。 No community with this code."
            )
        total = 0
        for community in communities:
            verdict = selectors.chain_verdict(community.pk)
            if not verdict.ok:
                self.stderr.write(
                    f"{community.code} {community.name}: {verdict.describe()}"
                )
                raise SystemExit(1)
            total += verdict.checked
        self.stdout.write(
            f"OK: {total} 条已核验（{len(communities)} 个社区）。"
            f" {total} entries checked in {len(communities)} communities."
        )
