"""Writes about the inbox: polling rows, the team's work on conversations."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from parvis.channels.models import Channel
from parvis.core.audit import audit
from parvis.inbox.models import InboundEvent, InboxPolling
from parvis.inbox.states import EventStates, PollingStates

POLLINGS_EVERY_SECONDS = 60  # how often new channels get their polling row
EVENTS_PRUNE_EVERY_SECONDS = 6 * 3600
EVENTS_KEPT = timedelta(days=30)  # read webhook deliveries, kept this long for support


def pollings_ensure() -> int:
    """A polling row for every channel that has none yet (new channels, upgrades)."""
    missing = Channel.objects.filter(inbox_polling__isnull=True).values_list("pk", flat=True)
    return InboxPolling.create_due([{"channel_id": pk} for pk in missing])


@transaction.atomic
def polling_resume(*, channel: Channel) -> bool:
    """A reconnected channel: its paused polling runs again at once."""
    polling = (
        InboxPolling.objects.select_for_update()
        .filter(channel=channel, state=PollingStates.paused.name)
        .first()
    )
    if polling is None:
        return False
    polling.transition_to(PollingStates.polling)
    audit(verb="inbox.polling_resumed", workspace=channel.workspace, target=channel)
    return True


def events_prune() -> int:
    """Forget the webhook deliveries read long ago (their messages stay)."""
    read = [EventStates.processed.name, EventStates.rejected.name]
    old = InboundEvent.objects.filter(state__in=read, received_at__lt=timezone.now() - EVENTS_KEPT)
    deleted, _by_model = old.delete()
    return deleted
