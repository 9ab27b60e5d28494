"""How a post appears on the editorial calendar."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from parvis.accounts.models import Membership
from parvis.publishing.models import PostStatus, first_line

STATUS_COLOURS = {
    PostStatus.DRAFT: "#6c757d",
    PostStatus.IN_REVIEW: "#b58100",
    PostStatus.SCHEDULED: "#0d6efd",
    PostStatus.PUBLISHED: "#198754",
    PostStatus.NEEDS_ATTENTION: "#fd7e14",
    PostStatus.FAILED: "#dc3545",
}
TOOLTIP_LENGTH = 300


def movable(row: dict[str, Any], membership: Membership) -> bool:
    """Whether the calendar lets this member drag the post (post_reschedule decides)."""
    if row["going_out"] or row["status"] == PostStatus.PUBLISHED:
        return False
    if membership.can("post.schedule"):
        return True
    return (
        membership.can("post.draft")
        and row["status"] == PostStatus.DRAFT
        and row["created_by_id"] == membership.user_id
    )


def events_for(rows: list[dict[str, Any]], *, membership: Membership) -> list[dict[str, Any]]:
    labels = {value: str(label) for value, label in PostStatus.choices}  # in today's language
    slug = membership.workspace.slug
    return [
        calendar_event(row, editable=movable(row, membership), labels=labels, workspace_slug=slug)
        for row in rows
    ]


def calendar_event(
    row: dict[str, Any],
    *,
    editable: bool = False,
    labels: dict[str, str] | None = None,
    workspace_slug: str = "",
) -> dict[str, Any]:
    """One row of ``calendar_rows`` as a FullCalendar event.

    ``start`` is the wall-clock time in the active (workspace's) zone, without
    an offset: FullCalendar keeps such times as they are in a named zone, and
    sends them back the same way when a post is dragged.
    """
    text = row["text"]
    status = row["status"]
    event = {
        "id": row["id"],
        "title": first_line(text) or "…",
        "start": timezone.localtime(row["scheduled_at"]).replace(tzinfo=None).isoformat(),
        "color": STATUS_COLOURS.get(status, "#6c757d"),
        "editable": editable,
        "extendedProps": {
            "status": status,
            "statusLabel": (labels or {}).get(status) or str(PostStatus(status).label),
            "channels": [name for name, _network in row["channels"]],
            "networks": sorted({network for _name, network in row["channels"]}),
            "text": text if len(text) <= TOOLTIP_LENGTH else text[: TOOLTIP_LENGTH - 1] + "…",
        },
    }
    if workspace_slug:  # a post opens its page: review, history, links where it appeared
        event["url"] = reverse(
            "publishing:post", kwargs={"workspace": workspace_slug, "post_id": row["id"]}
        )
    if row["urls"]:
        event["extendedProps"]["publishedUrls"] = row["urls"]
    return event
