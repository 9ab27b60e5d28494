"""Published posts with figures, written directly: the heatmap's tests need many."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from parvis.analytics.models import MetricSnapshot
from parvis.channels.models import Channel
from parvis.publishing.models import Delivery, Post

# Monday 26 October 2026, 00:00 UTC (01:00 in Paris): winter time for 22 weeks.
MONDAY = datetime(2026, 10, 26, tzinfo=UTC)


def published(
    channel: Channel, at: datetime, *, figures: dict[str, float] | None = None, position: int = 0
) -> Delivery:
    """A delivery published at ``at`` with one measurement of ``figures``."""
    post = Post.objects.create(workspace=channel.workspace, text="Pain du jour", status="published")
    delivery = Delivery.objects.create(
        workspace=channel.workspace,
        post=post,
        channel=channel,
        state="published",
        remote_id=secrets.token_hex(6),
        published_at=at,
        position=position,
    )
    for name, value in (figures or {}).items():
        MetricSnapshot.objects.create(
            workspace=channel.workspace,
            channel=channel,
            remote_id=delivery.remote_id,
            name=name,
            value=value,
            measured_at=at + timedelta(days=1),
        )
    return delivery


def rated(channel: Channel, at: datetime, rate: float, reach: float = 1000) -> Delivery:
    """A post whose engagement rate (engagements / reach) is ``rate``."""
    return published(channel, at, figures={"reach": reach, "engagements": rate * reach})
