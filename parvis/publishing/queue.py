"""The queue: weekly times per channel, and the next free one.

A channel's queue is a set of weekly slots (weekday + wall-clock time in the
workspace's zone). "Add to queue" puts a post at the next free slot of its
channels. The slots' writes (add, remove, suggested times) are named actions;
``next_free_slot`` and ``queue_slots_by_channel`` are reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from parvis.accounts.models import User, Workspace
from parvis.channels.models import Channel
from parvis.channels.selectors import channel_label
from parvis.core.audit import audit
from parvis.core.timezones import dst_gap_or_overlap
from parvis.publishing.actions import PublishingError
from parvis.publishing.models import Post, PostStatus, QueueSlot

# How far ahead the queue looks for a free slot.
HORIZON = timedelta(weeks=8)

# Offered to a channel with a click: lunch breaks on Tuesday and Thursday and
# the evening commute on Wednesday, when most people scroll; three a week is a
# rhythm a small team keeps up without flooding its audience.
SUGGESTED_SLOTS: tuple[tuple[int, time], ...] = (
    (QueueSlot.Weekday.TUESDAY, time(12, 30)),
    (QueueSlot.Weekday.WEDNESDAY, time(18, 0)),
    (QueueSlot.Weekday.THURSDAY, time(12, 30)),
)


class QueueError(PublishingError):
    """No slot can be offered; the message is for people."""


# --- reads -------------------------------------------------------------------


def queue_slots_by_channel(*, workspace: Workspace) -> list[tuple[Channel, str, list[QueueSlot]]]:
    """Every channel of the workspace with its network's label and its slots, weekly order."""
    slots: dict[int, list[QueueSlot]] = {}
    for slot in QueueSlot.objects.in_workspace(workspace).order_by("weekday", "time"):
        slots.setdefault(slot.channel_id, []).append(slot)
    return [
        (c, channel_label(c), slots.get(c.pk, [])) for c in Channel.objects.in_workspace(workspace)
    ]


def _moments(
    pattern: dict[int, set[time]], zone: ZoneInfo, start: datetime, end: datetime
) -> Iterable[datetime]:
    """The weekly pattern's moments in [start, end), in order, as aware UTC.

    Each wall-clock time is placed in the zone on its own date, so it follows
    DST. A time the clocks skip that night does not exist and is left out; a
    time that happens twice (clocks going back) is taken at its first passing.
    """
    day: date = start.astimezone(zone).date()
    while True:
        for wall in sorted(pattern.get(day.weekday(), ())):
            local = datetime.combine(day, wall, tzinfo=zone)
            if dst_gap_or_overlap(local) == "skipped":
                continue
            moment = local.astimezone(UTC)
            if moment >= end:
                return
            if moment >= start:
                yield moment
        day += timedelta(days=1)


def next_free_slot(*, channels: Iterable[Channel], after: datetime) -> datetime:
    """The earliest queue moment ≥ ``after`` (aware) for a post to ``channels``, in UTC.

    A post has one ``scheduled_at``, so the chosen channels must share the moment:

    - When the channels have slot times in common (same weekday and wall-clock
      time), only those shared times are used.
    - When they share none (or only one channel has slots), any slot of at
      least one chosen channel is used.

    Either way the moment must be free for every chosen channel: no post other
    than a draft is planned for any of them at that exact moment. Slots are read
    in the workspace's zone for each date (DST-correct, see ``_moments``). The
    search looks ``HORIZON`` (8 weeks) ahead; ``QueueError`` says when there is
    no slot at all or none free. Two people queueing at the same second may
    get the same slot: the queue spreads posts, it does not lock times.
    """
    channels = list(channels)
    if not channels:
        raise QueueError(_("Choose at least one channel."))
    workspace = channels[0].workspace
    if any(c.workspace_id != workspace.pk for c in channels):
        raise ValueError("The channels of a post belong to one workspace.")
    if after.tzinfo is None:
        raise ValueError("next_free_slot needs an aware datetime.")
    per_channel: dict[int, set[tuple[int, time]]] = {c.pk: set() for c in channels}
    slots = QueueSlot.objects.in_workspace(workspace).filter(channel__in=channels)
    for channel_id, weekday, wall in slots.values_list("channel_id", "weekday", "time"):
        per_channel[channel_id].add((weekday, wall))
    shared = set.intersection(*per_channel.values())
    usable = shared or set.union(*per_channel.values())
    if not usable:
        raise QueueError(
            _("No queue times are set for these channels: add some in Settings → Queue.")
        )
    pattern: dict[int, set[time]] = {}
    for weekday, wall in usable:
        pattern.setdefault(weekday, set()).add(wall)
    end = after + HORIZON
    taken = set(
        Post.objects.in_workspace(workspace)
        .filter(channels__in=channels, scheduled_at__gte=after, scheduled_at__lt=end)
        .exclude(status=PostStatus.DRAFT)
        .values_list("scheduled_at", flat=True)
    )
    for moment in _moments(pattern, ZoneInfo(workspace.time_zone), after, end):
        if moment not in taken:
            return moment
    raise QueueError(
        _(
            "Every queue time of these channels is taken for the next 8 weeks: "
            "add queue times or choose a date."
        )
    )


# --- writes ------------------------------------------------------------------


def _check_channel(workspace: Workspace, channel: Channel) -> None:
    if channel.workspace_id != workspace.pk:
        raise ValueError("A queue time belongs to one of the workspace's channels.")


@transaction.atomic
def queue_slot_add(
    *, workspace: Workspace, channel: Channel, weekday: int, at: time, acting_user: User | None
) -> QueueSlot:
    """Add a weekly time to a channel's queue (nothing changes if it is there)."""
    _check_channel(workspace, channel)
    at = at.replace(second=0, microsecond=0)
    slot, created = QueueSlot.objects.get_or_create(
        workspace=workspace, channel=channel, weekday=weekday, time=at
    )
    if created:
        audit(
            verb="queue_slot.added",
            workspace=workspace,
            actor=acting_user,
            target=channel,
            weekday=weekday,
            time=at.strftime("%H:%M"),
        )
    return slot


@transaction.atomic
def queue_slot_remove(*, slot: QueueSlot, acting_user: User | None) -> None:
    """Remove a weekly time; posts already planned at it stay where they are."""
    audit(
        verb="queue_slot.removed",
        workspace=slot.workspace,
        actor=acting_user,
        target=slot.channel,
        weekday=slot.weekday,
        time=slot.time.strftime("%H:%M"),
    )
    slot.delete()


@transaction.atomic
def queue_slots_suggest(
    *,
    workspace: Workspace,
    channel: Channel,
    acting_user: User | None,
    slots: Sequence[tuple[int, time]] = SUGGESTED_SLOTS,
) -> list[QueueSlot]:
    """Give a channel suggested times, keeping its own.

    ``slots`` (weekday, wall-clock time) default to ``SUGGESTED_SLOTS``; a layer
    above publishing passes others (analytics' best times from the workspace's
    history), so publishing never reads analytics.
    """
    if not slots:
        raise ValueError("queue_slots_suggest needs at least one slot.")
    return [
        queue_slot_add(
            workspace=workspace, channel=channel, weekday=weekday, at=at, acting_user=acting_user
        )
        for weekday, at in slots
    ]
