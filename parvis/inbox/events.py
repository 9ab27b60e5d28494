"""Webhook deliveries: read after they were stored, into messages.

The request that received a delivery only checked its signature and stored it
raw (``InboundEvent``); the runner reads it here. Each item names the account it
concerns; every channel connected to that account (in any workspace) gets the
message. Reading an event twice stores nothing twice.

The runner claims deliveries by the hundred: ``read_together`` reads a claimed
batch at once (``messages_store_many``: every channel's items of all the
deliveries in a few statements, one commit) before each event is moved; an event
it could not read is read alone by ``process``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction

from parvis.channels.models import Channel, ChannelStatus
from parvis.core.commits import commit_without_waiting_for_disk
from parvis.engine.runner import Move
from parvis.inbox.ingesting import messages_store_many
from parvis.inbox.states import EventStates
from parvis.networks import registry
from parvis.networks.base import Interaction, WebhookItem

if TYPE_CHECKING:
    from parvis.inbox.models import InboundEvent


def _items(event: InboundEvent) -> list[WebhookItem] | Move:
    """The delivery's items, or the move that rejects it."""
    try:
        network = registry.get(event.network)
    except registry.UnknownNetwork:
        return Move(
            to=EventStates.rejected,
            error="No network is installed under this name.",
            error_detail=f"unknown network {event.network}",
        )
    try:
        return list(network.webhook_items(bytes(event.body)))
    except (ValueError, KeyError, TypeError) as error:  # a body the network's parser refuses
        return Move(
            to=EventStates.rejected,
            error="The network's delivery could not be read.",
            error_detail=f"{type(error).__name__}: {error}",
        )


def _store(network: str, items: list[WebhookItem]) -> set[tuple[int, str]]:
    """Store the items for every channel connected to their accounts; (channel, id) stored."""
    by_account: dict[str, list[Interaction]] = defaultdict(list)
    for item in items:
        by_account[item.channel_external_id].append(item.interaction)
    channels = Channel.objects.filter(network=network, external_id__in=list(by_account)).exclude(
        status=ChannelStatus.DISCONNECTED
    )
    stored: set[tuple[int, str]] = set()
    channels = channels.select_related("workspace").order_by("pk")  # the same order in every worker
    batches = [(c, by_account[c.external_id]) for c in channels]
    with transaction.atomic():  # every channel's messages together, in a few statements
        # Safe for messages read from a delivery: the delivery was committed durably
        # before its 200 and stays ``received`` until the runner's move commits, which
        # is durable and flushes this commit with it. Messages lost in a crash are read
        # again from the raw delivery; messages kept without the move are found already
        # stored (no duplicate).
        commit_without_waiting_for_disk()
        messages_store_many(batches, new=stored)
    return stored


def read_together(events: list[InboundEvent]) -> None:
    """Read a claimed batch of deliveries at once; each event keeps its move (``read_move``)."""
    readable: dict[str, list[tuple[InboundEvent, list[WebhookItem]]]] = defaultdict(list)
    for event in events:
        found = _items(event)
        if isinstance(found, Move):
            event.read_move = found
        else:
            readable[event.network].append((event, found))
    for network, pairs in readable.items():
        stored = _store(network, [item for _event, items in pairs for item in items])
        for event, items in pairs:
            ids = {i.interaction.remote_id for i in items}
            mine = {pair for pair in stored if pair[1] in ids}
            stored -= mine  # a comment sent twice counts for the first delivery only
            event.read_move = Move(to=EventStates.processed, fields={"messages_stored": len(mine)})


def process(event: InboundEvent) -> Move:
    read = getattr(event, "read_move", None)
    if read is not None:
        return read
    found = _items(event)
    if isinstance(found, Move):
        return found
    stored = _store(event.network, found)
    return Move(to=EventStates.processed, fields={"messages_stored": len(stored)})
