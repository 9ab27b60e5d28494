"""Published posts and figures built directly, with exactly known values."""

from __future__ import annotations

from datetime import datetime
from itertools import count

from parvis.analytics.models import MetricSnapshot
from parvis.publishing.models import Delivery, Post, PostStatus

_ids = count(1)


def published(workspace, channel, at: datetime, *, campaign=None, pillar=None, text="") -> Post:
    """A post published on ``channel`` at ``at`` (its delivery, with a network id)."""
    number = next(_ids)
    post = Post.objects.create(
        workspace=workspace,
        text=text or f"Fournée n°{number}",
        scheduled_at=at,
        status=PostStatus.PUBLISHED,
        campaign=campaign,
        pillar=pillar,
    )
    post.channels.add(channel)
    Delivery.objects.create(
        workspace=workspace,
        post=post,
        channel=channel,
        state="published",
        remote_id=f"remote-{number}",
        published_at=at,
    )
    return post


def remote_id_of(post: Post) -> str:
    return post.deliveries.get().remote_id


def figures(channel, remote_id: str, at: datetime, **values: float) -> None:
    """The figures the network gave for a post ("" is the account) at ``at``."""
    MetricSnapshot.objects.bulk_create(
        MetricSnapshot(
            workspace_id=channel.workspace_id,
            channel=channel,
            remote_id=remote_id,
            name=name,
            value=value,
            measured_at=at,
        )
        for name, value in values.items()
    )


def planned(workspace, at: datetime, *, pillar=None, channel=None, status=PostStatus.SCHEDULED):
    post = Post.objects.create(
        workspace=workspace, text="Prévu", scheduled_at=at, status=status, pillar=pillar
    )
    if channel is not None:
        post.channels.add(channel)
    return post
