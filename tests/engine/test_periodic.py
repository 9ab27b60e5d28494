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
