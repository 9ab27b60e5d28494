"""The Analytics pages: the workspace's dashboard, and one channel's, post's or campaign's.

Each page shows the cards of ``analytics.cards`` for a date range picked in the page
(the last 7, 28 or 90 days, this month, last month or chosen dates), compared with the
period of the same length just before when asked, with charts and their data tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parvis.accounts.access import workspace_view
from parvis.analytics.cards import COUNT, figure_text, sections
from parvis.analytics.dashboards import Dashboard, Scope, dashboard
from parvis.analytics.definitions import definition
from parvis.channels.selectors import channel_label, channel_of_or_404, channels_of
from parvis.core.exports import csv_response, wants_csv
from parvis.inbox.responsiveness import Period, rate_text
from parvis.publishing.selectors import post_of_or_404
from parvis.strategy.selectors import campaign_of_or_404, pillar_of_or_404

RANGES = (
    ("7", gettext_lazy("Last 7 days")),
    ("28", gettext_lazy("Last 28 days")),
    ("90", gettext_lazy("Last 90 days")),
    ("this_month", gettext_lazy("This month")),
    ("last_month", gettext_lazy("Last month")),
    ("custom", gettext_lazy("Chosen dates")),
)
DEFAULT_RANGE = "28"
LONGEST_DAYS = 366
CHARTS = (
    ("engagements", "bar"),
    ("reach", "bar"),
    ("views", "bar"),
    ("followers", "line"),
    ("clicks", "bar"),
    ("short_link_clicks", "bar"),
)


DAILY_TABLE, TOP_POSTS_TABLE = "daily", "top_posts"  # the page's CSV exports


@dataclass(frozen=True)
class Picked:
    """The range the person asked for, as a period, and what to say if it was wrong."""

    key: str
    period: Period
    compare: bool
    problem: str = ""


def picked_range(request: HttpRequest, today: date) -> Picked:
    key = request.GET.get("range", DEFAULT_RANGE)
    compare = request.GET.get("compare", "1") == "1"
    if key.isdigit() and key in dict(RANGES):
        days = int(key)
        return Picked(key, Period(today - timedelta(days=days - 1), today), compare)
    if key == "this_month":
        return Picked(key, Period(today.replace(day=1), today), compare)
    if key == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return Picked(key, Period(last.replace(day=1), last), compare)
    if key == "custom":
        try:
            first = date.fromisoformat(request.GET.get("first", ""))
            last = date.fromisoformat(request.GET.get("last", ""))
        except ValueError:
            problem = _("Give both dates of the range (first and last day) to see them.")
        else:
            if first > last:
                first, last = last, first
            if (last - first).days < LONGEST_DAYS:
                return Picked(key, Period(first, last), compare)
            problem = _("Choose a range of at most a year.")
        default = Period(today - timedelta(days=int(DEFAULT_RANGE) - 1), today)
        return Picked(key, default, compare, problem)
    return picked_range_default(today, compare)


def picked_range_default(today: date, compare: bool) -> Picked:
    days = int(DEFAULT_RANGE)
    return Picked(DEFAULT_RANGE, Period(today - timedelta(days=days - 1), today), compare)


def _charts(board: Dashboard) -> list[dict]:
    """Each chart's data for the page's script, with the same figures as a table."""
    days = board.series.days
    labels = [formats.date_format(day, "SHORT_DATE_FORMAT") for day in days]
    charts = []
    for name, kind in CHARTS:
        values = board.series.values.get(name)
        if values is None or not any(values):
            continue
        label = str(definition(name).label)
        charts.append(
            {
                "id": f"chart-{name}",
                "title": label,
                "config": {"type": kind, "labels": labels, "label": label, "values": values},
                "rows": [
                    (day_label, figure_text(value, COUNT))
                    for day_label, value in zip(labels, values, strict=True)
                ],
            }
        )
    return charts


def _daily_csv(request: HttpRequest, board: Dashboard) -> HttpResponse:
    """The figures behind the charts, one row a day, one column a figure."""
    names = [name for name, _kind in CHARTS if name in board.series.values]
    columns = [_("Day")] + [str(definition(name).label) for name in names]
    rows = (
        [day] + [board.series.values[name][index] for name in names]
        for index, day in enumerate(board.series.days)
    )
    return csv_response(
        filename=_("daily figures"), columns=columns, rows=rows, workspace=request.workspace
    )


def _top_posts_csv(request: HttpRequest, board: Dashboard, names: dict[int, str]) -> HttpResponse:
    columns = [
        _("Post"),
        _("Channel"),
        str(definition("engagements").label),
        str(definition("reach").label),
        str(definition("views").label),
        str(definition("engagement_rate_reach").label),
    ]
    rows = (
        (
            post.text,
            names.get(post.channel_id, ""),
            post.engagements,
            post.reach,
            post.views,
            post.engagement_rate_reach,
        )
        for post in board.top_posts
    )
    return csv_response(
        filename=_("top posts"), columns=columns, rows=rows, workspace=request.workspace
    )


def _render(request: HttpRequest, scope: Scope, context: dict) -> HttpResponse:
    today = timezone.localdate(timezone=scope.zone)
    picked = picked_range(request, today)
    board = dashboard(scope=scope, period=picked.period)
    channels = list(channels_of(workspace=request.workspace))
    names = {c.pk: f"{c.name} · {channel_label(c)}" for c in channels}
    if wants_csv(request, DAILY_TABLE):
        return _daily_csv(request, board)
    if wants_csv(request, TOP_POSTS_TABLE):
        return _top_posts_csv(request, board, names)
    return render(
        request,
        "web/dashboard.html",
        {
            "active_nav": "analytics",
            "board": board,
            "picked": picked,
            "ranges": RANGES,
            "sections": sections(board),
            "charts": _charts(board),
            "top_posts": [
                (post, names.get(post.channel_id, ""), rate_text(post.engagement_rate_reach))
                for post in board.top_posts
            ],
            "channels": names.items(),  # (id, "name · network") for the channel menu
            "has_channels": bool(channels),
            "daily_table": DAILY_TABLE,
            "top_posts_table": TOP_POSTS_TABLE,
            **context,
        },
    )


@workspace_view()
def analytics_overview(request: HttpRequest) -> HttpResponse:
    scope = Scope(request.workspace)
    return _render(request, scope, {"heading": _("Analytics"), "kind": "workspace"})


@workspace_view()
def analytics_channel(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = channel_of_or_404(workspace=request.workspace, channel_id=channel_id)
    scope = Scope(request.workspace, channel_id=channel.pk)
    heading = f"{channel.name} · {channel_label(channel)}"
    return _render(request, scope, {"heading": heading, "kind": "channel", "channel": channel})


@workspace_view()
def analytics_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = post_of_or_404(workspace=request.workspace, post_id=post_id)
    scope = Scope(request.workspace, post_id=post.pk)
    heading = _("Post: %(text)s") % {"text": post.text[:60]}
    return _render(request, scope, {"heading": heading, "kind": "post", "post": post})


def _strategy_page(
    request: HttpRequest, kind: str, thing: object, scope: Scope, heading: str
) -> HttpResponse:
    """A campaign's or a pillar's dashboard: the figures of its posts."""
    return _render(request, scope, {"heading": heading, "kind": kind, kind: thing})


@workspace_view()
def analytics_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_of_or_404(workspace=request.workspace, campaign_id=campaign_id)
    heading = _("Campaign: %(name)s") % {"name": campaign.name}
    scope = Scope(request.workspace, campaign_id=campaign.pk)
    return _strategy_page(request, "campaign", campaign, scope, heading)


@workspace_view()
def analytics_pillar(request: HttpRequest, pillar_id: int) -> HttpResponse:
    pillar = pillar_of_or_404(workspace=request.workspace, pillar_id=pillar_id)
    heading = _("Pillar: %(name)s") % {"name": pillar.name}
    scope = Scope(request.workspace, pillar_id=pillar.pk)
    return _strategy_page(request, "pillar", pillar, scope, heading)
