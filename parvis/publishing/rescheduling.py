"""Moving a post in time (the calendar's drag and drop): who may, and when it may not."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from parvis.accounts.models import User
from parvis.accounts.selectors import membership_of
from parvis.core.audit import audit
from parvis.core.timezones import dst_gap_or_overlap
from parvis.publishing.models import Delivery, Post, PostStatus

# Deliveries in these states are going out or have gone out: their post stays put.
UNMOVABLE_DELIVERY_STATES = ("publishing", "verifying", "retrying", "published")


class RescheduleRefused(Exception):
    """A post cannot be moved; ``message`` says why, for people; ``status`` is for HTTP."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def _check_may_move(post: Post, acting_user: User) -> None:
    membership = membership_of(user=acting_user, workspace=post.workspace)
    if membership is None:
        raise RescheduleRefused(_("This post belongs to another workspace."), status=404)
    if membership.can("post.schedule"):
        return
    if not membership.can("post.draft"):
        raise RescheduleRefused(
            _("Your role in this workspace (%(role)s) does not allow moving posts.")
            % {"role": membership.get_role_display()},
            status=403,
        )
    if post.status != PostStatus.DRAFT or post.created_by_id != acting_user.pk:
        raise RescheduleRefused(_("Your role can move only your own drafts."), status=403)


def _check_not_going_out(post: Post, now: datetime) -> None:
    # Locked until the move commits, so a worker cannot claim one meanwhile.
    deliveries = (
        Delivery.objects.in_workspace(post.workspace)
        .filter(post=post)
        .select_for_update()
        .only("id", "state", "locked_until")
    )
    going_out = any(
        d.state in UNMOVABLE_DELIVERY_STATES
        or (d.state == "scheduled" and d.locked_until is not None and d.locked_until >= now)
        for d in deliveries
    )
    if post.status == PostStatus.PUBLISHED or going_out:
        raise RescheduleRefused(
            _("This post is published or being published: it can no longer be moved."),
            status=409,
        )


def _check_moment(at: datetime, now: datetime) -> None:
    if timezone.is_naive(at):
        raise ValueError("post_reschedule needs an aware datetime.")
    shown = formats.date_format(at.replace(tzinfo=None), "DATETIME_FORMAT")
    zone = str(at.tzinfo)
    problem = dst_gap_or_overlap(at)
    if problem == "skipped":
        raise RescheduleRefused(
            _(
                "%(moment)s does not exist in %(zone)s: the clocks go forward that night. "
                "Choose another time."
            )
            % {"moment": shown, "zone": zone}
        )
    if problem == "repeated":
        raise RescheduleRefused(
            _(
                "%(moment)s happens twice in %(zone)s: the clocks go back that night. "
                "Choose another time."
            )
            % {"moment": shown, "zone": zone}
        )
    if at <= now:
        raise RescheduleRefused(_("This moment has passed: choose a later one."))


@transaction.atomic
def post_reschedule(*, post: Post, at: datetime, acting_user: User) -> Post:
    """Move a post that has not gone out to ``at`` (aware; a wall-clock time in a
    zone that the clocks skip or repeat is refused), with its waiting deliveries.

    Raises ``RescheduleRefused`` with a message for people when the user may not
    move it, when it is published or going out, or when ``at`` has passed.
    """
    now = timezone.now()
    post = Post.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=post.pk)
    _check_may_move(post, acting_user)
    _check_not_going_out(post, now)
    _check_moment(at, now)
    previous, post.scheduled_at = post.scheduled_at, at.astimezone(UTC)
    post.save(update_fields=["scheduled_at", "updated_at"])
    moved = (
        Delivery.objects.in_workspace(post.workspace)
        .filter(post=post, state="scheduled")
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .update(next_attempt_at=post.scheduled_at)
    )
    audit(
        verb="post.rescheduled",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        at=post.scheduled_at.isoformat(),
        previous=previous.isoformat() if previous else None,
        deliveries=moved,
    )
    return post
