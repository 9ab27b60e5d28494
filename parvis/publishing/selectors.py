"""Reads about posts, always scoped to one workspace."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import QuerySet

from parvis.accounts.models import Workspace
from parvis.publishing.history import HistoryEntry, history_of
from parvis.publishing.models import Delivery, Post, PostStatus


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


def deliveries_of(*, post: Post) -> QuerySet[Delivery]:
    return post.deliveries.select_related("channel").order_by("channel__name", "id")


def posts_in_review(*, workspace: Workspace) -> QuerySet[Post]:
    return (
        Post.objects.in_workspace(workspace)
        .filter(status=PostStatus.IN_REVIEW)
        .select_related("created_by")
        .prefetch_related("channels")
        .order_by("updated_at", "id")
    )


def posts_in_review_count(*, workspace: Workspace) -> int:
    return Post.objects.in_workspace(workspace).filter(status=PostStatus.IN_REVIEW).count()


def post_history(*, post: Post) -> list[HistoryEntry]:
    return history_of(post)
