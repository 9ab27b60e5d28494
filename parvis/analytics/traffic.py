"""Clicks on Parvis short links, for the dashboards' traffic figures.

The seam to the links app: ``parvis.links.selectors.clicks_by_day(*, workspace, start,
end, campaign_id=None, channel_id=None, post_id=None)``. Until it is wired here the
dashboards show the networks' own click counts only and say short-link clicks are not
counted yet.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parvis.analytics.dashboards import Scope
    from parvis.inbox.responsiveness import Period


def short_link_clicks(*, scope: Scope, period: Period) -> dict[date, int] | None:
    """Short-link clicks per day of the period (in the workspace's time zone) for the
    scope, or None while Parvis does not count them. Wiring it: call
    ``links.selectors.clicks_by_day`` with ``start, end = period.bounds(scope.zone)``
    and the scope's ``campaign_id``, ``channel_id`` and ``post_id``."""
    return None
