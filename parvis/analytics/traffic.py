"""Clicks on Parvis short links, for the dashboards' traffic figures: read from
``parvis.links.selectors.clicks_by_day`` (days in the workspace's time zone, robots
and link previews left out), limited to the dashboard's scope."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from parvis.links.selectors import clicks_by_day

if TYPE_CHECKING:
    from parvis.analytics.dashboards import Scope
    from parvis.inbox.responsiveness import Period


def short_link_clicks(*, scope: Scope, period: Period) -> dict[date, int]:
    """People's clicks on the scope's short links per day of the period (every day
    present): the workspace's, or those sent on one channel, for one campaign's posts
    or for one post."""
    return clicks_by_day(
        workspace=scope.workspace,
        start=period.first,
        end=period.last,
        campaign_id=scope.campaign_id,
        channel_id=scope.channel_id,
        post_id=scope.post_id,
    )
