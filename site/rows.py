"""One row read, written or changed by SQL made once from the model's metadata.

For the few statements a hot path runs on every event — a live room's lock, seat,
record and event, several times a second in a meeting — where compiling the
queryset costs more CPU than running it. Measured in one process on PostgreSQL
(docs/benchmarks.md, "Live rooms: a statement's queries made once"): the seat by the
ORM 411 µs, by `raw()` 199 µs, here 133 µs; a statement's insert by `create()`
229–354 µs, here 133 µs. Everything else goes through the ORM.

What the ORM would do is kept: table and column names come from `_meta` and are
quoted by the backend; values are prepared by their fields (`get_db_prep_save`: a
JSONField's adapter, an aware datetime as the backend stores it) and passed as
parameters, never written into the SQL; a row read goes through the backend's and
the field's converters and becomes an instance by `Model.from_db`. `FOR UPDATE` is
added where the backend has it (SQLite serialises writers itself). No signals are
sent: use these only for models without receivers (the tests check the room's).
"""

from __future__ import annotations

from functools import cache

from django.db import connection
from django.db.transaction import TransactionManagementError


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _field(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


@cache
def _select_sql(model, where: tuple[str, ...], lock: bool, vendor: str) -> str:
    meta = model._meta
    columns = ", ".join(_q(f.column) for f in meta.concrete_fields)
    conditions = " AND ".join(f"{_q(_field(model, n).column)} = %s" for n in where)
    sql = f"SELECT {columns} FROM {_q(meta.db_table)} WHERE {conditions} LIMIT 1"
    if lock and connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    return sql


@cache
def _reading(model, vendor: str) -> tuple[list[str], list[tuple]]:
    """The attribute names of the selected columns, and the converters of those
    that have any — the backend's and the field's, as the ORM's compiler applies
    them (a JSONField's text, SQLite's datetimes)."""
    names, converting = [], []
    for index, field in enumerate(model._meta.concrete_fields):
        names.append(field.attname)
        column = field.get_col(model._meta.db_table)
        found = connection.ops.get_db_converters(column)
        found += column.get_db_converters(connection)
        if found:
            converting.append((index, column, found))
    return names, converting


def select_row(model, *, lock: bool = False, **where):
    """The one row matching `where` (attribute names, `pk` for the primary key;
    equality on a unique set of columns), or None; locked for the rest of the
    transaction when `lock`. The instance is made by `Model.from_db`, as the ORM
    makes it (not `raw()`, which works out its columns' order on every call)."""
    if lock and not connection.in_atomic_block:
        raise TransactionManagementError("select_row(lock=True) outside a transaction")
    sql = _select_sql(model, tuple(where), lock, connection.vendor)
    params = [
        _field(model, name).get_db_prep_value(value, connection)
        for name, value in where.items()
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    names, converting = _reading(model, connection.vendor)
    if converting:
        row = list(row)
        for index, column, converters in converting:
            for convert in converters:
                row[index] = convert(row[index], column, connection)
    return model.from_db(connection.alias, names, row)


def _prepared(model, values: dict) -> list:
    return [
        model._meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in values.items()
    ]


@cache
def _insert_sql(model, names: tuple[str, ...], returning: bool, vendor: str) -> str:
    meta = model._meta
    columns = ", ".join(_q(meta.get_field(n).column) for n in names)
    marks = ", ".join(["%s"] * len(names))
    sql = f"INSERT INTO {_q(meta.db_table)} ({columns}) VALUES ({marks})"
    return sql + f" RETURNING {_q(meta.pk.column)}" if returning else sql


def insert_row(model, **values) -> int:
    """Insert one row of `values` (attribute names: `room_id`, not `room`) and
    return its primary key."""
    returning = connection.features.can_return_columns_from_insert
    sql = _insert_sql(model, tuple(values), returning, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, _prepared(model, values))
        if returning:
            return cursor.fetchone()[0]
        return connection.ops.last_insert_id(
            cursor, model._meta.db_table, model._meta.pk.column
        )


@cache
def _update_sql(model, names: tuple[str, ...], vendor: str) -> str:
    meta = model._meta
    changes = ", ".join(f"{_q(meta.get_field(n).column)} = %s" for n in names)
    return f"UPDATE {_q(meta.db_table)} SET {changes} WHERE {_q(meta.pk.column)} = %s"


def update_row(model, pk, **values) -> int:
    """Set `values` on the row `pk`; the number of rows changed."""
    sql = _update_sql(model, tuple(values), connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_prepared(model, values), pk])
        return cursor.rowcount
