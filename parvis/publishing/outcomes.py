"""What follows a delivery's move: the post's status, its history, and who is told.

Called by the engine after it has saved a delivery's new state (outside the
move's transaction: the move is kept even if telling people fails).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from parvis.accounts.selectors import members_who_can
from parvis.channels.selectors import channel_label
from parvis.core.audit import audit_many
from parvis.notifications.actions import notify
from parvis.notifications.models import NotificationKind
from parvis.publishing.recurrence import post_repeat
from parvis.publishing.states import status_of

if TYPE_CHECKING:
    from parvis.publishing.models import Delivery, Post

_RECORDED = {"published", "failed", "needs_attention"}


def deliveries_record_outcomes(*, moved: list[tuple[Delivery, str]]) -> None:
    """After a wave of moves: the posts' statuses (one read, one write per status),
    their history (one insert), then who must be told, one delivery at a time."""
    settled = [d for d, previous in moved if d.state in _RECORDED or previous in _RECORDED]
    if not settled:
        return  # between "scheduled" and an outcome, a post's status stays the same
    _release_followers(settled)
    posts = {d.post_id: d.post for d in settled if d.position == 0}
    if posts:
        _summarise(type(settled[0]), posts)
    for post in posts.values():
        if post.status == "published" and post.repeat_every_days:
            post_repeat(post=post)  # evergreen: the next occurrence (made once only)
    recorded = [d for d in settled if d.state in _RECORDED]
    events = []
    for delivery in recorded:
        with translation.override(delivery.workspace.language):
            events.append(_history_event(delivery))
    audit_many(events)
    for delivery in recorded:
        if delivery.state != "published":
            with translation.override(delivery.workspace.language):
                _tell(delivery)


def _release_followers(settled: list[Delivery]) -> None:
    """The parts that follow a delivery just published go now rather than at their
    next check: a speed-up only (if it is lost, ``follow_up`` finds out by itself)."""
    published = [d.pk for d in settled if d.state == "published"]
    if published:
        type(settled[0]).objects.filter(follows_id__in=published, state="waiting").update(
            next_attempt_at=timezone.now()
        )


def _summarise(delivery_model: type[Delivery], posts: dict[int, Post]) -> None:
    states: dict[int, set[str]] = {pk: set() for pk in posts}
    rows = delivery_model.objects.filter(post_id__in=list(posts), position=0).values_list(
        "post_id", "state"
    )
    for post_id, state in rows:
        states[post_id].add(state)
    changed: dict[str, list[int]] = {}
    for pk, post in posts.items():
        status = status_of(states[pk])
        if status is not None and status != post.status:
            post.status = status
            changed.setdefault(status, []).append(pk)
    now, post_model = timezone.now(), type(next(iter(posts.values())))
    for status, pks in changed.items():
        post_model.objects.filter(pk__in=pks).update(status=status, updated_at=now)


def _where(delivery: Delivery) -> str:
    where = f"{delivery.channel.name} · {channel_label(delivery.channel)}"
    if delivery.position:  # a thread part or first comment says which
        return f"{where} ({part_label(delivery)})"
    return where


def part_label(delivery: Delivery) -> str:
    """ "thread part 2" (the post itself is part 1), or "first comment"."""
    if delivery.part == "thread":
        return _("thread part %(number)d") % {"number": delivery.position + 1}
    return _("first comment")


def _history_event(delivery: Delivery) -> dict:
    return {
        "verb": f"delivery.{delivery.state}",
        "workspace": delivery.workspace,
        "target": delivery.post,
        "channel": _where(delivery),
        "url": delivery.url,
        "reason": delivery.last_error,
    }


def _tell(delivery: Delivery) -> None:
    post, channel, where = delivery.post, delivery.channel, _where(delivery)
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
