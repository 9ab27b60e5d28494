"""Commits that need not wait for the disk."""

from __future__ import annotations

from django.db import connection


def commit_without_waiting_for_disk() -> None:
    """On PostgreSQL, let the current transaction's commit return before its WAL is on
    disk (``SET LOCAL synchronous_commit``: this transaction only, nothing else changes).

    Only for writes a crash may lose without harm: a suffix of the log is lost, never
    a hole, and the next durable commit flushes every earlier one with it. Call it
    inside ``transaction.atomic()``; elsewhere (SQLite) it does nothing."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
