"""How a post appears on the editorial calendar."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

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
SUMMARY_COLOUR = "#495057"
TOOLTIP_LENGTH = 300
# Over this many posts in a day, the month and week views show the day's counts
# instead of its posts (a click opens the day's list): the grid stays fast.
BUSY_DAY = 6


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
    if row.get("campaign_id"):
        event["extendedProps"]["campaign"] = {
            "id": row["campaign_id"],
            "name": row["campaign_name"],
            "colour": row["campaign_colour"],
        }
    return event


def day_summary_event(day: date, posts: list[tuple[int, str]]) -> dict[str, Any]:
    """A busy day as one all-day event: how many posts, and how many in each status.

    The calendar opens the day's list when it is clicked; the posts themselves
    are only sent for that day, so a month of thousands stays light.
    """
    counts = Counter(status for _post_id, status in posts)
    total = len(posts)
    return {
        "id": f"day-{day.isoformat()}",
        "start": day.isoformat(),
        "allDay": True,
        "title": ngettext("%(count)d post", "%(count)d posts", total) % {"count": total},
        "color": SUMMARY_COLOUR,
        "editable": False,
        "classNames": ["day-summary"],
        "extendedProps": {
            "summary": True,
            "total": total,
            "counts": [
                {
                    "status": status,
                    "label": str(label),
                    "count": counts[status],
                    "colour": STATUS_COLOURS.get(status, SUMMARY_COLOUR),
                }
                for status, label in PostStatus.choices
                if counts[status]
            ],
        },
    }


def summarised_events(
    days: dict[date, list[tuple[int, str]]],
    rows_for: Callable[[list[int]], list[dict[str, Any]]],
    *,
    membership: Membership,
) -> list[dict[str, Any]]:
    """Each quiet day's posts as events, each busy day (over BUSY_DAY posts) as one summary."""
    busy = {day: posts for day, posts in days.items() if len(posts) > BUSY_DAY}
    quiet = [post_id for day, posts in days.items() if day not in busy for post_id, _ in posts]
    events = events_for(rows_for(quiet), membership=membership) if quiet else []
    return events + [day_summary_event(day, posts) for day, posts in sorted(busy.items())]


def first_month_query(today: date, *, campaign: str = "", pillar: str = "") -> str:
    """The query the calendar's first month view sends for its events (a grid of
    six weeks from the Monday on or before the 1st), so the page can ask for
    them while its scripts load. Same parameters, same order, same encoding as
    calendar.js, or the browser would not reuse the answer."""
    first = today.replace(day=1)
    start = first - timedelta(days=first.weekday())
    end = start + timedelta(days=42)
    params = {"start": f"{start}T00:00:00", "end": f"{end}T00:00:00", "summarise": "1"}
    if campaign:
        params["campaign"] = campaign
    if pillar:
        params["pillar"] = pillar
    return urlencode(params)
