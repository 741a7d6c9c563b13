"""One row read, written or changed by SQL made once from the model's metadata.

For the few statements a hot path runs on every event — a live room's lock, seat,
record and event, several times a second in a meeting — where compiling the
queryset costs more CPU than running it. Measured in one process on PostgreSQL
(docs/benchmarks.md, "Live rooms: a statement's queries made once"): the seat by the
ORM 411 µs, by `raw()` 199 µs; a statement's insert by `create()` 229–354 µs,
here 133 µs. Everything else goes through the ORM.

What the ORM would do is kept: table and column names come from `_meta` and are
quoted by the backend; values are prepared by their fields (`get_db_prep_save`: a
JSONField's adapter, an aware datetime as the backend stores it; on insert after its
`pre_save`, as `save()` does: defaults, `auto_now_add`) and passed as parameters,
never written into the SQL; a row is read back as the ORM reads it (`select_row`).
`FOR UPDATE` is added where the backend has it (SQLite serialises writers itself).
No signals are sent: use these only for models without receivers (the tests check
the room's).
"""

from __future__ import annotations

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections
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
def _field_converters(model) -> tuple:
    """(index, column, `from_db_value`) of the model's fields that convert what the
    database returns (a JSONField's text): the fields' documented hook, found once."""
    table = model._meta.db_table
    return tuple(
        (i, field.get_col(table), field.from_db_value)
        for i, field in enumerate(model._meta.concrete_fields)
        if hasattr(field, "from_db_value")
    )


def select_row(model, *, lock: bool = False, **where):
    """The one row matching `where` (attribute names, `pk` for the primary key;
    equality on a unique set of columns), or None; locked for the rest of the
    transaction when `lock`.

    On PostgreSQL the row is fetched by a cursor, converted by its fields'
    `from_db_value` (PostgreSQL's backend converts nothing itself: psycopg has)
    and made into an instance by `Model.from_db`, as the ORM makes it — without a
    queryset: `Model.objects.raw` made two-thirds of a room action's Python calls
    (docs/benchmarks.md). Other backends convert columns themselves (SQLite's
    datetimes, booleans), which only the ORM's compiler knows: there the row is
    read through `Model.objects.raw`."""
    db = connections[DEFAULT_DB_ALIAS]
    if lock and not db.in_atomic_block:
        raise TransactionManagementError("select_row(lock=True) outside a transaction")
    sql = _select_sql(model, tuple(where), lock, db.vendor)
    params = [
        _field(model, name).get_db_prep_value(value, db)
        for name, value in where.items()
    ]
    if db.vendor != "postgresql":
        return next(iter(model._default_manager.raw(sql, params)), None)
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for i, column, convert in _field_converters(model):
        values[i] = convert(values[i], column, db)
    return model.from_db(db.alias, None, values)


def _prepared(model, values: dict, db) -> list:
    return [
        model._meta.get_field(name).get_db_prep_save(value, db)
        for name, value in values.items()
    ]


@cache
def _inserted_fields(model) -> tuple:
    meta = model._meta
    return tuple(
        f for f in meta.concrete_fields if f is not meta.auto_field and not f.generated
    )


@cache
def _insert_sql(model, returning: bool, vendor: str) -> str:
    meta = model._meta
    fields = _inserted_fields(model)
    columns = ", ".join(_q(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {_q(meta.db_table)} ({columns}) VALUES ({marks})"
    return sql + f" RETURNING {_q(meta.pk.column)}" if returning else sql


def insert_row(instance) -> int:
    """Insert a new instance's row as `save()` does — every concrete field, each
    through its `pre_save` (its default, `auto_now_add`) — without signals; sets
    and returns its primary key."""
    model = type(instance)
    db = connections[DEFAULT_DB_ALIAS]
    params = [
        f.get_db_prep_save(f.pre_save(instance, True), db)
        for f in _inserted_fields(model)
    ]
    returning = db.features.can_return_columns_from_insert
    with db.cursor() as cursor:
        cursor.execute(_insert_sql(model, returning, db.vendor), params)
        if returning:
            instance.pk = cursor.fetchone()[0]
        else:
            instance.pk = db.ops.last_insert_id(
                cursor, model._meta.db_table, model._meta.pk.column
            )
    return instance.pk


@cache
def _update_sql(model, names: tuple[str, ...], vendor: str) -> str:
    meta = model._meta
    changes = ", ".join(f"{_q(meta.get_field(n).column)} = %s" for n in names)
    return f"UPDATE {_q(meta.db_table)} SET {changes} WHERE {_q(meta.pk.column)} = %s"


def update_row(model, pk, **values) -> int:
    """Set `values` on the row `pk`; the number of rows changed."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = _update_sql(model, tuple(values), db.vendor)
    with db.cursor() as cursor:
        cursor.execute(sql, [*_prepared(model, values, db), pk])
        return cursor.rowcount


# --- on an event loop's connection (yishi.asyncdb; PostgreSQL) -------------------
# Made as above — names from `_meta`, values prepared by their fields through
# Django's connection, which makes no trip to the database for it; only the
# execution is the loop's.


@cache
def _values_sql(model, names: tuple, where: tuple, lock: bool, vendor: str) -> str:
    meta = model._meta
    columns = ", ".join(_q(_field(model, n).column) for n in names)
    conditions = " AND ".join(f"{_q(_field(model, n).column)} = %s" for n in where)
    sql = f"SELECT {columns} FROM {_q(meta.db_table)} WHERE {conditions} LIMIT 1"
    return sql + " FOR UPDATE" if lock else sql


async def aselect_values(cursor, model, names: tuple, *, lock: bool = False, **where):
    """The values of fields `names` (as the database returns them: use it for
    numbers, text and booleans) of the one row matching `where`, or None; locked
    when `lock`. By `cursor`, a psycopg AsyncCursor whose connection is in a
    transaction (one cursor for the transaction's statements: a cursor made and
    closed per statement costs 10–17 µs more each). No instance is made: on an
    event loop, a model's construction costs more than the query."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = _values_sql(model, names, tuple(where), lock, db.vendor)
    params = [
        _field(model, name).get_db_prep_value(value, db)
        for name, value in where.items()
    ]
    await cursor.execute(sql, params)
    return await cursor.fetchone()


@cache
def _insert_values_sql(model, names: tuple, vendor: str) -> str:
    meta = model._meta
    columns = ", ".join(_q(meta.get_field(n).column) for n in names)
    marks = ", ".join(["%s"] * len(names))
    table = _q(meta.db_table)
    returning = _q(meta.pk.column)
    return f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {returning}"


async def ainsert_values(cursor, model, **values) -> int:
    """Insert a row of `values` (attribute names; every field without a database
    default must be given — `auto_now_add` too) by `cursor`; its primary key."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = _insert_values_sql(model, tuple(values), db.vendor)
    await cursor.execute(sql, _prepared(model, values, db))
    return (await cursor.fetchone())[0]


async def aupdate_row(cursor, model, pk, **values) -> int:
    """`update_row` by `cursor`."""
    db = connections[DEFAULT_DB_ALIAS]
    sql = _update_sql(model, tuple(values), db.vendor)
    await cursor.execute(sql, [*_prepared(model, values, db), pk])
    return cursor.rowcount
