"""`manage.py flush`, Django's, allowed to empty the append-only disclosure table.

The only change: Django's flush runs inside `chain_guard.flush_allowed`, so the
database guard of published disclosures (consultation/disclosures/models.py) lets
this deliberate wipe of every table through — the test suite's
`TransactionTestCase` flushes with it between tests.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import connections

from consultation.disclosures.chain_guard import flush_allowed


class Command(DjangoFlush):
    def handle(self, **options):
        with flush_allowed(connections[options["database"]]):
            return super().handle(**options)
