"""A Page's and its posts' figures, under Parvis's names (``METRIC_NAMES``).

Meta renames and retires insights metrics (the impressions family went in 2025 for
``*_media_view``): the raw names live in these tables only, and a setting may
replace them (``PARVIS_FACEBOOK_PAGE_METRICS`` / ``PARVIS_FACEBOOK_POST_METRICS``).
https://developers.facebook.com/docs/graph-api/reference/insights/
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from parvis.networks.base import ChannelRef, MetricSample
from parvis.networks.meta.graph import GraphClient

# Facebook's insights metric -> Parvis's name.
PAGE_METRICS: dict[str, str] = {
    "page_follows": "followers",
    "page_media_view": "views",
    "page_total_media_view_unique": "reach",
    "page_post_engagements": "engagements",
}
POST_METRICS: dict[str, str] = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_reactions_by_type_total": "likes",
    "post_clicks": "clicks",
}


def page_metrics() -> Mapping[str, str]:
    return getattr(settings, "PARVIS_FACEBOOK_PAGE_METRICS", None) or PAGE_METRICS


def post_metrics() -> Mapping[str, str]:
    return getattr(settings, "PARVIS_FACEBOOK_POST_METRICS", None) or POST_METRICS


def _number(value: Any) -> float:
    """A metric's value: a number, or a breakdown (reactions by type) summed."""
    if isinstance(value, dict):
        return float(sum(v for v in value.values() if isinstance(v, int | float)))
    return float(value) if isinstance(value, int | float) else 0.0


def _samples(body: dict[str, Any], names: Mapping[str, str], remote_id: str) -> list[MetricSample]:
    now = timezone.now()
    samples = []
    for metric in body.get("data") or ():
        name = names.get(str(metric.get("name")))
        values = metric.get("values") or []
        if name and values:
            samples.append(MetricSample(name, _number(values[-1].get("value")), now, remote_id))
    return samples


async def fetch(
    graph: GraphClient, channel: ChannelRef, remote_ids: Sequence[str]
) -> list[MetricSample]:
    token = channel.access_token
    names = page_metrics()
    body = await graph.get(
        f"{channel.external_id}/insights", token=token, metric=",".join(names), period="day"
    )
    samples = _samples(body, names, "")
    now = timezone.now()
    post_names = post_metrics()
    for remote_id in remote_ids:
        body = await graph.get(
            f"{remote_id}/insights", token=token, metric=",".join(post_names), period="lifetime"
        )
        samples += _samples(body, post_names, remote_id)
        counts = await graph.get(
            remote_id, token=token, fields="comments.limit(0).summary(true),shares"
        )
        comments = ((counts.get("comments") or {}).get("summary") or {}).get("total_count", 0)
        shares = (counts.get("shares") or {}).get("count", 0)
        samples += [
            MetricSample("comments", float(comments), now, remote_id),
            MetricSample("shares", float(shares), now, remote_id),
        ]
    return samples
