"""yishi.db: SQL built once, rows loaded as the ORM loads them, conflicts ignored."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from consultation.ballots.models import Participation, RollEntry
from neighbourhoods.models import Person
from tests.consultation.factories import owners_ballot
from tests.neighbourhoods.factories import (
    PersonFactory,
    StaffAssignmentFactory,
    UserFactory,
)
from yishi.db import Columns, InsertIgnoringConflicts

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.fields}


def _select(columns: Columns, where: str, params) -> tuple:
    quote = connection.ops.quote_name
    table = quote(columns.model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql(connection)} FROM {table} {quote(columns.alias)} "
            f"WHERE {where}",
            params,
        )
        return cursor.fetchone()


def test_columns_load_what_the_orm_loads():
    person = PersonFactory(
        birth_date=dt.date(1949, 10, 1),
        phone="13912345678",
        user=UserFactory(last_login=timezone.now()),
    )
    people = Columns(Person, "p")
    row = _select(people, 'p."id" = %s', [person.pk])
    loaded = people.load(connection, row)
    assert _fields(loaded) == _fields(Person.objects.get(pk=person.pk))
    assert type(loaded.birth_date) is dt.date  # SQLite returns text: converted
    assert not loaded._state.adding
    assert loaded._state.db == "default"
    # The SQL text is built once per database backend.
    assert people.sql(connection) is people.sql(connection)


def test_columns_load_json_and_a_null_primary_key_as_none():
    staff = StaffAssignmentFactory()
    ballot = owners_ballot(_compound(staff.community), staff.community, staff.user)
    entry = RollEntry.objects.create(
        ballot=ballot, key="k1", person_ids=[3, 1], part_ids=[7], heads=1, area=12345
    )
    entries = Columns(RollEntry, "e")
    loaded = entries.load(connection, _select(entries, 'e."id" = %s', [entry.pk]))
    assert loaded.person_ids == [3, 1]  # JSON decoded as the ORM decodes it
    assert _fields(loaded) == _fields(RollEntry.objects.get(pk=entry.pk))
    assert entries.load(connection, [None] * entries.width) is None


def _compound(community):
    from tests.neighbourhoods.factories import CompoundFactory

    return CompoundFactory(communities=[community])


def _participation(ballot, entry, **extra):
    return Participation(
        ballot=ballot,
        entry=entry,
        channel="online",
        selection={"options": [1]},
        heads=entry.heads,
        area=entry.area,
        **extra,
    )


@pytest.fixture
def ballot_and_entries():
    staff = StaffAssignmentFactory()
    ballot = owners_ballot(_compound(staff.community), staff.community, staff.user)
    entries = [
        RollEntry.objects.create(ballot=ballot, key=f"k{i}", heads=1, area=100 * i)
        for i in (1, 2)
    ]
    return ballot, entries


def test_insert_writes_the_row_as_save_does(ballot_and_entries):
    ballot, (entry, _) = ballot_and_entries
    inserting = InsertIgnoringConflicts(Participation)
    before = timezone.now()
    participation = _participation(ballot, entry, idempotency_key="k-1")
    with transaction.atomic():
        assert inserting.insert(participation, connection) is True
    assert participation.pk is not None
    assert not participation._state.adding
    stored = Participation.objects.get(pk=participation.pk)
    assert stored.selection == {"options": [1]}
    assert stored.area == 100
    assert stored.idempotency_key == "k-1"
    assert before <= stored.created_at <= timezone.now()  # auto_now_add applied
    assert participation.created_at == stored.created_at


def test_a_refused_insert_writes_nothing_and_leaves_the_transaction_usable(
    ballot_and_entries,
):
    ballot, (first, second) = ballot_and_entries
    inserting = InsertIgnoringConflicts(Participation)
    with transaction.atomic():
        assert inserting.insert(
            _participation(ballot, first, idempotency_key="a"), connection
        )
        # The same member again (one vote per member per ballot) …
        again = _participation(ballot, first, idempotency_key="b")
        assert inserting.insert(again, connection) is False
        assert again.pk is None
        assert again._state.adding
        # … another member with a key already used on this ballot …
        reused = _participation(ballot, second, idempotency_key="a")
        assert inserting.insert(reused, connection) is False
        # … and the transaction goes on (no error was raised inside it).
        assert inserting.insert(_participation(ballot, second), connection) is True
    assert Participation.objects.filter(ballot=ballot).count() == 2
