"""The life of one scheduled report's sending (one row per schedule and period)."""

from __future__ import annotations

from parvis.engine.graph import State, StateGraph


class SendingStates(StateGraph):
    # Rendering the PDF takes seconds: the lease covers it and the e-mail.
    sending = State(try_interval=300, lease=600, initial=True)
    sent = State(terminal=True)
    failed = State(terminal=True)  # with the reason, for people

    sending.transitions_to(sent, failed)
