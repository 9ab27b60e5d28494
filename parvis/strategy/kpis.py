"""The KPIs a goal can aim at: one registry entry each (label, explanation, unit,
direction, how it accumulates over a period, and the function that measures it).

A measure receives the workspace, the period [start, end) as aware datetimes and
the goal's scope (a channel, a campaign, or neither), and returns the figure, or
None when there is nothing to measure yet. Adding a KPI is one ``register`` call:
the clicks KPI, for one, is ``register(clicks_kpi(parvis.links.selectors.clicks_total))``
(see ``clicks_kpi``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import Workspace
from parvis.analytics.models import MetricSnapshot
from parvis.analytics.selectors import latest_figures
from parvis.inbox.responsiveness import (
    Figures as ResponseFigures,
)
from parvis.inbox.responsiveness import (
    Period,
    responsiveness_by_channel,
    responsiveness_total,
)
from parvis.links.selectors import clicks_total as link_clicks_total
from parvis.publishing.selectors import published_deliveries


@dataclass(frozen=True)
class Scope:
    """What a goal is limited to: one channel, one campaign, or the whole workspace."""

    channel_id: int | None = None
    campaign_id: int | None = None


class Direction(StrEnum):
    AT_LEAST = "at_least"  # the figure should reach the target or more
    AT_MOST = "at_most"  # the figure should stay at the target or less


class Pace(StrEnum):
    """How the figure is expected to move between the start and the deadline."""

    CUMULATIVE = "cumulative"  # it adds up (posts, clicks, growth): a share of the target by now
    LEVEL = "level"  # it should hold the target all along (a rate, a time)


Measure = Callable[[Workspace, datetime, datetime, Scope], float | None]


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str | Promise
    explanation: str | Promise
    unit: str  # "%", "min" or "" (a count)
    direction: Direction
    pace: Pace
    measure: Measure
    scopes: frozenset[str] = frozenset({"channel", "campaign"})  # what a goal may limit it to


KPIS: dict[str, Kpi] = {}


def register(kpi: Kpi) -> Kpi:
    KPIS[kpi.key] = kpi
    return kpi


def kpi_of(key: str) -> Kpi | None:
    return KPIS.get(key)


def kpi_choices() -> list[tuple[str, str | Promise]]:
    return [(kpi.key, kpi.label) for kpi in KPIS.values()]


# Followers, from the accounts' snapshots.


def _account_followers(workspace: Workspace, scope: Scope):
    rows = MetricSnapshot.objects.in_workspace(workspace).filter(remote_id="", name="followers")
    if scope.channel_id is not None:
        rows = rows.filter(channel_id=scope.channel_id)
    return rows


def _followers_at(workspace: Workspace, moment: datetime, scope: Scope, *, first: bool) -> float:
    """The channels' followers summed: each channel's last figure before ``moment``
    (with ``first``, its first figure when none was taken before)."""
    rows = _account_followers(workspace, scope)
    last = dict(
        rows.filter(measured_at__lt=moment)
        .values_list("channel_id")
        .annotate(at=Max("measured_at"))
        .values_list("channel_id", "at")
    )
    if first:
        earliest = rows.values_list("channel_id").annotate(at=Min("measured_at"))
        for channel_id, at in earliest.values_list("channel_id", "at"):
            last.setdefault(channel_id, at)
    total = 0.0
    for channel_id, at in last.items():
        value = rows.filter(channel_id=channel_id, measured_at=at).values_list("value", flat=True)
        total += next(iter(value), 0.0)
    return total


def measure_followers(
    workspace: Workspace, start: datetime, end: datetime, scope: Scope
) -> float | None:
    if not _account_followers(workspace, scope).filter(measured_at__lt=end).exists():
        return None
    return _followers_at(workspace, end, scope, first=False)


def measure_follower_growth(
    workspace: Workspace, start: datetime, end: datetime, scope: Scope
) -> float | None:
    """Followers gained since the start, as a percentage of the followers at the start."""
    if not _account_followers(workspace, scope).filter(measured_at__lt=end).exists():
        return None
    before = _followers_at(workspace, start, scope, first=True)
    now = _followers_at(workspace, end, scope, first=False)
    if before <= 0:
        return None
    return (now - before) / before * 100


# Posts and their figures.


def measure_posts_published(
    workspace: Workspace, start: datetime, end: datetime, scope: Scope
) -> float | None:
    deliveries = published_deliveries(
        workspace=workspace,
        start=start,
        end=end,
        channel_id=scope.channel_id,
        campaign_id=scope.campaign_id,
    )
    return float(len({post_id for post_id, _channel, _remote in deliveries}))


ENGAGEMENT_PARTS = ("likes", "comments", "shares", "saves")


def engagements_of(figures) -> float | None:
    """The network's engagements, else the sum of the interactions it gave."""
    total = figures.value("engagements")
    if total is not None:
        return total
    parts = [figures.value(name) for name in ENGAGEMENT_PARTS]
    return sum(p for p in parts if p is not None) if any(p is not None for p in parts) else None


def measure_engagement_rate(
    workspace: Workspace, start: datetime, end: datetime, scope: Scope
) -> float | None:
    """Engagements / reach of the posts published in the period (posts whose network
    gives both), as a percentage."""
    deliveries = published_deliveries(
        workspace=workspace,
        start=start,
        end=end,
        channel_id=scope.channel_id,
        campaign_id=scope.campaign_id,
    )
    keys = [(channel_id, remote_id) for _post, channel_id, remote_id in deliveries if remote_id]
    engaged = reached = 0.0
    for figures in latest_figures(workspace=workspace, keys=keys).values():
        reach, engagements = figures.value("reach"), engagements_of(figures)
        if reach and engagements is not None:
            engaged, reached = engaged + engagements, reached + reach
    return engaged / reached * 100 if reached else None


# Responsiveness, from the inbox.


def _period(workspace: Workspace, start: datetime, end: datetime) -> Period:
    zone = ZoneInfo(workspace.time_zone)
    return Period(
        timezone.localdate(start, timezone=zone),
        timezone.localdate(end - timedelta(microseconds=1), timezone=zone),
    )


def _responsiveness(workspace: Workspace, start: datetime, end: datetime, scope: Scope):
    period = _period(workspace, start, end)
    if scope.channel_id is None:
        return responsiveness_total(workspace=workspace, period=period)
    by_channel = responsiveness_by_channel(workspace=workspace, period=period)
    return by_channel.get(scope.channel_id, ResponseFigures())


def measure_first_response(
    workspace: Workspace, start: datetime, end: datetime, scope: Scope
) -> float | None:
    figures = _responsiveness(workspace, start, end, scope)
    return figures.median_seconds / 60 if figures.median_seconds is not None else None


def measure_response_rate(
    workspace: Workspace, start: datetime, end: datetime, scope: Scope
) -> float | None:
    rate = _responsiveness(workspace, start, end, scope).rate
    return rate * 100 if rate is not None else None


_CHANNEL_ONLY = frozenset({"channel"})

register(
    Kpi(
        "follower_growth",
        _("Follower growth"),
        _(
            "Followers gained since the goal's start, as a percentage of the followers "
            "at the start (the last figure collected before it)."
        ),
        "%",
        Direction.AT_LEAST,
        Pace.CUMULATIVE,
        measure_follower_growth,
        _CHANNEL_ONLY,
    )
)
register(
    Kpi(
        "followers",
        _("Followers"),
        _("The followers of the channels, as last collected (summed over the channels)."),
        "",
        Direction.AT_LEAST,
        Pace.LEVEL,
        measure_followers,
        _CHANNEL_ONLY,
    )
)
register(
    Kpi(
        "posts_published",
        _("Posts published"),
        _("Posts published since the goal's start (a post sent to several channels counts once)."),
        "",
        Direction.AT_LEAST,
        Pace.CUMULATIVE,
        measure_posts_published,
    )
)
register(
    Kpi(
        "engagement_rate",
        _("Engagement rate"),
        _(
            "Engagements divided by reach, for the posts published since the goal's start, "
            "with their latest figures (posts whose network gives no reach are left out)."
        ),
        "%",
        Direction.AT_LEAST,
        Pace.LEVEL,
        measure_engagement_rate,
    )
)
register(
    Kpi(
        "first_response_minutes",
        _("First response time (median)"),
        _(
            "Half the messages received since the goal's start were first answered within "
            "this time, nights and weekends included (see Inbox → Responsiveness)."
        ),
        "min",
        Direction.AT_MOST,
        Pace.LEVEL,
        measure_first_response,
        _CHANNEL_ONLY,
    )
)
register(
    Kpi(
        "response_rate",
        _("Response rate"),
        _(
            "The share of the messages needing an answer that were answered, since the "
            "goal's start (a conversation marked done without an answer needed none)."
        ),
        "%",
        Direction.AT_LEAST,
        Pace.LEVEL,
        measure_response_rate,
        _CHANNEL_ONLY,
    )
)


ClicksTotal = Callable[..., int]


def click_days(workspace: Workspace, start: datetime, end: datetime) -> tuple[date, date]:
    """The days, in the workspace's time zone and both included, that the links app
    counts for the period [start, end): the start's day, and the day of the last moment
    before the end (an end at midnight does not take in the day it begins). Clicks are
    counted per whole day: a start or an end in the middle of a day (a goal measured
    up to now) takes that whole day, which holds no click after now anyway."""
    zone = ZoneInfo(workspace.time_zone)
    last_moment = end - timedelta(microseconds=1)
    return timezone.localdate(start, timezone=zone), timezone.localdate(last_moment, timezone=zone)


def clicks_kpi(clicks_total: ClicksTotal) -> Kpi:
    """The clicks KPI, measured by the links app's ``clicks_total(*, workspace, start,
    end, campaign_id=None, channel_id=None, post_id=None) -> int``, whose ``start`` and
    ``end`` are days in the workspace's time zone, both included (see ``click_days``)."""

    def measure(workspace: Workspace, start: datetime, end: datetime, scope: Scope) -> float:
        first, last = click_days(workspace, start, end)
        if last < first:
            return 0.0
        return float(
            clicks_total(
                workspace=workspace,
                start=first,
                end=last,
                campaign_id=scope.campaign_id,
                channel_id=scope.channel_id,
            )
        )

    return Kpi(
        "clicks",
        _("Clicks on short links"),
        _(
            "People's clicks on the workspace's short links since the goal's start, counted "
            "by Parvis per day in the workspace's time zone (robots and link previews left out)."
        ),
        "",
        Direction.AT_LEAST,
        Pace.CUMULATIVE,
        measure,
    )


register(clicks_kpi(link_clicks_total))
