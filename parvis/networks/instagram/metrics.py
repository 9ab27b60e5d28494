"""Instagram's figures and Parvis's names for them (``base.METRIC_NAMES``).

Meta retires insight names often (``impressions``, ``plays``, ``video_views`` went in
2025): the raw names live only in these tables, so a retired one is changed here.
Media insights are lifetime totals; account ``views`` and ``reach`` are the last
day's totals (``metric_type=total_value``); followers come from ``followers_count``.
https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
https://developers.facebook.com/docs/instagram-platform/api-reference/instagram-user/insights
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from parvis.networks.base import MetricSample

# Instagram's name -> Parvis's name, for a post (image, carousel or reel).
MEDIA_METRICS: Mapping[str, str] = {
    "views": "views",
    "reach": "reach",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saved": "saves",
    "total_interactions": "engagements",
}
# For the account, over the last day.
ACCOUNT_METRICS: Mapping[str, str] = {
    "views": "views",
    "reach": "reach",
}
ACCOUNT_FOLLOWERS_FIELD = "followers_count"


def samples(
    body: dict[str, Any], table: Mapping[str, str], *, measured_at: datetime, remote_id: str = ""
) -> list[MetricSample]:
    """The figures of an insights answer, under Parvis's names (unknown names skipped).

    Media insights give ``values: [{"value": n}]``; account ones ``total_value``.
    """
    found: list[MetricSample] = []
    for entry in body.get("data") or ():
        name = table.get(str(entry.get("name", "")))
        if name is None:
            continue
        value = _value(entry)
        if value is not None:
            found.append(MetricSample(name, value, measured_at, remote_id))
    return found


def _value(entry: dict[str, Any]) -> float | None:
    total = entry.get("total_value")
    if isinstance(total, dict) and isinstance(total.get("value"), int | float):
        return float(total["value"])
    values: Sequence[Any] = entry.get("values") or ()
    if values and isinstance(values[-1], dict) and isinstance(values[-1].get("value"), int | float):
        return float(values[-1]["value"])
    return None
