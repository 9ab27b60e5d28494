"""The life of a channel's metrics collection."""

from __future__ import annotations

from parvis.engine.graph import State, StateGraph


class CollectionStates(StateGraph):
    collecting = State(try_interval=3600, initial=True)  # next_attempt_at: the next run
    paused = State(externally_progressed=True)  # the channel needs reconnecting

    collecting.transitions_to(paused)
    paused.transitions_to(collecting)
