"""Writes about posts and their deliveries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from parvis.accounts.models import User
from parvis.channels.models import Channel
from parvis.core.audit import audit
from parvis.publishing.models import Delivery, Post, PostStatus


@transaction.atomic
def post_schedule(
    *, post: Post, at: datetime, channels: Iterable[Channel], acting_user: User | None
) -> list[Delivery]:
    """Schedule a post: one delivery per channel, due at ``at`` (UTC)."""
    channels = list(channels)
    foreign = [c for c in channels if c.workspace_id != post.workspace_id]
    if foreign:
        raise ValueError("A post can only go to its own workspace's channels.")
    post.scheduled_at, post.status = at, PostStatus.SCHEDULED
    post.save(update_fields=["scheduled_at", "status", "updated_at"])
    post.channels.add(*channels)
    deliveries = []
    for channel in channels:
        delivery, _created = Delivery.objects.get_or_create(
            post=post, channel=channel, defaults={"workspace_id": post.workspace_id}
        )
        if delivery.state in ("", "scheduled"):
            delivery.next_attempt_at = at
            delivery.save(update_fields=["next_attempt_at"])
        deliveries.append(delivery)
    audit(
        verb="post.scheduled",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        at=at.isoformat(),
        channels=[c.pk for c in channels],
    )
    return deliveries


@transaction.atomic
def deliveries_resume(*, channel: Channel) -> int:
    """A reconnected channel: deliveries held for it go out again."""
    held = Delivery.objects.in_workspace(channel.workspace).filter(
        channel=channel, state="needs_attention"
    )
    count = 0
    for delivery in held.select_for_update():
        delivery.transition_to("publishing")
        count += 1
    if count:
        audit(verb="deliveries.resumed", workspace=channel.workspace, target=channel, count=count)
    return count


@transaction.atomic
def post_draft(
    *, workspace, text: str, channels: Iterable[Channel], acting_user: User | None
) -> Post:
    post = Post.objects.create(workspace=workspace, text=text, created_by=acting_user)
    post.channels.set(list(channels))
    audit(verb="post.drafted", workspace=workspace, actor=acting_user, target=post)
    return post
