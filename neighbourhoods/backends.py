"""Authentication backend: a signed-in user comes with their resident record.

Nearly every page a resident opens asks `request.user.person` (their roll entries,
their votes). Django's ModelBackend loads the user alone, so that was a second query
on every request; here it is one query with a JOIN. A user without a resident record
is loaded just the same (`user.person` then raises, as before).

The query runs on every request of a signed-in user, so its SQL is built once
(`yishi.db`): through the ORM, compiling this JOIN each time cost 0.5 ms of CPU per
request (docs/benchmarks.md).
"""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router

from yishi.db import Columns

from .models import Person


@functools.cache
def _user_with_person() -> tuple[Columns, Columns]:
    return Columns(get_user_model(), "u"), Columns(Person, "p")


_SQL: dict[str, str] = {}  # per database backend


def _sql(connection) -> str:
    text = _SQL.get(connection.vendor)
    if text is None:
        text = _SQL[connection.vendor] = _build_sql(connection)
    return text


def _build_sql(connection) -> str:
    users, people = _user_with_person()
    quote = connection.ops.quote_name
    user_meta = users.model._meta
    link = Person._meta.get_field("user").column
    return (
        f"SELECT {users.sql(connection)}, {people.sql(connection)} "
        f"FROM {quote(user_meta.db_table)} {quote('u')} "
        f"LEFT JOIN {quote(Person._meta.db_table)} {quote('p')} "
        f"ON {quote('p')}.{quote(link)} = {quote('u')}.{quote(user_meta.pk.column)} "
        f"WHERE {quote('u')}.{quote(user_meta.pk.column)} = %s"
    )


class PersonModelBackend(ModelBackend):
    def get_user(self, user_id):
        users, people = _user_with_person()
        model = users.model
        connection = connections[router.db_for_read(model)]
        pk = model._meta.pk.get_db_prep_value(
            model._meta.pk.to_python(user_id), connection
        )
        with connection.cursor() as cursor:
            cursor.execute(_sql(connection), [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        user = users.load(connection, row[: users.width])
        person = people.load(connection, row[users.width :])
        # As select_related("person") leaves them: no further query either way, and
        # `user.person` raises Person.DoesNotExist for a user without one.
        user._state.fields_cache["person"] = person
        if person is not None:
            person._state.fields_cache["user"] = user
        return user if self.user_can_authenticate(user) else None
