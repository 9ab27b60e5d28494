"""The lives of the inbox's rows: a channel's polling, a webhook delivery, a reply."""

from __future__ import annotations

from parvis.engine.graph import State, StateGraph

REPLY_MAX_ATTEMPTS = 6


class PollingStates(StateGraph):
    polling = State(try_interval=120, initial=True)  # next_attempt_at: the next look
    paused = State(externally_progressed=True)  # the channel needs reconnecting

    polling.transitions_to(paused)
    paused.transitions_to(polling)


class EventStates(StateGraph):
    received = State(try_interval=30, initial=True)  # stored raw, not yet read
    processed = State(terminal=True)
    rejected = State(terminal=True)  # unreadable (kept for support)

    received.transitions_to(processed, rejected)


class ReplyStates(StateGraph):
    sending = State(try_interval=30, lease=120, initial=True)
    verifying = State(try_interval=30, lease=120)  # outcome unknown: ask the network first
    retrying = State(try_interval=60)
    sent = State(terminal=True)
    failed = State(terminal=True)  # with the reason, for people

    sending.transitions_to(sent, failed, verifying, retrying)
    verifying.transitions_to(sent, sending, retrying, failed)
    retrying.transitions_to(sending, failed)
