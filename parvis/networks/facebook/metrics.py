"""A Page's and its posts' figures, under Parvis's names (``METRIC_NAMES``).

Meta renames and retires insights metrics (the impressions family went in 2025 for
``*_media_view``): the raw names live in these tables only, and a setting may
replace them (``PARVIS_FACEBOOK_PAGE_METRICS`` / ``PARVIS_FACEBOOK_POST_METRICS``).
https://developers.facebook.com/docs/graph-api/reference/insights/
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from parvis.networks.base import ChannelRef, MetricSample, PermanentError
from parvis.networks.meta.graph import GraphClient

logger = logging.getLogger(__name__)

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


async def _insights(
    graph: GraphClient,
    object_id: str,
    token: str,
    names: Mapping[str, str],
    period: str,
    *,
    post: bool,
) -> list[MetricSample]:
    """One object's insights. When Meta refuses the list (it has retired a metric),
    each metric is asked alone and the refused ones are left out, with a warning."""
    try:
        body = await graph.get(
            f"{object_id}/insights", token=token, metric=",".join(names), period=period
        )
        return _samples(body, names, object_id if post else "")
    except PermanentError as error:
        if len(names) == 1 or "code 100" not in error.detail:
            raise
        refused = error
    samples: list[MetricSample] = []
    for name in names:
        try:
            samples += await _insights(
                graph, object_id, token, {name: names[name]}, period, post=post
            )
        except PermanentError as error:
            if "code 100" not in error.detail:
                raise
            logger.warning("Facebook refuses the insights metric %s: %s", name, error.detail)
    if not samples:
        raise refused
    return samples


async def fetch(
    graph: GraphClient, channel: ChannelRef, remote_ids: Sequence[str]
) -> list[MetricSample]:
    token = channel.access_token
    page_id = channel.external_id
    samples = await _insights(graph, page_id, token, page_metrics(), "day", post=False)
    now = timezone.now()
    for post_id in remote_ids:
        samples += await _insights(graph, post_id, token, post_metrics(), "lifetime", post=True)
        counts = await graph.get(
            post_id, token=token, fields="comments.limit(0).summary(true),shares"
        )
        comments = ((counts.get("comments") or {}).get("summary") or {}).get("total_count", 0)
        shares = (counts.get("shares") or {}).get("count", 0)
        samples += [
            MetricSample("comments", float(comments), now, post_id),
            MetricSample("shares", float(shares), now, post_id),
        ]
    return samples
