"""How a post appears on the editorial calendar."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from parvis.publishing.models import Post, PostStatus

STATUS_COLOURS = {
    PostStatus.DRAFT: "#6c757d",
    PostStatus.IN_REVIEW: "#b58100",
    PostStatus.SCHEDULED: "#0d6efd",
    PostStatus.PUBLISHED: "#198754",
    PostStatus.NEEDS_ATTENTION: "#fd7e14",
    PostStatus.FAILED: "#dc3545",
}


def calendar_event(post: Post) -> dict[str, Any]:
    channels = list(post.channels.all())
    links = [d.url for d in post.deliveries.all() if d.url]
    event = {
        "id": post.pk,
        "title": post.first_line or "…",
        "start": timezone.localtime(post.scheduled_at).isoformat(),
        "color": STATUS_COLOURS.get(post.status, "#6c757d"),
        "extendedProps": {
            "status": post.status,
            "statusLabel": str(post.get_status_display()),
            "channels": [c.name for c in channels],
            "networks": sorted({c.network for c in channels}),
            "text": post.text,
        },
    }
    if links:  # a published post opens where it appeared
        event["url"] = links[0]
    return event
