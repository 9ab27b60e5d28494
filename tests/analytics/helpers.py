"""Figures written as the collector writes them, at chosen times."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.analytics.collecting import snapshots_store
from parvis.analytics.models import MetricsCollection
from parvis.networks.base import MetricSample
from parvis.publishing.models import Delivery, Post

PARIS = ZoneInfo("Europe/Paris")


def today():
    return timezone.localdate(timezone=PARIS)


def at(days_ago: int, hour: int = 20) -> datetime:
    """A time in Paris, ``days_ago`` days before today."""
    return datetime.combine(today() - timedelta(days=days_ago), time(hour), tzinfo=PARIS)


def published(workspace, channel, remote_id: str, *, text: str = "Pain du jour", campaign=None):
    """A post published on the channel as ``remote_id`` (no network call)."""
    post = Post.objects.create(workspace=workspace, text=text, campaign=campaign)
    Delivery.objects.create(
        workspace=workspace,
        post=post,
        channel=channel,
        state="published",
        remote_id=remote_id,
        published_at=timezone.now(),
    )
    return post


def measure(channel, when: datetime, *, followers=None, posts=None) -> None:
    """One collection: the account's followers and posts' lifetime totals at ``when``."""
    samples = []
    if followers is not None:
        samples.append(MetricSample(name="followers", value=followers, measured_at=when))
    for remote_id, values in (posts or {}).items():
        samples += [
            MetricSample(name=name, value=value, measured_at=when, remote_id=remote_id)
            for name, value in values.items()
        ]
    collection, _ = MetricsCollection.objects.get_or_create(channel=channel)
    snapshots_store(collection=collection, samples=samples)
