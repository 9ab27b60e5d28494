"""Evergreen posts: a post that comes back every N days.

The model a community manager sees: "repeat every 7 / 14 / 30 days, until
<date> (optional)". When every delivery of an occurrence is published, the next
occurrence is made: a new post with the same text and channels, linked to the
previous one (``repeats_from``), scheduled N days later at the same wall-clock
time in the workspace's zone. It is scheduled straight away: the text was
approved (or scheduled by someone allowed to) the first time. The chain ends
after ``repeat_until`` or when someone stops it.

``outcomes`` calls ``post_repeat`` after a delivery moves; it is imported by
``models``, hence the module import below rather than names from it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from parvis.accounts.models import User
from parvis.core.audit import audit
from parvis.publishing import models
from parvis.publishing.media import post_media_choice, post_set_media
from parvis.publishing.parts import delivery_prepare

REPEAT_CHOICES_DAYS = (7, 14, 30)


def next_occurrence_at(
    *, previous: datetime, every_days: int, until: date | None, zone_name: str, now: datetime
) -> datetime | None:
    """``previous`` + ``every_days`` at the same wall-clock time in the zone (UTC),
    skipping ahead by the interval past ``now``; None once past ``until``.

    A wall-clock time the clocks skip that night comes out one hour later (the
    zone's offset before the change applies); a repeated one is its first passing.
    """
    zone = ZoneInfo(zone_name)
    wall = previous.astimezone(zone).replace(tzinfo=None)
    step = timedelta(days=every_days)
    while True:
        wall += step
        if until is not None and wall.date() > until:
            return None
        moment = wall.replace(tzinfo=zone).astimezone(UTC)
        if moment > now:
            return moment


@transaction.atomic
def post_repeat(*, post: models.Post) -> models.Post | None:
    """Make the next occurrence of a published, repeating post (idempotent).

    Returns the new post, or None when there is nothing to do: the post does not
    repeat, is not published, already has its next occurrence, or its end date
    is past. ``repeats_from`` is one-to-one, so even two workers racing cannot
    make two next occurrences; the post's row is locked while checking.
    """
    post = models.Post.objects.select_for_update().select_related("workspace").get(pk=post.pk)
    if not post.repeat_every_days or post.status != models.PostStatus.PUBLISHED:
        return None
    if models.Post.objects.filter(repeats_from=post).exists():
        return None
    at = next_occurrence_at(
        previous=post.scheduled_at or timezone.now(),
        every_days=post.repeat_every_days,
        until=post.repeat_until,
        zone_name=post.workspace.time_zone,
        now=timezone.now(),
    )
    if at is None:
        return None
    try:
        with transaction.atomic():
            following = models.Post.objects.create(
                workspace=post.workspace,
                text=post.text,
                thread_parts=post.thread_parts,
                first_comment=post.first_comment,
                link=post.link,
                created_by=post.created_by,
                scheduled_at=at,
                status=models.PostStatus.SCHEDULED,
                repeat_every_days=post.repeat_every_days,
                repeat_until=post.repeat_until,
                repeats_from=post,
            )
    except IntegrityError:
        return None  # made meanwhile by another worker
    channels = list(post.channels.all())
    following.channels.set(channels)
    models.PostVariant.objects.bulk_create(
        models.PostVariant(post=following, channel_id=v.channel_id, text=v.text)
        for v in post.variants.all()
    )
    post_set_media(
        post=following, choice=post_media_choice(post=post), channel_ids=[c.pk for c in channels]
    )
    for channel in channels:
        main = models.Delivery.objects.create(
            workspace=post.workspace, post=following, channel=channel, next_attempt_at=at
        )
        delivery_prepare(post=following, delivery=main, at=at)
    audit(
        verb="post.repeated",
        workspace=post.workspace,
        target=following,
        repeats=post.pk,
        at=at.isoformat(),
    )
    return following


@transaction.atomic
def post_set_repeat(
    *, post: models.Post, every_days: int | None, until: date | None, acting_user: User | None
) -> models.Post:
    """Make a post repeat every ``every_days`` days until ``until`` (None: never repeats)."""
    if every_days is not None and every_days not in REPEAT_CHOICES_DAYS:
        raise ValueError(f"A post repeats every {REPEAT_CHOICES_DAYS} days.")
    until = until if every_days else None
    if (post.repeat_every_days, post.repeat_until) == (every_days, until):
        return post
    post.repeat_every_days, post.repeat_until = every_days, until
    post.save(update_fields=["repeat_every_days", "repeat_until", "updated_at"])
    audit(
        verb="post.repeat_set",
        workspace=post.workspace,
        actor=acting_user,
        target=post,
        every_days=every_days,
        until=until.isoformat() if until else None,
    )
    return post


@transaction.atomic
def post_stop_repeating(*, post: models.Post, acting_user: User | None) -> int:
    """Stop the chain from this post on: this post and its later occurrences no
    longer repeat. Occurrences already scheduled stay (unschedule them if need
    be). Returns how many posts stopped repeating."""
    stopped = 0
    current: models.Post | None = post
    while current is not None:
        if current.repeat_every_days:
            current.repeat_every_days, current.repeat_until = None, None
            current.save(update_fields=["repeat_every_days", "repeat_until", "updated_at"])
            stopped += 1
        current = models.Post.objects.filter(repeats_from=current).first()
    audit(verb="post.repeat_stopped", workspace=post.workspace, actor=acting_user, target=post)
    return stopped


def occurrences_of(*, post: models.Post) -> tuple[models.Post | None, models.Post | None]:
    """The previous and next occurrences of a post (same workspace), if any."""
    scope = models.Post.objects.in_workspace(post.workspace)
    previous = scope.filter(pk=post.repeats_from_id).first() if post.repeats_from_id else None
    return previous, scope.filter(repeats_from=post).first()
