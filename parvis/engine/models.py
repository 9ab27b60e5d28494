"""The row is the job: a model whose rows move through a StateGraph.

A concrete model names its graph and has one ``handle_<state>`` method per
automatic state. A handler returns the next State (or None to try again after
the state's try_interval); it runs outside any transaction, so it may call a
network, and the runner writes the outcome back only if it still holds the
row's lease.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import ClassVar

from django.db import models
from django.utils import timezone

from parvis.engine.graph import GraphError, State, StateGraph


class StateMachineModel(models.Model):
    graph: ClassVar[type[StateGraph]]
    # Relations its handlers read, loaded with the claim (``select_related``).
    claim_related: ClassVar[tuple[str, ...]] = ()

    state = models.CharField(max_length=32, db_index=False)
    state_changed_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)  # for people, in their words
    last_error_detail = models.TextField(blank=True)  # raw, for support

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        graph = cls.__dict__.get("graph")
        if graph is None:
            return
        missing = [
            s.handler_name for s in graph.automatic_states if not hasattr(cls, s.handler_name)
        ]
        if missing:
            raise GraphError(f"{cls.__name__} lacks handler(s): {', '.join(sorted(missing))}")

    def save(self, *args, **kwargs) -> None:
        if not self.state:
            initial = self.graph.initial_state
            self.state = initial.name
            if initial.automatic and self.next_attempt_at is None:
                self.next_attempt_at = timezone.now()
        super().save(*args, **kwargs)

    @classmethod
    def create_due(cls, rows: list[dict]) -> int:
        """New rows (each given by its field values) in the initial state, due now;
        a row that would break a unique constraint is skipped."""
        now = timezone.now()
        initial = cls.graph.initial_state.name
        made = [
            cls(state=initial, state_changed_at=now, next_attempt_at=now, **values)
            for values in rows
        ]
        cls.objects.bulk_create(made, ignore_conflicts=True)
        return len(made)

    @property
    def state_object(self) -> State:
        return self.graph.get(self.state)

    def transition_values(self, to: State | str, *, now: datetime | None = None) -> dict:
        """The field values of a legal move to ``to`` (raises GraphError if illegal)."""
        target = self.graph.get(to) if isinstance(to, str) else to
        current = self.state_object
        if target is not current and target not in current.children:
            raise GraphError(f"{type(self).__name__}: no transition {current} -> {target}")
        now = now or timezone.now()
        values: dict = {"state": target.name, "state_changed_at": now}
        if not target.automatic:
            values["next_attempt_at"] = None
        elif target is current:  # try again after the state's interval
            values["next_attempt_at"] = now + timedelta(seconds=target.try_interval or 0)
        else:  # a new state is worked on at once
            values["next_attempt_at"] = now
            values["attempts"] = 0
        return values

    def transition_to(self, to: State | str) -> None:
        """Move now (inside the caller's transaction), e.g. from an action."""
        previous = self.state
        values = self.transition_values(to)
        for name, value in values.items():
            setattr(self, name, value)
        self.save(update_fields=list(values))
        hook = getattr(self, "after_transition", None)
        if hook is not None and previous != self.state:
            hook(previous)
