"""The publishing quota: how many posts an account may still publish through the API.

Read before each publication from ``/{ig-user-id}/content_publishing_limit``
(``quota_usage`` and ``config.quota_total`` over ``config.quota_duration`` seconds,
a rolling window), never assumed. When it is used up, the delivery waits until the
oldest publication in the window leaves it.
https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from parvis.networks.base import ChannelRef, RateLimited
from parvis.networks.instagram import interactions
from parvis.networks.instagram.graph import InstagramGraph
from parvis.networks.lazytext import with_values

FALLBACK_WAIT = timedelta(hours=1)  # when the oldest publication cannot be read


@dataclass(frozen=True)
class Quota:
    used: int
    total: int
    window: timedelta

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.used >= self.total


async def read_quota(graph: InstagramGraph, channel: ChannelRef) -> Quota | None:
    """The account's quota, or None if Instagram did not say it."""
    body = await graph.get(
        f"{channel.external_id}/content_publishing_limit",
        token=channel.access_token,
        fields="quota_usage,config",
    )
    rows = body.get("data") or ()
    if not rows:
        return None
    row = rows[0]
    config = row.get("config") or {}
    try:
        return Quota(
            used=int(row.get("quota_usage") or 0),
            total=int(config.get("quota_total") or 0),
            window=timedelta(seconds=int(config.get("quota_duration") or 86400)),
        )
    except (TypeError, ValueError):
        return None


async def _frees_at(graph: InstagramGraph, channel: ChannelRef, quota: Quota, now: datetime):
    """When the window frees a place: the oldest publication in it, plus the window."""
    recent = await graph.pages(
        f"{channel.external_id}/media",
        token=channel.access_token,
        params={"fields": "id,timestamp", "limit": "100"},
        limit=2,
    )
    times = [interactions.when(str(m.get("timestamp", ""))) for m in recent]
    inside = sorted(t for t in times if t + quota.window > now)
    if len(inside) >= quota.used and inside:
        return inside[len(inside) - quota.used] + quota.window
    return now + FALLBACK_WAIT


async def check_quota(graph: InstagramGraph, channel: ChannelRef, *, now: datetime) -> None:
    """Raise RateLimited, until a place frees, if the account's quota is used up."""
    quota = await read_quota(graph, channel)
    if quota is None or not quota.reached:
        return
    retry_at = max(await _frees_at(graph, channel, quota, now), now + timedelta(minutes=1))
    raise RateLimited(
        with_values(
            _(
                "This Instagram account has published its %(total)s posts allowed through "
                "apps in 24 hours: Parvis publishes this one at %(time)s, when a place frees."
            ),
            total=quota.total,
            time=date_format(localtime(retry_at), "DATETIME_FORMAT"),
        ),
        retry_at=retry_at,
        scope="channel",
        detail=f"content_publishing_limit {quota.used}/{quota.total}",
    )
