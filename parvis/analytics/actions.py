"""Writes about figures' collection: every channel has one, a reconnect resumes it."""

from __future__ import annotations

from django.db import transaction

from parvis.analytics.models import MetricsCollection
from parvis.channels.models import Channel
from parvis.core.audit import audit


def collections_ensure() -> int:
    """A collection row for every channel that has none yet (new channels, upgrades)."""
    missing = Channel.objects.filter(metrics_collection__isnull=True).values_list("pk", flat=True)
    return MetricsCollection.create_due([{"channel_id": pk} for pk in missing])


@transaction.atomic
def collections_resume(*, channel: Channel) -> bool:
    """A reconnected channel: its paused collection runs again at once."""
    collection = (
        MetricsCollection.objects.select_for_update()
        .filter(channel=channel, state=MetricsCollection.graph.paused.name)
        .first()
    )
    if collection is None:
        return False
    collection.transition_to(MetricsCollection.graph.collecting)
    audit(verb="metrics.resumed", workspace=channel.workspace, target=channel)
    return True
