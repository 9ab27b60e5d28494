"""What follows a delivery's move: the post's status, its history, and who is told.

Called by the engine after it has saved a delivery's new state (outside the
move's transaction: the move is kept even if telling people fails).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _

from parvis.accounts.selectors import members_who_can
from parvis.channels.selectors import channel_label
from parvis.core.audit import audit
from parvis.notifications.actions import notify
from parvis.notifications.models import NotificationKind
from parvis.publishing.recurrence import post_repeat

if TYPE_CHECKING:
    from parvis.publishing.models import Delivery

_RECORDED = {"published", "failed", "needs_attention"}


def delivery_record_outcome(*, delivery: Delivery, previous: str) -> None:
    with translation.override(delivery.workspace.language):
        _record(delivery)


def _record(delivery: Delivery) -> None:
    post = delivery.post
    post.summarise_deliveries()
    if post.status == "published" and post.repeat_every_days:
        post_repeat(post=post)
    if delivery.state not in _RECORDED:
        return
    channel = delivery.channel
    where = f"{channel.name} · {channel_label(channel)}"
    audit(
        verb=f"delivery.{delivery.state}",
        workspace=post.workspace,
        target=post,
        channel=where,
        url=delivery.url,
        reason=delivery.last_error,
    )
    if delivery.state == "published":
        return
    recipients = members_who_can(workspace=post.workspace, permission="post.publish")
    if post.created_by:
        recipients.append(post.created_by)
    reason = delivery.last_error
    if delivery.state == "failed":
        notify(
            recipients=recipients,
            workspace=post.workspace,
            kind=NotificationKind.DELIVERY_FAILED,
            title=lambda: (
                _("Not published on %(channel)s: %(post)s") % {"channel": where, "post": str(post)}
            ),
            body=lambda: reason,
            link=post.get_absolute_url(),
        )
    else:
        notify(
            recipients=recipients,
            workspace=post.workspace,
            kind=NotificationKind.DELIVERY_NEEDS_ATTENTION,
            title=lambda: _("Posts to %(channel)s are on hold") % {"channel": where},
            body=lambda: reason,
            link=post.get_absolute_url(),
            group_key=f"channel:{channel.pk}:held",
        )
