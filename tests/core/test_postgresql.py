"""Proof that the suite's second run is on a real PostgreSQL server."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_the_suite_runs_on_a_real_postgresql_server():
    assert connection.vendor == "postgresql"
    assert connection.pg_version >= 150000
    assert connection.features.has_select_for_update_skip_locked
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert cursor.fetchone()[0].split(".")[0].isdigit()
