"""A reconnected channel's held deliveries go out again."""

from __future__ import annotations

from django.db import transaction

from parvis.channels.models import Channel
from parvis.core.audit import audit
from parvis.publishing.models import Delivery


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
