"""Thread parts and first comments: deliveries that follow the post on its channel.

Each is a delivery of its own (its own idempotency key, attempts and
verification), created ``waiting``; ``delivering.follow_up`` publishes it as a
reply once the delivery it follows is published.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from parvis.networks import registry
from parvis.publishing import models
from parvis.publishing.outgoing import text_and_link, tracked

if TYPE_CHECKING:
    from parvis.publishing.models import Delivery, Post


def delivery_prepare(*, post: Post, delivery: Delivery, at: datetime) -> None:
    """Fix what a delivery that has not gone out sends, from its post as it is now:
    the channel's text and link (``outgoing``), its media, its time, and the parts
    that follow it. Used when a post is scheduled and when a recurring post repeats."""
    channel = delivery.channel
    delivery.next_attempt_at = at
    text, link = text_and_link(text=post.text_for(channel.pk), link=post.link, channel=channel)
    delivery.text, delivery.link = tracked(post=post, channel=channel, text=text, link=link)
    delivery.media = [asset.pk for asset in post.media_for(channel.pk)]
    delivery.save(update_fields=["next_attempt_at", "text", "link", "media"])
    deliveries_plan_parts(post=post, main=delivery, at=at)


def deliveries_plan_parts(*, post: Post, main: Delivery, at: datetime) -> None:
    """The thread parts and first comment this channel's network takes, each a
    delivery that waits for the one it follows. The main delivery has not gone
    out, so neither have they: they are made anew from the post as it is now."""
    models.Delivery.objects.filter(post=post, channel=main.channel, position__gt=0).delete()
    capabilities = registry.get(main.channel.network).capabilities
    thread = post.thread_parts if capabilities.threads else []
    parts = [(models.DeliveryPart.THREAD, text) for text in thread]
    if capabilities.first_comment and post.first_comment.strip():
        parts.append((models.DeliveryPart.COMMENT, post.first_comment))
    previous = main
    for position, (part, text) in enumerate(parts, start=1):
        delivery = models.Delivery.objects.create(
            workspace_id=post.workspace_id,
            post=post,
            channel=main.channel,
            part=part,
            position=position,
            # A thread continues from its last part; a comment goes under the post.
            follows=previous if part == models.DeliveryPart.THREAD else main,
            text=tracked(post=post, channel=main.channel, text=text, link="")[0],
            state="waiting",
            next_attempt_at=at,
        )
        if part == models.DeliveryPart.THREAD:
            previous = delivery
