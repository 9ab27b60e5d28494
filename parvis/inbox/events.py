"""Webhook deliveries: read after they were stored, into messages.

The request that received a delivery only checked its signature and stored it
raw (``InboundEvent``); the runner reads it here. Each item names the account it
concerns; every channel connected to that account (in any workspace) gets the
message. Reading an event twice stores nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from parvis.channels.models import Channel, ChannelStatus
from parvis.engine.runner import Move
from parvis.inbox.ingesting import messages_store
from parvis.inbox.states import EventStates
from parvis.networks import registry
from parvis.networks.base import Interaction

if TYPE_CHECKING:
    from parvis.inbox.models import InboundEvent


def process(event: InboundEvent) -> Move:
    try:
        network = registry.get(event.network)
    except registry.UnknownNetwork:
        return Move(
            to=EventStates.rejected,
            error="No network is installed under this name.",
            error_detail=f"unknown network {event.network}",
        )
    try:
        items = network.webhook_items(bytes(event.body))
    except (ValueError, KeyError, TypeError) as error:  # a body the network's parser refuses
        return Move(
            to=EventStates.rejected,
            error="The network's delivery could not be read.",
            error_detail=f"{type(error).__name__}: {error}",
        )
    by_account: dict[str, list[Interaction]] = defaultdict(list)
    for item in items:
        by_account[item.channel_external_id].append(item.interaction)
    channels = Channel.objects.filter(
        network=event.network, external_id__in=list(by_account)
    ).exclude(status=ChannelStatus.DISCONNECTED)
    stored = 0
    for channel in channels.select_related("workspace"):
        stored += messages_store(channel=channel, interactions=by_account[channel.external_id])
    return Move(to=EventStates.processed, fields={"messages_stored": stored})
