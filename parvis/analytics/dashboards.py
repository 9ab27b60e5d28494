"""The dashboards' figures: plain functions and dataclasses, scoped to one workspace.

A dashboard covers whole days in the workspace's time zone (``inbox.responsiveness.
Period``) and compares them with the period of the same length just before. It reads
the summaries the collector keeps (summaries.py), never the snapshot history:

- a period's views, reach, engagements and clicks are what the posts gained during it
  (the sum of their daily gains), whatever day they were published;
- followers are the accounts' level at the end of each day (the last measurement on or
  before it), the growth is the end of the period minus the day before it began;
- the rates follow ``definitions.RATES`` (docs/analytics.md gives the formulas);
- responsiveness comes from the inbox (``inbox.responsiveness``), not recomputed.

The report (CSV, PDF) reuses these dataclasses as they are.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Max, Sum

from parvis.accounts.models import Workspace
from parvis.analytics import traffic
from parvis.analytics.summaries import MetricChannelDay, MetricDay, MetricLatest
from parvis.inbox.responsiveness import (
    Figures as ResponseFigures,
)
from parvis.inbox.responsiveness import (
    Period,
    responsiveness_by_channel,
    responsiveness_total,
)
from parvis.publishing.models import Post
from parvis.publishing.selectors import posts_by_channel_remote_id, published_objects

POST_NAMES = ("views", "reach", "engagements", "clicks")
TOP_POSTS = 10


@dataclass(frozen=True)
class Scope:
    """What a dashboard looks at: the workspace, or one channel, campaign, pillar or post."""

    workspace: Workspace
    channel_id: int | None = None
    campaign_id: int | None = None
    post_id: int | None = None
    pillar_id: int | None = None

    def post_filters(self) -> dict[str, Any]:
        """``Post`` lookups narrowing the figures to some posts (empty: every post)."""
        filters: dict[str, Any] = {}
        if self.campaign_id is not None:
            filters["campaign_id"] = self.campaign_id
        if self.pillar_id is not None:
            filters["pillar_id"] = self.pillar_id
        if self.post_id is not None:
            filters["pk"] = self.post_id
        return filters

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.workspace.time_zone)


def _ratio(part: float | None, whole: float | None) -> float | None:
    return part / whole if part is not None and whole else None


@dataclass(frozen=True)
class Totals:
    """One period's figures."""

    views: float | None = None  # None: no network gives it in this scope
    reach: float | None = None
    engagements: float | None = None
    clicks: float | None = None
    followers: float | None = None  # at the end of the period
    followers_before: float | None = None  # at the end of the day before it began
    short_link_clicks: int | None = None  # people's clicks on the scope's Parvis short links
    response: ResponseFigures | None = None  # None: not for this scope

    @property
    def follower_growth(self) -> float | None:
        if self.followers is None or self.followers_before is None:
            return None
        return self.followers - self.followers_before

    @property
    def follower_growth_rate(self) -> float | None:
        return _ratio(self.follower_growth, self.followers_before)

    @property
    def engagement_rate_reach(self) -> float | None:
        return _ratio(self.engagements, self.reach)

    @property
    def engagement_rate_followers(self) -> float | None:
        return _ratio(self.engagements, self.followers)

    @property
    def views_per_reach(self) -> float | None:
        return _ratio(self.views, self.reach)

    @property
    def click_through_rate(self) -> float | None:
        return _ratio(self.clicks, self.views)

    @property
    def short_link_click_through_rate(self) -> float | None:
        return _ratio(self.short_link_clicks, self.views)

    @property
    def response_rate(self) -> float | None:
        return self.response.rate if self.response else None

    @property
    def response_time(self) -> float | None:
        return self.response.median_seconds if self.response else None

    def value(self, name: str) -> float | None:
        return getattr(self, name)


@dataclass(frozen=True)
class Series:
    """Daily figures: each day's gains, and the followers at each day's end."""

    days: tuple[date, ...]
    values: dict[str, tuple[float | None, ...]]


@dataclass(frozen=True)
class TopPost:
    post_id: int
    text: str
    channel_id: int
    engagements: float
    reach: float
    views: float

    @property
    def engagement_rate_reach(self) -> float | None:
        return _ratio(self.engagements, self.reach)


@dataclass(frozen=True)
class Dashboard:
    scope: Scope
    period: Period
    previous_period: Period
    current: Totals
    previous: Totals
    series: Series
    top_posts: tuple[TopPost, ...]
    measured: bool  # any figure collected yet in this scope
    channel_ids: tuple[int, ...] = field(default=())  # the channels the figures come from


def dashboard(*, scope: Scope, period: Period) -> Dashboard:
    """Everything one dashboard page shows, for ``period`` and the one before."""
    previous = period.previous()
    objects = _objects(scope)
    channel_ids = _channel_ids(scope, objects)
    gains = _gains(scope, objects, previous.first, period.last)
    followers = _followers(scope, channel_ids, previous.first, period.last)
    link_clicks = traffic.short_link_clicks(scope=scope, period=Period(previous.first, period.last))
    current = _totals(scope, period, gains, followers, link_clicks)
    before = _totals(scope, previous, gains, followers, link_clicks)
    days = tuple(period.first + timedelta(days=n) for n in range(period.days))
    values: dict[str, tuple[float | None, ...]] = {
        name: tuple(gains.get((day, name), 0.0) for day in days) for name in POST_NAMES
    }
    values["followers"] = tuple(followers(day) for day in days)
    values["short_link_clicks"] = tuple(float(link_clicks.get(day, 0)) for day in days)
    return Dashboard(
        scope=scope,
        period=period,
        previous_period=previous,
        current=current,
        previous=before,
        series=Series(days, values),
        top_posts=top_posts(scope=scope, period=period, objects=objects),
        measured=_measured(scope, objects, channel_ids),
        channel_ids=tuple(sorted(channel_ids)),
    )


Objects = set[tuple[int, str]] | None  # the (channel, network id) of the scoped posts; None: all


def _objects(scope: Scope) -> Objects:
    filters = scope.post_filters()
    if not filters:
        return None
    rows = published_objects(
        workspace=scope.workspace, channel_id=scope.channel_id, post_filters=filters
    )
    return {(channel_id, remote_id) for channel_id, remote_id, _post in rows}


def _channel_ids(scope: Scope, objects: Objects) -> set[int]:
    if objects is not None:
        return {channel_id for channel_id, _remote in objects}
    if scope.channel_id is not None:
        return {scope.channel_id}
    return set(scope.workspace.channels.values_list("pk", flat=True))


def _gains(
    scope: Scope, objects: Objects, first: date, last: date
) -> dict[tuple[date, str], float]:
    """Each (day, name)'s gain over the scoped posts."""
    totals: dict[tuple[date, str], float] = defaultdict(float)
    if objects is None:
        rows = MetricChannelDay.objects.in_workspace(scope.workspace).filter(
            day__gte=first, day__lte=last, name__in=POST_NAMES
        )
        if scope.channel_id is not None:
            rows = rows.filter(channel_id=scope.channel_id)
    elif not objects:
        return totals
    else:
        # The posts' channels and network ids together name them (a network's post
        # ids are unique on it, and two networks' ids do not meet).
        rows = MetricDay.objects.in_workspace(scope.workspace).filter(
            day__gte=first,
            day__lte=last,
            name__in=POST_NAMES,
            channel_id__in={c for c, _r in objects},
            remote_id__in={r for _c, r in objects},
        )
    for row in rows.values("day", "name").annotate(total=Sum("gain")):
        totals[(row["day"], row["name"])] += row["total"]
    return totals


def _followers(scope: Scope, channel_ids: set[int], first: date, last: date):
    """A function: day -> the channels' followers at that day's end (None: not measured)."""
    accounts = MetricDay.objects.in_workspace(scope.workspace).filter(
        remote_id="", name="followers", channel_id__in=channel_ids
    )
    steps: dict[int, list[tuple[date, float]]] = defaultdict(list)
    earlier = accounts.filter(day__lt=first).values("channel_id").annotate(at=Max("day"))
    starts = {row["channel_id"]: row["at"] for row in earlier}
    if starts:
        for channel_id, day, value in accounts.filter(day__in=set(starts.values())).values_list(
            "channel_id", "day", "value"
        ):
            if starts.get(channel_id) == day:
                steps[channel_id].append((day, value))
    for channel_id, day, value in (
        accounts.filter(day__gte=first, day__lte=last)
        .order_by("day")
        .values_list("channel_id", "day", "value")
    ):
        steps[channel_id].append((day, value))

    def at(day: date) -> float | None:
        known = [
            next((value for when, value in reversed(found) if when <= day), None)
            for found in steps.values()
        ]
        known = [value for value in known if value is not None]
        return sum(known) if known else None

    return at


def _totals(scope, period: Period, gains, followers, link_clicks) -> Totals:
    given = {name for _day, name in gains}

    def total(name: str) -> float | None:
        """The period's gain; None when no network gives this figure here (the
        Sandbox and Instagram give no clicks: not zero clicks, unknown)."""
        if name not in given:
            return None
        return sum(
            value
            for (day, n), value in gains.items()
            if n == name and period.first <= day <= period.last
        )

    clicks = sum(n for day, n in link_clicks.items() if period.first <= day <= period.last)
    return Totals(
        views=total("views"),
        reach=total("reach"),
        engagements=total("engagements"),
        clicks=total("clicks"),
        followers=followers(period.last),
        followers_before=followers(period.first - timedelta(days=1)),
        short_link_clicks=clicks,
        response=_response(scope, period),
    )


def _response(scope: Scope, period: Period) -> ResponseFigures | None:
    """The inbox's figures for the workspace or one channel (not for some posts)."""
    if scope.post_filters():
        return None
    if scope.channel_id is None:
        return responsiveness_total(workspace=scope.workspace, period=period)
    by_channel = responsiveness_by_channel(workspace=scope.workspace, period=period)
    return by_channel.get(scope.channel_id, ResponseFigures())


def top_posts(
    *, scope: Scope, period: Period, objects: Objects = None, limit: int = TOP_POSTS
) -> tuple[TopPost, ...]:
    """The posts that gained the most engagements during the period."""
    if objects is not None and not objects:
        return ()
    rows = MetricDay.objects.in_workspace(scope.workspace).filter(
        day__gte=period.first, day__lte=period.last, remote_id__gt=""
    )
    if scope.channel_id is not None:
        rows = rows.filter(channel_id=scope.channel_id)
    if objects is not None:
        rows = rows.filter(
            channel_id__in={c for c, _r in objects}, remote_id__in={r for _c, r in objects}
        )
    best = list(
        rows.filter(name="engagements")
        .values("channel_id", "remote_id")
        .annotate(total=Sum("gain"))
        .filter(total__gt=0)
        .order_by("-total", "remote_id")[: limit * 2]
    )
    if objects is not None:
        best = [row for row in best if (row["channel_id"], row["remote_id"]) in objects]
    best = best[:limit]
    keys = {(row["channel_id"], row["remote_id"]) for row in best}
    others: dict[tuple[int, str, str], float] = {}
    if keys:
        for row in (
            rows.filter(
                name__in=("reach", "views"),
                channel_id__in={c for c, _r in keys},
                remote_id__in={r for _c, r in keys},
            )
            .values("channel_id", "remote_id", "name")
            .annotate(total=Sum("gain"))
        ):
            others[(row["channel_id"], row["remote_id"], row["name"])] = row["total"]
    posts: dict[tuple[int, str], Post] = posts_by_channel_remote_id(
        workspace=scope.workspace, keys=keys
    )
    return tuple(
        TopPost(
            post_id=posts[key].pk,
            text=posts[key].text,
            channel_id=key[0],
            engagements=row["total"],
            reach=others.get((*key, "reach"), 0.0),
            views=others.get((*key, "views"), 0.0),
        )
        for row in best
        if (key := (row["channel_id"], row["remote_id"])) in posts
    )


def _measured(scope: Scope, objects: Objects, channel_ids: set[int]) -> bool:
    latest = MetricLatest.objects.in_workspace(scope.workspace).filter(channel_id__in=channel_ids)
    if objects is not None:
        latest = latest.filter(remote_id__in={r for _c, r in objects})
    return latest.exists()
