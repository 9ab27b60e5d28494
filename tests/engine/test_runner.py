from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from parvis.engine.runner import backoff, claim, run_once, run_row
from tests.concurrency import in_threads
from tests.engine.conftest import Job


@pytest.fixture
def jobs(job_table, db):
    return Job


def make(plan, **fields):
    return Job.objects.create(plan=plan, **fields)


def test_a_new_row_starts_in_the_initial_state_and_is_due_at_once(jobs):
    job = make([])
    assert job.state == "waiting"
    assert job.next_attempt_at <= timezone.now()


def test_rows_move_through_the_graph(jobs):
    job = make(["working", ["done", "sent"]])
    assert run_once(Job) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.locked_until) == ("working", 0, None)
    run_once(Job)
    job.refresh_from_db()
    assert (job.state, job.note, job.next_attempt_at) == ("done", "sent", None)
    assert run_once(Job) == 0  # terminal rows are never claimed


def test_staying_counts_an_attempt_and_waits_for_the_interval(jobs):
    job = make(["stay"])
    before = timezone.now()
    run_once(Job)
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("waiting", 1)
    assert job.next_attempt_at >= before + timedelta(seconds=59)
    assert run_once(Job) == 0  # not due yet


def test_a_handler_bug_is_retried_later_with_a_readable_error(jobs):
    job = make(["boom"])
    run_once(Job)
    job.refresh_from_db()
    assert job.state == "waiting" and job.attempts == 1
    assert "try again" in job.last_error
    assert "RuntimeError: handler bug" in job.last_error_detail
    assert job.next_attempt_at > timezone.now()


def test_an_illegal_move_is_treated_as_a_bug_not_a_crash(jobs):
    job = make(["working", "illegal"])
    run_once(Job)
    run_once(Job)  # working -> waiting is not in the graph
    job.refresh_from_db()
    assert job.state == "working"
    assert "GraphError" in job.last_error_detail


def test_externally_progressed_rows_wait_for_a_person(jobs):
    job = make(["working", "held"])
    run_once(Job)
    run_once(Job)
    job.refresh_from_db()
    assert job.state == "held" and job.next_attempt_at is None
    assert run_once(Job) == 0
    job.transition_to("working")
    job.refresh_from_db()
    assert job.state == "working" and job.next_attempt_at <= timezone.now()


def test_a_claimed_row_is_not_claimed_again_until_its_lease_expires(jobs):
    job = make(["working"])
    assert [r.pk for r in claim(Job)] == [job.pk]
    assert claim(Job) == []
    later = timezone.now() + timedelta(seconds=121)
    assert [r.pk for r in claim(Job, now=later)] == [job.pk]


def test_a_worker_whose_lease_was_taken_over_cannot_write(jobs):
    job = make(["working"])
    (stale,) = claim(Job)
    later = timezone.now() + timedelta(seconds=121)
    (fresh,) = claim(Job, now=later)  # another worker, after the lease expired
    assert run_row(stale) is False
    job.refresh_from_db()
    assert job.state == "waiting"  # the stale worker's outcome was dropped
    assert run_row(fresh) is True
    job.refresh_from_db()
    assert job.state == "working"


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    assert 5 <= backoff(1) <= 10
    assert 20 <= backoff(3) <= 40
    assert 1800 <= backoff(30) <= 3600


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_never_claim_the_same_row(job_table):
    """The claiming rule, with real separate connections (SKIP LOCKED or BEGIN IMMEDIATE)."""
    Job.objects.bulk_create(
        [Job(plan=[], state="waiting", next_attempt_at=timezone.now()) for _ in range(60)]
    )
    taken: list[list[int]] = []
    barrier = threading.Barrier(3)

    def worker():
        try:
            barrier.wait()
            mine = []
            while batch := claim(Job, limit=4):
                mine.extend(r.pk for r in batch)
            taken.append(mine)
        finally:
            connection.close()

    in_threads(worker, count=3)
    everything = [pk for mine in taken for pk in mine]
    assert len(taken) == 3
    assert len(everything) == 60
    assert len(set(everything)) == 60  # no row taken twice


def test_after_transition_hears_each_move_and_cannot_undo_it(jobs, monkeypatch):
    heard: list[tuple[str, str]] = []

    def hook(self, previous):
        heard.append((previous, self.state))
        if self.state == "done":
            raise RuntimeError("the reaction failed")

    monkeypatch.setattr(Job, "after_transition", hook, raising=False)
    job = make(["working", ["done", "x"]])
    run_once(Job)
    run_once(Job)
    job.refresh_from_db()
    assert heard == [("waiting", "working"), ("working", "done")]
    assert job.state == "done"  # the failing reaction did not undo the move
