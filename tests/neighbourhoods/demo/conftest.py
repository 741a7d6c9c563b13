"""The demo is seeded once for this package, inside a transaction that is rolled back
when the package is done, so other tests never see it. Each test runs in its own
savepoint inside that transaction (pytest-django's `db`), so a test that wipes or
edits the demo leaves the next test the seeded database.
"""

import pytest
from django.db import transaction

from neighbourhoods import demo

from .helpers import seed


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker):
    """The output of the first run; the data lives until the package is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture(scope="package")
def plan():
    return demo.build_plan()
