"""The reads a report needs from the metric snapshots, as of the end of its period.

Snapshots are running totals (a post's views so far), so a period's figures are the
last measurement before the period ends: the followers of each account, and the
figures of each post published during the period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Max

from parvis.accounts.models import Workspace
from parvis.analytics.snapshots import MetricSnapshot


def post_figures_as_of(
    *, workspace: Workspace, keys: list[tuple[int, str]], end: datetime
) -> dict[tuple[int, str], dict[str, float]]:
    """Each post's figures (name -> value) as last measured before ``end``."""
    if not keys:
        return {}
    scoped = MetricSnapshot.objects.in_workspace(workspace).filter(
        channel_id__in={channel for channel, _remote in keys},
        remote_id__in={remote for _channel, remote in keys},
        measured_at__lt=end,
    )
    wanted = set(keys)
    last = {
        (row["channel_id"], row["remote_id"]): row["at"]
        for row in scoped.values("channel_id", "remote_id").annotate(at=Max("measured_at"))
        if (row["channel_id"], row["remote_id"]) in wanted
    }
    found: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    rows = scoped.filter(measured_at__in=set(last.values())).values_list(
        "channel_id", "remote_id", "name", "value", "measured_at"
    )
    for channel_id, remote_id, name, value, measured_at in rows:
        if last.get((channel_id, remote_id)) == measured_at:
            found[(channel_id, remote_id)][name] = value
    return dict(found)


def followers_by_day(
    *, workspace: Workspace, channel_ids: list[int], start: datetime, end: datetime, zone: ZoneInfo
) -> dict[int, dict[date, float]]:
    """Each account's followers at the end of each day of [start, end) where measured,
    with the last figure before ``start`` under the day before it (the starting point)."""
    day_before = start.astimezone(zone).date() - timedelta(days=1)
    followers = MetricSnapshot.objects.in_workspace(workspace).filter(
        channel_id__in=channel_ids, remote_id="", name="followers"
    )
    days: dict[int, dict[date, float]] = defaultdict(dict)
    for channel_id in channel_ids:
        before = (
            followers.filter(channel_id=channel_id, measured_at__lt=start)
            .order_by("-measured_at")
            .values_list("value", flat=True)
            .first()
        )
        if before is not None:
            days[channel_id][day_before] = before
    rows = (
        followers.filter(measured_at__gte=start, measured_at__lt=end)
        .order_by("measured_at")
        .values_list("channel_id", "value", "measured_at")
    )
    for channel_id, value, measured_at in rows.iterator(chunk_size=2000):
        days[channel_id][measured_at.astimezone(zone).date()] = value  # the day's last
    return dict(days)
