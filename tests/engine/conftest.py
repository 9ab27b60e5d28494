"""A throwaway state-machine model, with its table, to exercise the engine."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from django.db import connection, models
from django.utils import timezone

from parvis.engine.graph import State, StateGraph
from parvis.engine.models import StateMachineModel
from parvis.engine.runner import Call, Move

# What the fake calls saw: how many ran at once, per limit key and overall.
CALLS: dict[str, int] = {"now": 0, "peak": 0}


async def _fake_call(step: dict) -> str:
    key = step["key"]
    CALLS[key] = CALLS.get(key, 0) + 1
    CALLS["now"] += 1
    CALLS[f"peak:{key}"] = max(CALLS.get(f"peak:{key}", 0), CALLS[key])
    CALLS["peak"] = max(CALLS["peak"], CALLS["now"])
    try:
        await asyncio.sleep(step.get("sleep", 0.05))
        if step.get("fail"):
            raise ConnectionError("the peer went away")
        return "answered"
    finally:
        CALLS[key] -= 1
        CALLS["now"] -= 1


class JobStates(StateGraph):
    waiting = State(try_interval=60)
    working = State(try_interval=30, lease=120)
    done = State(terminal=True)
    broken = State(terminal=True)
    held = State(externally_progressed=True)

    waiting.transitions_to(working)
    working.transitions_to(done, broken, held)
    held.transitions_to(working)


class Job(StateMachineModel):
    graph = JobStates
    plan = models.JSONField(default=list)  # what each handler call returns, in order
    calls = models.PositiveIntegerField(default=0)
    note = models.CharField(max_length=50, blank=True)

    class Meta:
        app_label = "engine"

    def _next(self):
        Job.objects.filter(pk=self.pk).update(calls=models.F("calls") + 1)
        step = self.plan[self.calls] if self.calls < len(self.plan) else "stay"
        if step == "boom":
            raise RuntimeError("handler bug")
        if step == "stay":
            return None
        if step == "illegal":
            return JobStates.waiting
        if isinstance(step, dict):  # a network call, made by the runner
            return Call(
                make=lambda: _fake_call(step),
                then=lambda result, error: Move(
                    to=step["to"], fields={"note": f"error: {error}" if error else result}
                ),
                limits=((step["key"], step.get("most", 1)),),
                prepare=lambda: self._before_call(step),
            )
        if isinstance(step, list):  # [state, note]
            return Move(to=step[0], fields={"note": step[1]})
        return step

    def _before_call(self, step: dict) -> dict:
        if step.get("lose_lease"):  # another worker took the row over meanwhile
            later = timezone.now() + timedelta(hours=1)
            Job.objects.filter(pk=self.pk).update(locked_until=later)
        return {"note": "prepared"}

    def handle_waiting(self):
        return self._next()

    def handle_working(self):
        return self._next()


@pytest.fixture(scope="session")
def job_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # The engine app has no migrations yet, so Django may have created it already.
        if Job._meta.db_table not in connection.introspection.table_names():
            with connection.schema_editor() as editor:
                editor.create_model(Job)
    return Job
