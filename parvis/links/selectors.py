"""Reads about short links and clicks, always scoped to one workspace.

The click selectors other parts use (dashboards, goals) are keyword-only. Periods
are days in the workspace's time zone: ``start`` and ``end`` are dates, both
included (None: unbounded). Robots and link previews are never counted.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404

from parvis.accounts.models import Workspace
from parvis.links.models import BioLink, Click, ShortLink, ShortLinkKind


def _zone(workspace: Workspace) -> ZoneInfo:
    return ZoneInfo(workspace.time_zone)


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def _clicks(
    *,
    workspace: Workspace,
    start: date | None,
    end: date | None,
    campaign_id: int | None = None,
    channel_id: int | None = None,
    post_id: int | None = None,
    link_id: int | None = None,
) -> QuerySet[Click]:
    """People's clicks in the workspace over the days, filtered by what is given."""
    zone = _zone(workspace)
    clicks = Click.objects.in_workspace(workspace).filter(is_bot=False)
    if start is not None:
        clicks = clicks.filter(clicked_at__gte=_day_start(start, zone))
    if end is not None:
        clicks = clicks.filter(clicked_at__lt=_day_start(end + timedelta(days=1), zone))
    filters = {
        "link__campaign_id": campaign_id,
        "link__channel_id": channel_id,
        "link__post_id": post_id,
        "link_id": link_id,
    }
    return clicks.filter(**{name: value for name, value in filters.items() if value is not None})


def clicks_total(
    *,
    workspace: Workspace,
    start: date | None,
    end: date | None,
    campaign_id: int | None = None,
    channel_id: int | None = None,
    post_id: int | None = None,
    link_id: int | None = None,
) -> int:
    """People's clicks on the workspace's short links over the days."""
    return _clicks(
        workspace=workspace,
        start=start,
        end=end,
        campaign_id=campaign_id,
        channel_id=channel_id,
        post_id=post_id,
        link_id=link_id,
    ).count()


def clicks_by_day(
    *,
    workspace: Workspace,
    start: date,
    end: date,
    campaign_id: int | None = None,
    channel_id: int | None = None,
    post_id: int | None = None,
    link_id: int | None = None,
) -> dict[date, int]:
    """Clicks per day (the workspace's days), every day of the period present (0 if none)."""
    rows = (
        _clicks(
            workspace=workspace,
            start=start,
            end=end,
            campaign_id=campaign_id,
            channel_id=channel_id,
            post_id=post_id,
            link_id=link_id,
        )
        .annotate(day=TruncDate("clicked_at", tzinfo=_zone(workspace)))
        .values("day")
        .annotate(clicks=Count("id"))
        .values_list("day", "clicks")
    )
    counted = dict(rows)
    days = (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    return {day: counted.get(day, 0) for day in days}


def _per(
    key: str, *, workspace: Workspace, ids: list[int], start: date | None, end: date | None
) -> dict[int, int]:
    rows = (
        _clicks(workspace=workspace, start=start, end=end)
        .filter(**{f"{key}__in": ids})
        .values(key)
        .annotate(clicks=Count("id"))
        .values_list(key, "clicks")
    )
    counted = dict(rows)
    return {pk: counted.get(pk, 0) for pk in ids}


def clicks_per_post(
    *, workspace: Workspace, post_ids: list[int], start: date | None = None, end: date | None = None
) -> dict[int, int]:
    """People's clicks on each post's short links (every id present, 0 if none)."""
    return _per("link__post_id", workspace=workspace, ids=list(post_ids), start=start, end=end)


def clicks_per_channel(
    *,
    workspace: Workspace,
    channel_ids: list[int],
    start: date | None = None,
    end: date | None = None,
) -> dict[int, int]:
    """People's clicks on the short links sent on each channel (every id present)."""
    return _per(
        "link__channel_id", workspace=workspace, ids=list(channel_ids), start=start, end=end
    )


def clicks_per_campaign(
    *,
    workspace: Workspace,
    campaign_ids: list[int],
    start: date | None = None,
    end: date | None = None,
) -> dict[int, int]:
    """People's clicks on the short links of each campaign's posts (every id present)."""
    ids = list(campaign_ids)
    return _per("link__campaign_id", workspace=workspace, ids=ids, start=start, end=end)


# --- Pages ------------------------------------------------------------------


def links_with_clicks(*, workspace: Workspace, start: date, end: date) -> QuerySet[ShortLink]:
    """Every short link of the workspace with ``period_clicks`` and ``total_clicks``
    (people only), newest first, with its post, channel and campaign."""
    zone = _zone(workspace)
    people = Q(clicks__is_bot=False)
    in_period = (
        people
        & Q(clicks__clicked_at__gte=_day_start(start, zone))
        & Q(clicks__clicked_at__lt=_day_start(end + timedelta(days=1), zone))
    )
    return (
        ShortLink.objects.in_workspace(workspace)
        .select_related("post", "channel", "campaign", "bio_link")
        .annotate(
            period_clicks=Count("clicks", filter=in_period),
            total_clicks=Count("clicks", filter=people),
        )
        .order_by("-created_at", "-id")
    )


def campaign_links_with_clicks(
    *, workspace: Workspace, campaign_id: int
) -> list[tuple[ShortLink, int]]:
    """A campaign's short links with people's clicks on each (all time), most clicked first."""
    links = (
        ShortLink.objects.in_workspace(workspace)
        .filter(campaign_id=campaign_id)
        .annotate(people_clicks=Count("clicks", filter=Q(clicks__is_bot=False)))
        .order_by("-people_clicks", "-created_at", "-id")
    )
    return [(link, link.people_clicks) for link in links]


def link_of_or_404(*, workspace: Workspace, link_id: int) -> ShortLink:
    link = (
        ShortLink.objects.in_workspace(workspace)
        .select_related("post", "channel", "campaign")
        .filter(pk=link_id)
        .first()
    )
    if link is None:
        raise Http404("No such link in this workspace.")
    return link


def robot_clicks(*, workspace: Workspace, link_id: int) -> int:
    return Click.objects.in_workspace(workspace).filter(link_id=link_id, is_bot=True).count()


def top_referrers(*, workspace: Workspace, link_id: int, limit: int = 5) -> list[dict[str, Any]]:
    return list(
        Click.objects.in_workspace(workspace)
        .filter(link_id=link_id, is_bot=False)
        .exclude(referrer_host="")
        .values("referrer_host")
        .annotate(clicks=Count("id"))
        .order_by("-clicks", "referrer_host")[:limit]
    )


def post_links(*, workspace: Workspace, post_id: int) -> list[ShortLink]:
    """A post's short links, per channel, with people's clicks (``total_clicks``)."""
    return list(
        ShortLink.objects.in_workspace(workspace)
        .filter(post_id=post_id, kind=ShortLinkKind.POST)
        .select_related("channel")
        .annotate(total_clicks=Count("clicks", filter=Q(clicks__is_bot=False)))
        .order_by("channel__name", "original_url")
    )


def bio_links(*, workspace: Workspace, visible_only: bool = False) -> list[BioLink]:
    links = BioLink.objects.in_workspace(workspace).select_related("short_link")
    if visible_only:
        links = links.filter(hidden=False)
    return list(links.order_by("position", "id"))


def bio_link_of_or_404(*, workspace: Workspace, bio_link_id: int) -> BioLink:
    link = BioLink.objects.in_workspace(workspace).select_related("short_link")
    found = link.filter(pk=bio_link_id).first()
    if found is None:
        raise Http404("No such bio link in this workspace.")
    return found
