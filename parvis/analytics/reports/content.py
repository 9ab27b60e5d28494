"""What a period's report says, as one dataclass built from today's selectors.

The PDF template and the e-mailed report read only ``ReportContent``; this module is the
one place that gathers it (metric snapshots through ``reports.figures``, published posts
through ``publishing.selectors``, responsiveness through ``inbox.responsiveness``).
When the dashboards' selectors land, ``report_content`` is the function to switch.

Definitions (the ones the dashboards explain):

- A period's posts are those published during it; their figures are the last measured
  before the period ended.
- *Interactions* of a post: the network's own engagements count where it gives one,
  else likes + comments + shares + saves.
- *Engagement rate by reach*: the period's interactions / the period's reach.
- *New followers*: followers at the end of the period minus at its start, per account.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parvis.accounts.models import Workspace
from parvis.analytics.reports.figures import followers_by_day, post_figures_as_of
from parvis.channels.selectors import channel_label, channels_of
from parvis.inbox.responsiveness import Figures as Responsiveness
from parvis.inbox.responsiveness import Period, responsiveness_total
from parvis.publishing.selectors import PublishedItem, published_between

TOP_POSTS = 5
INTERACTIONS = ("likes", "comments", "shares", "saves")


def interactions_of(figures: dict[str, float]) -> float:
    if "engagements" in figures:
        return figures["engagements"]
    return sum(figures.get(name, 0.0) for name in INTERACTIONS)


@dataclass(frozen=True)
class Total:
    """One headline figure of the period, with the previous period's."""

    key: str
    label: str | Promise
    value: float | None
    previous: float | None
    percent: bool = False  # a rate from 0 to 1, shown as a percentage

    @property
    def change(self) -> float | None:
        """The change from the previous period, in percent (None when not comparable)."""
        if self.value is None or not self.previous:
            return None
        return (self.value - self.previous) / abs(self.previous) * 100


@dataclass(frozen=True)
class ChannelLine:
    name: str
    network: str
    followers: float | None
    followers_change: float | None
    posts: int
    views: float
    reach: float
    interactions: float
    parts: dict[str, float] = field(default_factory=dict)  # likes, comments, shares, saves


@dataclass(frozen=True)
class TopPost:
    text: str
    channel: str
    network: str
    published_at: datetime
    views: float
    reach: float
    interactions: float
    url: str


@dataclass(frozen=True)
class ReportContent:
    workspace_name: str
    language: str
    zone: ZoneInfo
    period: Period
    previous: Period
    made_at: datetime
    totals: tuple[Total, ...]
    channels: tuple[ChannelLine, ...]
    top_posts: tuple[TopPost, ...]
    followers: dict[str, list[tuple[date, float]]]  # channel name -> its days
    responsiveness: Responsiveness
    responsiveness_before: Responsiveness
    response_target_minutes: int
    accent: str = "#4f46e5"  # the workspace's colour
    logo_png: bytes = field(default=b"", repr=False)


@dataclass
class _PeriodFigures:
    posts: list[tuple[PublishedItem, dict[str, float]]]
    followers: dict[int, dict[date, float]]

    def sum(self, name: str, channel_id: int | None = None) -> float:
        return sum(
            figures.get(name, 0.0)
            for item, figures in self.posts
            if channel_id is None or item.channel_id == channel_id
        )

    def interactions(self, channel_id: int | None = None) -> float:
        return sum(
            interactions_of(figures)
            for item, figures in self.posts
            if channel_id is None or item.channel_id == channel_id
        )

    def followers_change(self, channel_id: int) -> float | None:
        days = self.followers.get(channel_id, {})
        if len(days) < 2:
            return None
        ordered = sorted(days)
        return days[ordered[-1]] - days[ordered[0]]

    def new_followers(self) -> float | None:
        changes = [self.followers_change(pk) for pk in self.followers]
        known = [change for change in changes if change is not None]
        return sum(known) if known else None


def _period_figures(
    workspace: Workspace, period: Period, zone: ZoneInfo, channel_ids: list[int]
) -> _PeriodFigures:
    start, end = period.bounds(zone)
    items = published_between(workspace=workspace, start=start, end=end)
    figures = post_figures_as_of(
        workspace=workspace, keys=[(i.channel_id, i.remote_id) for i in items], end=end
    )
    followers = followers_by_day(
        workspace=workspace, channel_ids=channel_ids, start=start, end=end, zone=zone
    )
    posts = [(item, figures.get((item.channel_id, item.remote_id), {})) for item in items]
    return _PeriodFigures(posts=posts, followers=followers)


def _rate(part: float, whole: float) -> float | None:
    return part / whole if whole else None


def _totals(
    now: _PeriodFigures,
    before: _PeriodFigures,
    answers: Responsiveness,
    answers_before: Responsiveness,
) -> tuple[Total, ...]:
    return (
        Total("posts", _("Posts published"), len(now.posts), len(before.posts)),
        Total("views", _("Views"), now.sum("views"), before.sum("views")),
        Total("reach", _("Reach"), now.sum("reach"), before.sum("reach")),
        Total("interactions", _("Interactions"), now.interactions(), before.interactions()),
        Total(
            "engagement_rate",
            _("Engagement rate by reach"),
            _rate(now.interactions(), now.sum("reach")),
            _rate(before.interactions(), before.sum("reach")),
            percent=True,
        ),
        Total("new_followers", _("New followers"), now.new_followers(), before.new_followers()),
        Total("response_rate", _("Response rate"), answers.rate, answers_before.rate, percent=True),
    )


def report_content(*, workspace: Workspace, period: Period) -> ReportContent:
    """Everything the report of ``period`` shows, for ``workspace``."""
    zone = ZoneInfo(workspace.time_zone)
    channels = list(channels_of(workspace=workspace))
    ids = [channel.pk for channel in channels]
    now = _period_figures(workspace, period, zone, ids)
    before = _period_figures(workspace, period.previous(), zone, ids)
    answers = responsiveness_total(workspace=workspace, period=period)
    answers_before = responsiveness_total(workspace=workspace, period=period.previous())
    names = {channel.pk: channel.name for channel in channels}
    networks = {channel.pk: channel_label(channel) for channel in channels}
    lines = tuple(
        ChannelLine(
            name=channel.name,
            network=channel_label(channel),
            followers=_last(now.followers.get(channel.pk)),
            followers_change=now.followers_change(channel.pk),
            posts=sum(1 for item, _f in now.posts if item.channel_id == channel.pk),
            views=now.sum("views", channel.pk),
            reach=now.sum("reach", channel.pk),
            interactions=now.interactions(channel.pk),
            parts={name: now.sum(name, channel.pk) for name in INTERACTIONS},
        )
        for channel in channels
    )
    ranked = sorted(
        now.posts, key=lambda pair: (interactions_of(pair[1]), pair[1].get("views", 0.0))
    )
    top = tuple(
        TopPost(
            text=item.text,
            channel=names.get(item.channel_id, ""),
            network=networks.get(item.channel_id, ""),
            published_at=item.published_at,
            views=figures.get("views", 0.0),
            reach=figures.get("reach", 0.0),
            interactions=interactions_of(figures),
            url=item.url,
        )
        for item, figures in reversed(ranked[-TOP_POSTS:])
    )
    followers = {  # a brand's accounts often share a name: the network tells them apart
        f"{names[pk]} · {networks[pk]}": sorted(days.items())
        for pk, days in now.followers.items()
        if pk in names and days
    }
    logo = b""
    if workspace.logo:
        try:
            with workspace.logo.open("rb") as stored:
                logo = stored.read()
        except FileNotFoundError:
            logo = b""
    return ReportContent(
        workspace_name=workspace.name,
        language=workspace.language,
        zone=zone,
        period=period,
        previous=period.previous(),
        made_at=timezone.now(),
        totals=_totals(now, before, answers, answers_before),
        channels=lines,
        top_posts=top,
        followers=followers,
        responsiveness=answers,
        responsiveness_before=answers_before,
        response_target_minutes=workspace.response_target_minutes,
        accent=workspace.color,
        logo_png=logo,
    )


def _last(days: dict[date, float] | None) -> float | None:
    return days[max(days)] if days else None
