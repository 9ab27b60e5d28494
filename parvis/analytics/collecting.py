"""Collecting a channel's figures from its network, on a schedule.

Each channel has one ``MetricsCollection`` row (the row is the job). When it is due,
the runner asks the network for the account's figures and its recent posts' ones:
posts published in the last ``RECENT`` at every run, those up to ``TRACKED`` old at
the first run of each day (their figures change slowly by then). Each answer becomes
``MetricSnapshot`` rows. A channel whose access is refused pauses its collection
until it is reconnected; rate limits and network trouble only delay the next run.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parvis.analytics.snapshots import MetricSnapshot
from parvis.analytics.states import CollectionStates
from parvis.analytics.summaries import Measured, summaries_store
from parvis.channels.models import ChannelStatus
from parvis.channels.reading import reading_refused
from parvis.channels.selectors import channel_ref
from parvis.engine.runner import Call, Move, backoff
from parvis.networks import registry
from parvis.networks.base import MetricSample, NetworkError
from parvis.publishing.selectors import published_remote_ids

if TYPE_CHECKING:
    from parvis.analytics.models import MetricsCollection

COLLECTIONS_EVERY_SECONDS = 60  # how often new channels get their collection row
RECENT = timedelta(days=3)
TRACKED = timedelta(days=30)
MOST_POSTS = 300  # per run: far more than a channel publishes in a month


def interval() -> timedelta:
    return timedelta(minutes=settings.PARVIS_METRICS_EVERY_MINUTES)


def collect(collection: MetricsCollection) -> Move | Call:
    """Ask the channel's network for its figures (or wait, with the reason)."""
    channel = collection.channel
    now = timezone.now()
    try:
        network = registry.get(channel.network)
    except registry.UnknownNetwork:
        return Move(retry_at=now + interval(), error_detail=f"unknown network {channel.network}")
    if not network.capabilities.metrics:
        return Move(retry_at=now + interval())
    with translation.override(channel.workspace.language):
        if channel.status == ChannelStatus.NEEDS_RECONNECT:
            return Move(to=CollectionStates.paused, error=channel.status_reason)
        try:
            ref = channel_ref(channel=channel)
        except ValueError as error:  # encrypted with a key Parvis no longer has
            reason = _("Parvis cannot read this channel's access: reconnect the channel.")
            return Move(to=CollectionStates.paused, error=reason, error_detail=str(error))
    daily = collection.last_collected_at is None or (
        collection.last_collected_at.date() != now.date()
    )
    remote_ids = published_remote_ids(
        channel=channel, since=now - (TRACKED if daily else RECENT), limit=MOST_POSTS
    )
    return Call(
        make=lambda: network.fetch_metrics(ref, remote_ids=remote_ids),
        then=lambda samples, error: _after(collection, samples, error, now),
        limits=(
            (f"metrics:{channel.pk}", 1),
            (f"network:{channel.network}", settings.PARVIS_PUBLISH_PER_NETWORK),
        ),
    )


def _after(
    collection: MetricsCollection,
    samples: list[MetricSample] | None,
    error: BaseException | None,
    started: datetime,
) -> Move:
    if error is None:
        snapshots_store(collection=collection, samples=samples or [])
        return Move(
            retry_at=started + interval(), fields={"last_collected_at": started, "attempts": 0}
        )
    if not isinstance(error, NetworkError):
        raise error  # a bug: the runner logs it and the row is tried again later
    return Move(
        **reading_refused(
            channel=collection.channel,
            error=error,
            attempts=collection.attempts,
            every=interval(),
            paused=CollectionStates.paused,
            backoff=backoff,
        )
    )


def snapshots_store(*, collection: MetricsCollection, samples: list[MetricSample]) -> int:
    """The network's answer as snapshot rows (figures it did not give are not made up).

    One answer is one measurement of each object: its figures are stored under one
    time (the latest the network's samples give), since the pages show the figures of
    an object's last measurement together, and a connector that reads a post's figures
    in two requests stamps them a moment apart. The dashboards' summaries are updated
    in the same transaction (summaries.py).
    """
    channel = collection.channel
    measured: dict[str, datetime] = {}
    for sample in samples:
        known = measured.get(sample.remote_id)
        measured[sample.remote_id] = max(known, sample.measured_at) if known else sample.measured_at
    rows = [
        MetricSnapshot(
            workspace_id=channel.workspace_id,
            channel=channel,
            remote_id=sample.remote_id,
            name=sample.name,
            value=sample.value,
            measured_at=measured[sample.remote_id],
        )
        for sample in samples
    ]
    with transaction.atomic():
        MetricSnapshot.objects.bulk_create(rows, batch_size=500)
        summaries_store(
            workspace_id=channel.workspace_id,
            channel_id=channel.pk,
            zone=ZoneInfo(channel.workspace.time_zone),
            figures=[Measured(r.remote_id, r.name, r.value, r.measured_at) for r in rows],
        )
    return len(rows)
