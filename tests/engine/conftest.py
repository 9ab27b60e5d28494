"""A throwaway state-machine model, with its table, to exercise the engine."""

from __future__ import annotations

import pytest
from django.db import connection, models

from parvis.engine.graph import State, StateGraph
from parvis.engine.models import StateMachineModel
from parvis.engine.runner import Move


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
        if isinstance(step, list):  # [state, note]
            return Move(to=step[0], fields={"note": step[1]})
        return step

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
