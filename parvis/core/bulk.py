"""Many rows written at once, each with its own values, in one statement per batch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone

# Rows per UPDATE statement where rows go as a VALUES list (SQLite takes up to 32,766
# parameters); PostgreSQL takes them all at once, as arrays.
UPDATE_BATCH = 500


def rows_update(rows: list[Model], names: list[str]) -> None:
    """Write these fields of these rows, each row its own values, in one statement
    (``update_from_rows``). Django's ``bulk_update`` does the same with CASE
    expressions, at a far higher cost in CPU per row."""
    meta = type(rows[0])._meta
    pk, fields = meta.pk, [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = [(quote(f.column), f.cast_db_type(connection)) for f in [pk, *fields]]
    values = [
        (
            pk.get_db_prep_value(row.pk, connection),
            *(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields),
        )
        for row in rows
    ]
    sets = ", ".join(f"{name} = v.{name}" for name, _type in columns[1:])
    update_from_rows(type(rows[0]), columns, values, sets)


def update_from_rows(
    model: type[Model], columns: list[tuple[str, str]], rows: list[tuple], sets: str
) -> None:
    """``UPDATE <table> SET <sets> FROM <the rows, as v> WHERE <table>.id = v.<first>``.

    ``columns`` name v's columns, with their PostgreSQL type; the first is the table's
    primary key. In ``sets``, ``{t}`` stands for the table's name.

    PostgreSQL: the rows go as one array per column, bound on the server in binary
    (``unnest``): a few milliseconds of CPU for thousands of rows, where a VALUES list
    of as many parameters costs ten times more to quote. Elsewhere (SQLite 3.33+):
    ``WITH v AS (VALUES ...)``, ``UPDATE_BATCH`` rows per statement."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(name for name, _type in columns)
    match = f"{table}.{quote(model._meta.pk.column)} = v.{columns[0][0]}"
    if connection.vendor == "postgresql":
        arrays = ", ".join(f"%b::{kind}[]" for _name, kind in columns)
        sql = f"UPDATE {table} SET {sets.format(t=table)} FROM unnest({arrays}) AS v ({names})"
        with _binary_cursor() as cursor:
            cursor.execute(f"{sql} WHERE {match}", [list(c) for c in zip(*rows, strict=True)])
        return
    adapt = connection.ops.adapt_datetimefield_value
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(rows), UPDATE_BATCH):
        batch = rows[start : start + UPDATE_BATCH]
        params = [adapt(v) if isinstance(v, datetime) else v for row in batch for v in row]
        sql = (
            f"WITH v ({names}) AS (VALUES {', '.join([row_sql] * len(batch))}) "
            f"UPDATE {table} SET {sets.format(t=table)} FROM v WHERE {match}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@contextmanager
def _binary_cursor() -> Iterator[Any]:
    """A psycopg cursor binding its parameters on the server (Django's binds them in the
    query text), in Django's transaction, its errors turned into Django's."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        yield cursor


def rows_insert(model: type[Model], names: list[str], rows: list[tuple]) -> list[int]:
    """Insert rows (each a tuple of the values of the fields ``names``, as the fields
    take them in Python) without building model instances; return their new ids, in
    the rows' order.

    PostgreSQL: the ids are drawn from the table's sequence in one query and the rows
    sent with COPY, which costs a small part of the CPU of Django's multi-row INSERT
    (compiling and quoting tens of thousands of parameters). Elsewhere: ``bulk_create``.
    The fields not named take their default (the time now for ``auto_now_add``), as
    with ``save()``. A unique constraint broken raises ``IntegrityError``, as the
    INSERT would."""
    if not rows:
        return []
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        attnames = [f.attname for f in fields]
        instances = [model(**dict(zip(attnames, row, strict=True))) for row in rows]
        return [instance.pk for instance in model.objects.bulk_create(instances)]
    others = [f for f in meta.concrete_fields if not f.primary_key and f not in fields]
    now = timezone.now()
    stamped = [getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in others]
    defaults = tuple(now if at else f.get_default() for f, at in zip(others, stamped, strict=True))
    fields += others
    encoders = {
        n: getattr(f, "encoder", None)
        for n, f in enumerate(fields)
        if f.get_internal_type() == "JSONField"
    }
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(f.column) for f in [meta.pk, *fields])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        copying = cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
        with connection.wrap_database_errors, copying as copy:  # Django's IntegrityError
            for pk, values in zip(ids, rows, strict=True):
                row = values + defaults
                if encoders:
                    row = list(row)
                    for n, encoder in encoders.items():
                        row[n] = json.dumps(row[n], cls=encoder)
                copy.write_row((pk, *row))
    return ids
