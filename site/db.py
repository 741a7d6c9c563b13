"""SQL built once for the few statements that every request or every vote runs.

Django's ORM compiles a query into SQL each time it runs it. For the statements on
every request's path that compilation was most of their CPU: loading the signed-in
user with their resident record took 0.63 ms of CPU through the ORM against 0.13 ms
with the same SQL built once (docs/benchmarks.md). Here the SQL text of such a
statement is built once per process from the models' metadata, and its rows become
model instances through the documented `Model.from_db`, after the converters the ORM
itself applies (`from_db_value`, and the backend's: SQLite's dates and decimals).

Use it only where a profile shows the ORM's compilation; everywhere else the ORM is
clearer.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper


class _BuiltOnce(abc.ABC):
    """SQL text built on first use, once per database backend."""

    def __init__(self) -> None:
        self._sql: dict[str, str] = {}

    def sql(self, connection: BaseDatabaseWrapper) -> str:
        text = self._sql.get(connection.vendor)
        if text is None:
            text = self._sql[connection.vendor] = self._build(connection)
        return text

    @abc.abstractmethod
    def _build(self, connection: BaseDatabaseWrapper) -> str:
        """The SQL text for this backend."""


class Columns(_BuiltOnce):
    """A model's concrete columns under a table alias, and rows back into instances.

    `sql()` is the column list for a SELECT (`"b"."id", "b"."title", …`); `load()`
    turns that slice of a row into an instance, or None when its primary key is NULL
    (the model's side of a LEFT JOIN that found nothing).
    """

    def __init__(self, model: type[models.Model], alias: str) -> None:
        super().__init__()
        self.model = model
        self.alias = alias
        self.fields = list(model._meta.concrete_fields)
        self.attnames = [field.attname for field in self.fields]
        self.width = len(self.fields)
        self._pk_index = self.fields.index(model._meta.pk)
        self._cols = [field.get_col(alias) for field in self.fields]
        # Per database alias: the backend's converters come from its operations
        # (every thread's connection to one alias converts alike).
        self._converters: dict[str, list] = {}

    def _build(self, connection: BaseDatabaseWrapper) -> str:
        quote = connection.ops.quote_name
        return ", ".join(
            f"{quote(self.alias)}.{quote(field.column)}" for field in self.fields
        )

    def _converters_for(self, connection: BaseDatabaseWrapper) -> list:
        found = self._converters.get(connection.alias)
        if found is None:
            found = []
            for index, col in enumerate(self._cols):
                functions = connection.ops.get_db_converters(
                    col
                ) + col.get_db_converters(connection)
                if functions:
                    found.append((index, col, functions))
            self._converters[connection.alias] = found
        return found

    def load(
        self, connection: BaseDatabaseWrapper, values: Sequence
    ) -> models.Model | None:
        if values[self._pk_index] is None:
            return None
        converters = self._converters_for(connection)
        if converters:
            values = list(values)
            for index, col, functions in converters:
                for function in functions:
                    values[index] = function(values[index], col, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


class InsertIgnoringConflicts(_BuiltOnce):
    """`INSERT … ON CONFLICT DO NOTHING RETURNING pk` for one model, SQL built once.

    `insert(instance)` saves a new instance as `Model.save()` would (the same
    `pre_save` — `auto_now_add` — and `get_db_prep_save` per field) and returns True;
    if a unique constraint already holds such a row it writes nothing and returns False,
    without an error (so the transaction stays usable and PostgreSQL logs no failed
    statement with the row's values). No model signals are sent: use it only for
    models without receivers.
    """

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__()
        meta = model._meta
        self.model = model
        self.fields = [
            field
            for field in meta.local_concrete_fields
            if not field.generated and field is not meta.auto_field
        ]

    def _build(self, connection: BaseDatabaseWrapper) -> str:
        quote = connection.ops.quote_name
        meta = self.model._meta
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        return (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "
            f"VALUES ({placeholders}) ON CONFLICT DO NOTHING "
            f"RETURNING {quote(meta.pk.column)}"
        )

    def insert(self, instance: models.Model, connection: BaseDatabaseWrapper) -> bool:
        if not isinstance(instance, self.model) or not instance._state.adding:
            raise ValueError(f"not a new {self.model.__name__}: {instance!r}")
        values = [
            field.get_db_prep_save(field.pre_save(instance, True), connection)
            for field in self.fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(connection), values)
            row = cursor.fetchone()
        if row is None:
            return False
        instance.pk = row[0]
        instance._state.adding = False
        instance._state.db = connection.alias
        return True
