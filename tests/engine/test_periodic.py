from __future__ import annotations

import pytest

from parvis.engine import periodic


@pytest.mark.django_db
def test_due_jobs_run_and_a_failing_job_does_not_stop_others(monkeypatch):
    monkeypatch.setattr(periodic, "_JOBS", {})
    calls: list[str] = []
    periodic.register("ok", 10, lambda: calls.append("ok"))
    periodic.register("boom", 10, lambda: 1 / 0)
    assert periodic.run_due(now=100.0) == ["ok", "boom"]
    assert calls == ["ok"]
    assert periodic.run_due(now=105.0) == []  # not due yet
    assert periodic.run_due(now=110.0) == ["ok", "boom"]
    assert calls == ["ok", "ok"]


def test_a_drain_runs_again_at_once_while_it_finds_work_then_waits_its_period(monkeypatch):
    monkeypatch.setattr(periodic, "_JOBS", {})
    found = [3, 1, 0, 2]
    periodic.register("drain", 0.25, lambda: found.pop(0), again_while_working=True)
    periodic.register("count", 10, lambda: 5)  # a count from a job not asking to run again
    assert periodic.run_due(now=100.0) == ["drain", "count"]  # found 3 rows
    assert periodic.run_due(now=100.0) == ["drain"]  # found 1: at once again
    assert periodic.run_due(now=100.0) == ["drain"]  # found none: now waits
    assert periodic.run_due(now=100.1) == []
    assert periodic.run_due(now=100.25) == ["drain"]
    assert not found
