"""Reads about figures, always scoped to one workspace."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Max
from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.analytics.definitions import ORDER, Definition, definition
from parvis.analytics.models import MetricsCollection, MetricSnapshot


@dataclass(frozen=True)
class Figure:
    definition: Definition
    value: float


@dataclass(frozen=True)
class Figures:
    """The latest figures the network gave for an account or a post."""

    measured_at: datetime
    figures: tuple[Figure, ...]

    def value(self, name: str) -> float | None:
        return next((f.value for f in self.figures if f.definition.name == name), None)


def _ordered(values: dict[str, float]) -> tuple[Figure, ...]:
    rank = {name: position for position, name in enumerate(ORDER)}
    names = sorted(values, key=lambda name: (rank.get(name, len(rank)), name))
    return tuple(Figure(definition(name), values[name]) for name in names)


def latest_figures(
    *, workspace: Workspace, keys: list[tuple[int, str]]
) -> dict[tuple[int, str], Figures]:
    """The latest figures of each (channel id, remote id); remote id "" is the account.

    Two queries: the last time each was measured, then that time's figures.
    """
    if not keys:
        return {}
    channel_ids = {channel_id for channel_id, _remote in keys}
    remote_ids = {remote_id for _channel, remote_id in keys}
    scoped = MetricSnapshot.objects.in_workspace(workspace).filter(
        channel_id__in=channel_ids, remote_id__in=remote_ids
    )
    last = {
        (row["channel_id"], row["remote_id"]): row["at"]
        for row in scoped.values("channel_id", "remote_id").annotate(at=Max("measured_at"))
    }
    asked = set(keys)
    wanted = {key: at for key, at in last.items() if key in asked}
    if not wanted:
        return {}
    values: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    rows = scoped.filter(measured_at__in=set(wanted.values())).values_list(
        "channel_id", "remote_id", "name", "value", "measured_at"
    )
    for channel_id, remote_id, name, value, measured_at in rows:
        if wanted.get((channel_id, remote_id)) == measured_at:
            values[(channel_id, remote_id)][name] = value
    return {key: Figures(wanted[key], _ordered(found)) for key, found in values.items()}


def followers_change(
    *, workspace: Workspace, channel_ids: list[int], days: int = 7
) -> dict[int, float]:
    """Followers gained (or lost) over the last ``days``, per channel, where known."""
    since = timezone.now() - timedelta(days=days)
    followers = MetricSnapshot.objects.in_workspace(workspace).filter(
        channel_id__in=channel_ids, remote_id="", name="followers"
    )
    changes: dict[int, float] = {}
    for channel_id in channel_ids:
        mine = followers.filter(channel_id=channel_id).values_list("value", "measured_at")
        newest = mine.order_by("-measured_at").first()
        before = mine.filter(measured_at__lte=since).order_by("-measured_at").first()
        if before is None:  # not measured that long ago: compare with the first figure
            before = mine.order_by("measured_at").first()
        # One measurement so far is no change yet: nothing to compare it with.
        if newest is not None and before is not None and before[1] != newest[1]:
            changes[channel_id] = newest[0] - before[0]
    return changes


def collections_of(*, workspace: Workspace, channel_ids: list[int]) -> dict[int, MetricsCollection]:
    rows = MetricsCollection.objects.filter(
        channel__workspace=workspace, channel_id__in=channel_ids
    )
    return {row.channel_id: row for row in rows}
