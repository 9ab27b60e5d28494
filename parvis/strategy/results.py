"""What a campaign achieved: its published posts and the sum of their latest figures,
its goals, and its short links with their clicks."""

from __future__ import annotations

from dataclasses import dataclass

from parvis.accounts.models import Workspace
from parvis.analytics.selectors import latest_figures
from parvis.links.selectors import campaign_links_with_clicks
from parvis.publishing.selectors import published_deliveries
from parvis.strategy.kpis import engagements_of
from parvis.strategy.models import Campaign

SUMMED = ("views", "reach")


@dataclass(frozen=True)
class CampaignLink:
    short_url: str
    target_url: str
    clicks: int


@dataclass(frozen=True)
class CampaignLinks:
    """What the campaign page shows of the links app (see ``campaign_links``)."""

    clicks: int
    links: tuple[CampaignLink, ...] = ()


@dataclass(frozen=True)
class CampaignResults:
    posts_published: int
    posts_measured: int  # published posts with figures from their network
    views: float | None
    reach: float | None
    engagements: float | None
    engagement_rate: float | None  # engagements / reach, in %, over posts giving both
    links: CampaignLinks | None = None  # None: short links not counted


def campaign_results(*, workspace: Workspace, campaign: Campaign) -> CampaignResults:
    """Three queries: the campaign's published deliveries, then their latest figures."""
    deliveries = published_deliveries(workspace=workspace, campaign_id=campaign.pk)
    keys = [(channel_id, remote_id) for _post, channel_id, remote_id in deliveries if remote_id]
    post_of = {(channel_id, remote_id): post_id for post_id, channel_id, remote_id in deliveries}
    found = latest_figures(workspace=workspace, keys=keys)
    totals: dict[str, float | None] = dict.fromkeys(("views", "reach", "engagements"))
    engaged = reached = 0.0
    for figures in found.values():
        for name in SUMMED:
            value = figures.value(name)
            if value is not None:
                totals[name] = (totals[name] or 0.0) + value
        engagements = engagements_of(figures)
        if engagements is not None:
            totals["engagements"] = (totals["engagements"] or 0.0) + engagements
            reach = figures.value("reach")
            if reach:
                engaged, reached = engaged + engagements, reached + reach
    return CampaignResults(
        posts_published=len({post_id for post_id, _channel, _remote in deliveries}),
        posts_measured=len({post_of[key] for key in found}),
        views=totals["views"],
        reach=totals["reach"],
        engagements=totals["engagements"],
        engagement_rate=engaged / reached * 100 if reached else None,
        links=campaign_links(workspace=workspace, campaign=campaign),
    )


def campaign_links(*, workspace: Workspace, campaign: Campaign) -> CampaignLinks:
    """The campaign's short links, each with people's clicks since it was made (robots
    left out), most clicked first, and their total."""
    found = tuple(
        CampaignLink(short_url=link.short_url, target_url=link.original_url, clicks=clicks)
        for link, clicks in campaign_links_with_clicks(workspace=workspace, campaign_id=campaign.pk)
    )
    return CampaignLinks(clicks=sum(link.clicks for link in found), links=found)
