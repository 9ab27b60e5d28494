"""Many rows written at once, each with its own values, in one statement per batch."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model

# Rows per UPDATE statement (PostgreSQL takes up to 65,535 parameters, SQLite 32,766).
UPDATE_BATCH = 500


def rows_update(rows: list[Model], names: list[str]) -> None:
    """Write these fields of these rows in one statement per batch, each row its own
    values: ``WITH v(...) AS (VALUES ...) UPDATE ... FROM v`` (PostgreSQL, SQLite 3.33+).
    Django's ``bulk_update`` does the same with CASE expressions, at a far higher cost
    in CPU per row."""
    meta = type(rows[0])._meta
    pk, fields = meta.pk, [meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    cast = connection.vendor == "postgresql"  # VALUES are typeless there: say each type
    holes = [f"%s::{f.cast_db_type(connection)}" if cast else "%s" for f in [pk, *fields]]
    row_sql = "(" + ", ".join(holes) + ")"
    columns = ", ".join(quote(f.column) for f in [pk, *fields])
    table = quote(meta.db_table)
    sets = ", ".join(f"{quote(f.column)} = v.{quote(f.column)}" for f in fields)
    match = f"{table}.{quote(pk.column)} = v.{quote(pk.column)}"
    for start in range(0, len(rows), UPDATE_BATCH):
        batch = rows[start : start + UPDATE_BATCH]
        params: list[Any] = []
        for row in batch:
            params.append(pk.get_db_prep_value(row.pk, connection))
            params.extend(f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields)
        sql = (
            f"WITH v ({columns}) AS (VALUES {', '.join([row_sql] * len(batch))}) "
            f"UPDATE {table} SET {sets} FROM v WHERE {match}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
