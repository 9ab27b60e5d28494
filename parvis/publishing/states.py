"""The life of one delivery (one post to one channel)."""

from __future__ import annotations

from parvis.engine.graph import State, StateGraph

MAX_ATTEMPTS = 8


class DeliveryStates(StateGraph):
    scheduled = State(try_interval=30, initial=True)  # waiting for its time
    # A thread part or first comment: waits until the part it follows is published.
    waiting = State(try_interval=60, entry=True)
    publishing = State(try_interval=30, lease=120)
    verifying = State(try_interval=30, lease=120)  # outcome unknown: ask the network first
    retrying = State(try_interval=60)  # transient error; next_attempt_at = backoff
    published = State(terminal=True)
    failed = State(terminal=True)  # permanent error, with the reason for people
    cancelled = State(terminal=True)
    needs_attention = State(externally_progressed=True)  # e.g. the channel needs reconnecting

    scheduled.transitions_to(publishing, cancelled, needs_attention)
    waiting.transitions_to(publishing, cancelled, needs_attention)
    publishing.transitions_to(published, retrying, failed, verifying, needs_attention)
    verifying.transitions_to(published, publishing, retrying, failed, needs_attention)
    retrying.transitions_to(publishing, cancelled, needs_attention)
    needs_attention.transitions_to(publishing, cancelled)


def status_of(delivery_states: set[str]) -> str | None:
    """A post's status (a ``PostStatus`` value) from its deliveries' states: published
    when all are, else the most worrying one; None when it has no delivery."""
    if not delivery_states:
        return None
    if delivery_states == {"published"}:
        return "published"
    if "failed" in delivery_states:
        return "failed"
    if "needs_attention" in delivery_states:
        return "needs_attention"
    return "scheduled"
