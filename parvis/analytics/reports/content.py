"""What a period's report says, as one dataclass built from the dashboards' selectors.

The PDF template and the e-mailed report read only ``ReportContent``; this module is the
one place that gathers it. The figures are the Analytics pages' for the same days:
``analytics.dashboards.dashboard`` for the workspace and for each channel, and the
cards of ``analytics.cards`` (awareness, engagement, traffic, responsiveness, each with
the previous period's), so a report and a dashboard never disagree. docs/analytics.md
gives the definitions: a period counts what posts gained during it, whenever they were
published; followers are the level at the end of each day.

Goals come through the seam ``reports.goals`` (strategy registers them; analytics may
not import strategy).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone, translation

from parvis.accounts.models import Workspace
from parvis.analytics.cards import Section, sections
from parvis.analytics.dashboards import Dashboard, Scope, Totals, dashboard
from parvis.analytics.reports.goals import GoalLine, goal_lines
from parvis.channels.selectors import channel_label, channels_of
from parvis.inbox.responsiveness import Figures as Responsiveness
from parvis.inbox.responsiveness import Period
from parvis.publishing.selectors import published_between

TOP_POSTS = 5


@dataclass(frozen=True)
class ChannelLine:
    name: str
    network: str
    posts: int  # published during the period
    current: Totals
    previous: Totals


@dataclass(frozen=True)
class TopPost:
    text: str
    channel: str
    network: str
    views: float
    reach: float
    engagements: float
    engagement_rate: float | None


@dataclass(frozen=True)
class ReportContent:
    workspace_name: str
    language: str
    zone: ZoneInfo
    period: Period
    previous: Period
    made_at: datetime
    board: Dashboard  # the workspace's dashboard for the period
    sections: tuple[Section, ...]  # its cards, as the Analytics page shows them
    posts: int  # published during the period
    posts_before: int
    channels: tuple[ChannelLine, ...]
    top_posts: tuple[TopPost, ...]
    followers: dict[str, list[tuple[date, float]]]  # channel -> its followers each day
    goals: tuple[GoalLine, ...]
    response_target_minutes: int
    accent: str = "#4f46e5"  # the workspace's colour
    logo_png: bytes = field(default=b"", repr=False)

    @property
    def responsiveness(self) -> Responsiveness:
        return self.board.current.response or Responsiveness()

    @property
    def responsiveness_before(self) -> Responsiveness:
        return self.board.previous.response or Responsiveness()


def _published(workspace: Workspace, period: Period, zone: ZoneInfo) -> dict[int, int]:
    """How many posts went out on each channel during the period."""
    start, end = period.bounds(zone)
    counts: dict[int, int] = {}
    for item in published_between(workspace=workspace, start=start, end=end):
        counts[item.channel_id] = counts.get(item.channel_id, 0) + 1
    return counts


def _logo(workspace: Workspace) -> bytes:
    if not workspace.logo:
        return b""
    try:
        with workspace.logo.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        return b""


def report_content(*, workspace: Workspace, period: Period, language: str = "") -> ReportContent:
    """Everything the report of ``period`` shows, for ``workspace``, in ``language``
    (by default the workspace's; it words the goals)."""
    zone = ZoneInfo(workspace.time_zone)
    language = language or workspace.language
    board = dashboard(scope=Scope(workspace), period=period)
    channels = list(channels_of(workspace=workspace))
    posts = _published(workspace, period, zone)
    posts_before = _published(workspace, period.previous(), zone)
    by_pk = {channel.pk: channel for channel in channels}
    lines, followers = [], {}
    for channel in channels:
        one = dashboard(scope=Scope(workspace, channel_id=channel.pk), period=period)
        lines.append(
            ChannelLine(
                name=channel.name,
                network=channel_label(channel),
                posts=posts.get(channel.pk, 0),
                current=one.current,
                previous=one.previous,
            )
        )
        days = [
            (day, value)
            for day, value in zip(one.series.days, one.series.values["followers"], strict=True)
            if value is not None
        ]
        if days:  # a brand's accounts often share a name: the network tells them apart
            followers[f"{channel.name} · {channel_label(channel)}"] = days
    top = tuple(
        TopPost(
            text=post.text,
            channel=by_pk[post.channel_id].name if post.channel_id in by_pk else "",
            network=channel_label(by_pk[post.channel_id]) if post.channel_id in by_pk else "",
            views=post.views,
            reach=post.reach,
            engagements=post.engagements,
            engagement_rate=post.engagement_rate_reach,
        )
        for post in board.top_posts[:TOP_POSTS]
    )
    with translation.override(language):
        goals = goal_lines(workspace=workspace, period=period)
    return ReportContent(
        workspace_name=workspace.name,
        language=language,
        zone=zone,
        period=period,
        previous=period.previous(),
        made_at=timezone.now(),
        board=board,
        sections=tuple(sections(board)),
        posts=sum(posts.values()),
        posts_before=sum(posts_before.values()),
        channels=tuple(lines),
        top_posts=top,
        followers=followers,
        goals=goals,
        response_target_minutes=workspace.response_target_minutes,
        accent=workspace.color,
        logo_png=_logo(workspace),
    )
