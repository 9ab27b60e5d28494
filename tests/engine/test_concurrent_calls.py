"""Handlers' network calls run together, within their limits, each outcome written as it comes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parvis.engine.runner import run_once
from tests.engine.conftest import CALLS, Job

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counts(job_table):
    CALLS.clear()
    CALLS.update(now=0, peak=0)


def working(plan):
    return Job.objects.create(state="working", next_attempt_at=timezone.now(), plan=plan)


def call(key, most=1, **step):
    return [{"key": key, "most": most, "to": "done", "sleep": 0.05, **step}]


def test_calls_of_different_channels_run_together(job_table):
    jobs = [
        Job.objects.create(
            state="working", next_attempt_at=timezone.now(), plan=call(f"channel:{n}")
        )
        for n in range(12)
    ]
    assert run_once(Job, limit=50) == 12
    assert CALLS["peak"] == 12  # all twelve were in flight at once
    for job in jobs:
        job.refresh_from_db()
        assert (job.state, job.note) == ("done", "answered")


def test_a_limit_bounds_the_calls_sharing_its_key(job_table):
    for _ in range(9):
        Job.objects.create(
            state="working", next_attempt_at=timezone.now(), plan=call("channel:1", most=3)
        )
    run_once(Job, limit=50)
    assert CALLS["peak:channel:1"] == 3
    assert Job.objects.filter(state="done").count() == 9


def test_a_failed_call_is_handed_to_the_handler_not_lost(job_table):
    job = Job.objects.create(
        state="working", next_attempt_at=timezone.now(), plan=call("channel:1", fail=True)
    )
    run_once(Job)
    job.refresh_from_db()
    assert (job.state, job.note) == ("done", "error: the peer went away")


def test_a_call_whose_row_was_taken_over_before_its_turn_is_not_made(job_table):
    job = Job.objects.create(
        state="working", next_attempt_at=timezone.now(), plan=call("channel:1", lose_lease=True)
    )
    run_once(Job)
    job.refresh_from_db()
    assert CALLS["peak"] == 0  # never made
    assert job.state == "working" and job.note == ""  # nothing written over the new holder


def _queries_to_run(count: int) -> int:
    Job.objects.all().delete()
    for n in range(count):
        Job.objects.create(
            state="working", next_attempt_at=timezone.now(), plan=call(f"channel:{n}", sleep=0)
        )
    with CaptureQueriesContext(connection) as queries:
        assert run_once(Job, limit=100) == count
    assert set(Job.objects.values_list("state", "note").distinct()) == {("done", "answered")}
    return len(queries)


def test_a_wave_writes_its_rows_in_a_few_statements_not_one_per_row(job_table):
    # Each handler counts its own call (one statement per row, in the test model);
    # the runner's claim, attempts and outcomes cost the same for 5 rows or 40.
    assert _queries_to_run(40) - _queries_to_run(5) == 40 - 5
