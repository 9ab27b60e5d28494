"""A conversation's priority: complaints first, then questions, then large audiences.

The priority is a sum of flags, so that ordering by it puts every conversation
with a complaint before any without, then questions, then authors with a large
audience; ties go to the newest. A conversation collects the flags of the
messages received since it was last marked done (a new message after "done"
starts again from that message alone).

Audience: the author's follower count when the network gives it in the
interaction (``Interaction.raw["followers"]``: the Sandbox does; X, Facebook
and Instagram do not send it with comments, so there it is left out).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

COMPLAINT = 4
QUESTION = 2
LARGE_AUDIENCE = 1


def followers_of(raw: Mapping[str, Any]) -> int | None:
    """The author's follower count the network gave with the message, if any."""
    value = raw.get("followers")
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def message_priority(*, intent: str, followers: int | None, large_audience: int) -> int:
    flags = 0
    if intent == "complaint":
        flags |= COMPLAINT
    elif intent == "question":
        flags |= QUESTION
    if intent != "spam" and followers is not None and followers >= large_audience:
        flags |= LARGE_AUDIENCE
    return flags


def reasons(priority: int) -> list[str]:
    """The flags set, most important first: "complaint", "question", "audience"."""
    named = ((COMPLAINT, "complaint"), (QUESTION, "question"), (LARGE_AUDIENCE, "audience"))
    return [name for flag, name in named if priority & flag]
