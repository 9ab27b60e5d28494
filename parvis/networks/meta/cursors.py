"""The reading cursor of Graph API comments: the newest second seen, and what was seen in it.

Graph API times have whole seconds, so two comments may share the cursor's second: a
plain "newer than" would miss the second one, "as new or newer" would return the first
again. The cursor ``"<epoch>:<id>,<id>"`` keeps the ids seen in its second.
"""

from __future__ import annotations

from collections.abc import Sequence

from parvis.networks.base import Interaction


def read_cursor(cursor: str) -> tuple[int, set[str]]:
    """The cursor's second (0 for none or an unreadable one) and the ids seen in it."""
    moment, _, seen = cursor.partition(":")
    return (int(moment) if moment.isdigit() else 0), {i for i in seen.split(",") if i}


def is_new(item: Interaction, since: int, seen: set[str]) -> bool:
    moment = int(item.created_at.timestamp())
    return moment > since or (moment == since and item.remote_id not in seen)


def make_cursor(since: int, seen: set[str], found: Sequence[Interaction]) -> str:
    """The cursor after ``found`` (new items, oldest first) was read from ``since``."""
    if not found:
        return f"{since}:{','.join(sorted(seen))}" if since else ""
    newest = int(found[-1].created_at.timestamp())
    at_newest = {i.remote_id for i in found if int(i.created_at.timestamp()) == newest}
    if newest == since:
        at_newest |= seen
    return f"{newest}:{','.join(sorted(at_newest))}"
