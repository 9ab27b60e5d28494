from __future__ import annotations

import pytest

from parvis.engine.graph import GraphError, State, StateGraph
from tests.engine.conftest import JobStates


def test_a_graph_knows_its_initial_terminal_and_automatic_states():
    assert JobStates.initial_state is JobStates.waiting
    assert JobStates.terminal_states == {JobStates.done, JobStates.broken}
    assert JobStates.automatic_states == {JobStates.waiting, JobStates.working}
    assert ("held", "held") in JobStates.choices()


def test_two_initial_states_are_refused():
    with pytest.raises(GraphError, match="exactly one initial state"):

        class Twice(StateGraph):
            a = State(try_interval=1)
            b = State(try_interval=1)
            end = State(terminal=True)
            a.transitions_to(end)
            b.transitions_to(end)


def test_a_marked_initial_state_allows_other_declared_entry_states():
    class Parts(StateGraph):
        held = State(try_interval=1, entry=True)  # created waiting for another row
        ready = State(try_interval=1, initial=True)
        end = State(terminal=True)
        held.transitions_to(ready, end)
        ready.transitions_to(end)

    assert Parts.initial_state is Parts.ready


def test_an_undeclared_entry_state_is_refused():
    with pytest.raises(GraphError, match="no transition leads to b; mark it entry"):

        class Orphan(StateGraph):
            a = State(try_interval=1, initial=True)
            b = State(try_interval=1)
            end = State(terminal=True)
            a.transitions_to(end)
            b.transitions_to(end)


def test_two_marked_initial_states_are_refused():
    with pytest.raises(GraphError, match="several initial states"):

        class Both(StateGraph):
            a = State(try_interval=1, initial=True)
            b = State(try_interval=1, initial=True)
            end = State(terminal=True)
            a.transitions_to(end)
            b.transitions_to(end)


def test_a_transition_to_an_undeclared_state_is_refused():
    elsewhere = State(terminal=True)
    with pytest.raises(GraphError, match="undeclared"):

        class Leaky(StateGraph):
            a = State(try_interval=1)
            a.transitions_to(elsewhere)


def test_terminal_states_lead_nowhere_and_others_lead_somewhere():
    with pytest.raises(GraphError, match="leads nowhere"):

        class Stuck(StateGraph):
            a = State(try_interval=1)
            b = State(try_interval=1)
            a.transitions_to(b)


def test_automatic_states_need_an_interval():
    with pytest.raises(GraphError, match="try_interval"):

        class NoPace(StateGraph):
            a = State()
            end = State(terminal=True)
            a.transitions_to(end)


def test_a_model_without_a_handler_is_refused():
    from parvis.engine.models import StateMachineModel

    with pytest.raises(GraphError, match="handle_working"):

        class Lazy(StateMachineModel):
            graph = JobStates

            class Meta:
                app_label = "engine"

            def handle_waiting(self):
                return None
