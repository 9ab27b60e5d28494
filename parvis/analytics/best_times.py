"""Best times to post, from the workspace's own history (a read: no writes here).

The method, in the order it runs:

1. **Posts.** Every post the workspace published in the period (the last
   ``DEFAULT_DAYS`` by default), on every channel or on the chosen ones: each
   channel's delivery counts once, at the time the network published it, read in
   the workspace's time zone (so "Tuesday 12:00" is the wall clock the audience
   lived). Thread parts and first comments are not posts.
2. **Figures.** Each post's latest figures (``latest_figures``). Its engagement
   rate is ``engagements / reach``. A network that gives no ``engagements`` total
   (X, Facebook posts) gets the sum of the interactions it does give (likes,
   comments, shares, saves, quotes, clicks). A network that gives no reach (X) is
   divided by ``views`` (impressions) instead: the rate by impressions, lower than
   the rate by reach, which the page says. A post with neither, or with 0, is left
   out (it is "published but not measured").
3. **Grid.** 7 weekdays x 24 hours; each cell keeps the *median* rate of its posts
   (one viral post does not make a slot) and their count. A cell with fewer than
   ``MIN_POSTS_PER_CELL`` posts shows its count but no rate: too little to judge.
4. **Enough history.** The heatmap speaks when at least ``MIN_POSTS`` posts were
   measured and at least one cell has enough posts; otherwise it says "not enough
   history yet" with what is missing.
5. **Best slots.** Cells with enough posts, by median rate (then more posts first).
   The queue takes ``QUEUE_SLOTS`` of them on different days where it can (a
   queue that spreads posts over the week), at the start of the hour.

Rates across networks are compared as they are: a channel whose audience engages
more weighs more on the workspace's grid. Filter by channel to read one audience.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from parvis.accounts.models import Workspace
from parvis.analytics.selectors import Figures, latest_figures
from parvis.publishing.selectors import published_between

DEFAULT_DAYS = 180
PERIODS = (90, 180, 365)  # the choices the page offers, in days
MIN_POSTS = 12  # measured posts before the heatmap says anything
MIN_POSTS_PER_CELL = 3  # posts in one weekday x hour before its rate counts
QUEUE_SLOTS = 3  # best slots the queue proposes (as many as the default times)
INTERACTIONS = ("likes", "comments", "shares", "saves", "quotes", "clicks")


@dataclass(frozen=True)
class Rate:
    value: float
    by_views: bool  # divided by views (impressions) because the network gives no reach


def engagement_rate(figures: Figures) -> Rate | None:
    """A post's engagement rate from its figures (see the module's method), or None."""
    engagements = figures.value("engagements")
    if engagements is None:
        given = [figures.value(name) for name in INTERACTIONS]
        if all(value is None for value in given):
            return None
        engagements = sum(value or 0 for value in given)
    reach = figures.value("reach")
    if reach:
        return Rate(engagements / reach, by_views=False)
    views = figures.value("views")
    if views:
        return Rate(engagements / views, by_views=True)
    return None


@dataclass(frozen=True)
class Cell:
    weekday: int  # 0 = Monday
    hour: int
    posts: int
    rate: float | None  # the median rate; None below the minimum number of posts

    @property
    def counts(self) -> bool:
        return self.rate is not None


@dataclass(frozen=True)
class Heatmap:
    rows: tuple[tuple[Cell, ...], ...]  # 7 weekdays x 24 hours
    since: datetime
    until: datetime
    published: int  # posts published in the period
    measured: int  # of which with an engagement rate
    by_views: int  # of which measured by views (no reach)
    first: datetime | None  # the oldest and newest measured post, workspace time
    last: datetime | None
    min_posts: int = MIN_POSTS
    min_posts_per_cell: int = MIN_POSTS_PER_CELL

    @property
    def ranked(self) -> list[Cell]:
        """The cells with enough posts, best first."""
        cells = [cell for row in self.rows for cell in row if cell.counts]
        return sorted(cells, key=lambda c: (-(c.rate or 0), -c.posts, c.weekday, c.hour))

    @property
    def enough(self) -> bool:
        return self.measured >= self.min_posts and bool(self.ranked)

    def top(self, count: int = 5) -> list[Cell]:
        return self.ranked[:count] if self.enough else []

    def queue_slots(self, count: int = QUEUE_SLOTS) -> list[tuple[int, time]]:
        """The best ``count`` slots, on different days first; [] without enough history."""
        if not self.enough:
            return []
        chosen: list[Cell] = []
        for cell in self.ranked:
            if len(chosen) < count and cell.weekday not in {c.weekday for c in chosen}:
                chosen.append(cell)
        for cell in self.ranked:  # fewer days than slots: the next best on any day
            if len(chosen) < count and cell not in chosen:
                chosen.append(cell)
        return [(cell.weekday, time(cell.hour, 0)) for cell in chosen]


def best_times(
    *,
    workspace: Workspace,
    days: int = DEFAULT_DAYS,
    channel_ids: Sequence[int] | None = None,
    now: datetime | None = None,
    min_posts: int = MIN_POSTS,
    min_posts_per_cell: int = MIN_POSTS_PER_CELL,
) -> Heatmap:
    """The weekday x hour heatmap of the workspace's published posts over ``days``."""
    until = now or timezone.now()
    since = until - timedelta(days=days)
    zone = ZoneInfo(workspace.time_zone)
    posts = published_between(workspace=workspace, start=since, end=until, channel_ids=channel_ids)
    figures = latest_figures(
        workspace=workspace, keys=[(post.channel_id, post.remote_id) for post in posts]
    )
    rates: dict[tuple[int, int], list[float]] = defaultdict(list)
    moments: list[datetime] = []
    by_views = 0
    for post in posts:
        found = figures.get((post.channel_id, post.remote_id))
        rate = engagement_rate(found) if found else None
        if rate is None:
            continue
        local = post.published_at.astimezone(zone)
        rates[(local.weekday(), local.hour)].append(rate.value)
        moments.append(local)
        by_views += rate.by_views
    minimum = min_posts_per_cell
    rows = tuple(
        tuple(_cell(day, hour, rates.get((day, hour), []), minimum) for hour in range(24))
        for day in range(7)
    )
    return Heatmap(
        rows=rows,
        since=since,
        until=until,
        published=len(posts),
        measured=len(moments),
        by_views=by_views,
        first=min(moments, default=None),
        last=max(moments, default=None),
        min_posts=min_posts,
        min_posts_per_cell=min_posts_per_cell,
    )


def _cell(weekday: int, hour: int, rates: list[float], minimum: int) -> Cell:
    rate = statistics.median(rates) if rates and len(rates) >= minimum else None
    return Cell(weekday, hour, len(rates), rate)


@dataclass(frozen=True)
class QueueSuggestion:
    """What "Use suggested times" proposes to one channel, and from which history.

    ``source`` is "channel" (its own history), "workspace" (the channel has too little,
    the workspace enough) or "default" (neither: the caller's default times)."""

    source: str
    slots: list[tuple[int, time]]
    channel_map: Heatmap
    workspace_map: Heatmap | None


def queue_suggestion(
    *, workspace: Workspace, channel_id: int, now: datetime | None = None
) -> QueueSuggestion:
    """The channel's best slots, else the workspace's, else none (use the defaults)."""
    own = best_times(workspace=workspace, channel_ids=[channel_id], now=now)
    if own.enough:
        return QueueSuggestion("channel", own.queue_slots(), own, None)
    everyone = best_times(workspace=workspace, now=now)
    if everyone.enough:
        return QueueSuggestion("workspace", everyone.queue_slots(), own, everyone)
    return QueueSuggestion("default", [], own, everyone)
