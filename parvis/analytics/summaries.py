"""Small summaries of the snapshots, kept by the collector for the dashboards.

The snapshots stay the history (every figure as the network gave it). Beside them,
in the same transaction, the collector keeps:

- ``MetricLatest``: the latest figure of each (channel, object, name);
- ``MetricChannelDay``: per channel, day and name, the gains of all its posts that
  day together (what the workspace's and a channel's dashboards read);
- ``MetricDay``: per day (in the workspace's time zone) the figure at the day's last
  measurement (``value``) and how much it grew since the previous measurement day
  (``gain``). Snapshots are lifetime totals, so a period's engagements are the sum of
  the days' gains, and a post measured for the first time counts everything it got
  since it was published on that day. The account's figures (followers) start
  with no gain: their first measurement is a level, not growth.

A network that gives no ``engagements`` figure for a post (X) gets one in the
summaries only: its likes, comments, shares, saves and quotes together.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from parvis.core.tenancy import WorkspaceQuerySet

ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves", "quotes")


class _OneFigure(models.Model):
    """Which figure: of an account (``remote_id`` "") or a post, on a channel, by name."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    remote_id = models.CharField(max_length=200, blank=True)
    name = models.CharField(max_length=40)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        abstract = True


class MetricLatest(_OneFigure):
    """The latest figure of one name for an account or a post."""

    value = models.FloatField()
    measured_at = models.DateTimeField()
    day = models.DateField()  # measured_at's day in the workspace's time zone

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "remote_id", "name"], name="metric_latest_one"
            )
        ]
        indexes = [
            models.Index(fields=["workspace", "name", "-value"], name="metric_latest_top"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value:g} ({self.remote_id or 'account'}, latest)"


class MetricDay(_OneFigure):
    """One name's figure at one day's last measurement, and its growth that day."""

    day = models.DateField()
    value = models.FloatField()
    gain = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "remote_id", "name", "day"], name="metric_day_one"
            )
        ]
        indexes = [
            # The dashboards: a workspace's days, optionally one channel or some posts.
            models.Index(fields=["workspace", "day", "name"], name="metric_day_workspace"),
            models.Index(fields=["channel", "name", "day"], name="metric_day_channel"),
            models.Index(fields=["remote_id", "day"], name="metric_day_post"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value:g} ({self.remote_id or 'account'}, {self.day})"


class MetricChannelDay(models.Model):
    """A channel's posts' growth of one name on one day, together."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey("channels.Channel", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=40)
    day = models.DateField()
    gain = models.FloatField()

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "name", "day"], name="metric_channel_day_one"
            )
        ]
        indexes = [models.Index(fields=["workspace", "day"], name="metric_channel_day_range")]

    def __str__(self) -> str:
        return f"{self.name}+{self.gain:g} (channel {self.channel_id}, {self.day})"


@dataclass(frozen=True)
class Measured:
    """One figure of one measurement, as the summaries take it."""

    remote_id: str
    name: str
    value: float
    measured_at: datetime


def with_engagements(figures: list[Measured]) -> list[Measured]:
    """The figures, plus a post's engagements where the network gives none."""
    by_object: dict[tuple[str, datetime], dict[str, float]] = {}
    for figure in figures:
        key = (figure.remote_id, figure.measured_at)
        by_object.setdefault(key, {})[figure.name] = figure.value
    added = [
        Measured(remote_id, "engagements", sum(values.get(p, 0.0) for p in ENGAGEMENT_PARTS), at)
        for (remote_id, at), values in by_object.items()
        if remote_id and "engagements" not in values and any(p in values for p in ENGAGEMENT_PARTS)
    ]
    return figures + added


def summaries_store(
    *, workspace_id: int, channel_id: int, zone: ZoneInfo, figures: Iterable[Measured]
) -> None:
    """Fold one channel's new figures into its summaries (call inside the snapshots'
    transaction; one collection runs per channel at a time, so no two writers race)."""
    figures = sorted(with_engagements(list(figures)), key=lambda f: f.measured_at)
    if not figures:
        return
    latest = {
        (row.remote_id, row.name): row
        for row in MetricLatest.objects.filter(
            channel_id=channel_id,
            remote_id__in={f.remote_id for f in figures},
            name__in={f.name for f in figures},
        )
    }
    days: dict[tuple[str, str, date], MetricDay] = {}
    changed: dict[tuple[str, str], MetricLatest] = {}
    gains: dict[tuple[str, date], float] = {}
    today_rows = {
        (row.remote_id, row.name, row.day): row
        for row in MetricDay.objects.filter(
            channel_id=channel_id,
            remote_id__in={f.remote_id for f in figures},
            day__in={timezone.localtime(f.measured_at, zone).date() for f in figures},
        )
    }
    for figure in figures:
        day = timezone.localtime(figure.measured_at, zone).date()
        key = (figure.remote_id, figure.name)
        before = latest.get(key)
        if before is not None and before.measured_at > figure.measured_at:
            continue  # an older answer arriving late: the history has it, the summary is ahead
        if before is None:
            gain = figure.value if figure.remote_id else 0.0
        else:
            gain = figure.value - before.value
        earlier = days.get((*key, day)) or today_rows.get((*key, day))
        days[(*key, day)] = MetricDay(  # new objects: bulk_create upserts them by their key
            workspace_id=workspace_id,
            channel_id=channel_id,
            remote_id=figure.remote_id,
            name=figure.name,
            day=day,
            value=figure.value,
            gain=gain + (earlier.gain if earlier is not None else 0.0),
        )
        if figure.remote_id:
            gains[(figure.name, day)] = gains.get((figure.name, day), 0.0) + gain
        latest[key] = changed[key] = MetricLatest(
            workspace_id=workspace_id,
            channel_id=channel_id,
            remote_id=figure.remote_id,
            name=figure.name,
            value=figure.value,
            measured_at=figure.measured_at,
            day=day,
        )
    _channel_days_add(workspace_id=workspace_id, channel_id=channel_id, gains=gains)
    MetricDay.objects.bulk_create(
        list(days.values()),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["channel", "remote_id", "name", "day"],
        update_fields=["value", "gain"],
    )
    MetricLatest.objects.bulk_create(
        list(changed.values()),
        batch_size=500,
        update_conflicts=True,
        unique_fields=["channel", "remote_id", "name"],
        update_fields=["value", "measured_at", "day"],
    )


def _channel_days_add(
    *, workspace_id: int, channel_id: int, gains: dict[tuple[str, date], float]
) -> None:
    if not gains:
        return
    existing = {
        (row.name, row.day): row.gain
        for row in MetricChannelDay.objects.filter(
            channel_id=channel_id,
            name__in={name for name, _day in gains},
            day__in={day for _name, day in gains},
        )
    }
    MetricChannelDay.objects.bulk_create(
        [
            MetricChannelDay(
                workspace_id=workspace_id,
                channel_id=channel_id,
                name=name,
                day=day,
                gain=gain + existing.get((name, day), 0.0),
            )
            for (name, day), gain in gains.items()
        ],
        update_conflicts=True,
        unique_fields=["channel", "name", "day"],
        update_fields=["gain"],
    )
