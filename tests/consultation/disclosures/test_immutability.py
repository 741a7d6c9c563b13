"""The database refuses UPDATE and DELETE of published entries (PostgreSQL and
SQLite), drafts stay editable, and the test suite's flush still empties the table."""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from consultation.disclosures.models import DisclosureEntry
from tests.consultation.disclosures.factories import board_setup, publish_quick


@pytest.mark.django_db
def test_published_rows_refuse_update_and_delete():
    board = board_setup()
    (entry,) = publish_quick(board.community, 1)
    table = DisclosureEntry._meta.db_table
    for sql in (
        f"UPDATE {table} SET title = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureEntry.objects.filter(pk=entry.pk).update(title="改")
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.title == "公开0"


@pytest.mark.django_db
def test_drafts_stay_editable():
    board = board_setup()
    from consultation.disclosures import services

    draft = services.disclosure_draft(
        community=board.community, actor=None, kind="major", title="a", text="b"
    )
    DisclosureEntry.objects.filter(pk=draft.pk).update(title="c")
    DisclosureEntry.objects.filter(pk=draft.pk).delete()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_table_and_nothing_else_unlocks_it():
    board = board_setup()
    publish_quick(board.community, 2)
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(f"TRUNCATE {DisclosureEntry._meta.db_table} CASCADE")
    call_command("flush", verbosity=0, interactive=False)
    assert not DisclosureEntry.objects.exists()
    # The guard is back on after the flush.
    board = board_setup()
    (entry,) = publish_quick(board.community, 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        DisclosureEntry.objects.filter(pk=entry.pk).delete()
