"""Reads about posts, always scoped to one workspace."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from parvis.accounts.models import Workspace
from parvis.publishing.models import Post


def posts_between(
    *,
    workspace: Workspace,
    start: datetime,
    end: datetime,
    channel_ids: Iterable[int] | None = None,
    statuses: Iterable[str] | None = None,
) -> QuerySet[Post]:
    """Posts scheduled in [start, end), with their channels, for the calendar."""
    posts = Post.objects.in_workspace(workspace).filter(
        scheduled_at__gte=start, scheduled_at__lt=end
    )
    if channel_ids:
        posts = posts.filter(channels__id__in=list(channel_ids)).distinct()
    if statuses:
        posts = posts.filter(status__in=list(statuses))
    return posts.prefetch_related("channels", "deliveries").order_by("scheduled_at", "id")
