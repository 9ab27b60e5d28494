"""A post's traffic-link choices: shorten its links or not, and its UTM values.

Kept apart from ``post_update`` so a change of these alone reaches deliveries that
have not gone out: they are prepared again (their short links keep their codes).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction

from parvis.accounts.models import User
from parvis.core.audit import audit
from parvis.publishing.models import Post, PostStatus
from parvis.publishing.parts import delivery_prepare


@dataclass(frozen=True)
class LinkTracking:
    shorten_links: bool = True
    utm_enabled: bool = True
    utm_source: str = ""
    utm_medium: str = "social"
    utm_campaign: str = ""


def link_tracking_of(post: Post) -> LinkTracking:
    return LinkTracking(
        shorten_links=post.shorten_links,
        utm_enabled=post.utm_enabled,
        utm_source=post.utm_source,
        utm_medium=post.utm_medium,
        utm_campaign=post.utm_campaign,
    )


@transaction.atomic
def post_set_link_tracking(*, post: Post, tracking: LinkTracking, acting_user: User | None) -> bool:
    """Store the choices; True when they changed. A scheduled post's deliveries that
    have not gone out are prepared again with them. A post that went out keeps them."""
    if link_tracking_of(post) == tracking or not post.is_editable:
        return False
    values = asdict(tracking)
    for name, value in values.items():
        setattr(post, name, value)
    post.save(update_fields=[*values, "updated_at"])
    if post.status == PostStatus.SCHEDULED:
        waiting = post.deliveries.filter(position=0, state="scheduled").select_related("channel")
        for delivery in waiting:
            delivery_prepare(post=post, delivery=delivery, at=delivery.next_attempt_at)
    audit(
        verb="post.link_tracking_changed",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        **values,
    )
    return True
