"""What Parvis reads from X: mentions and replies as interactions, public figures as metrics.

X's own figure names are kept here (``POST_METRICS``, ``ACCOUNT_METRICS``), mapped onto
Parvis's ``METRIC_NAMES``: when X renames or retires one, only these tables change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from parvis.networks.base import Interaction, InteractionKind, MetricSample

# GET /2/tweets?tweet.fields=public_metrics -> Parvis's names ("quotes" is X's own).
POST_METRICS = {
    "impression_count": "views",
    "like_count": "likes",
    "reply_count": "comments",
    "retweet_count": "shares",
    "quote_count": "quotes",
    "bookmark_count": "saves",
}
# GET /2/users/me?user.fields=public_metrics
ACCOUNT_METRICS = {"followers_count": "followers"}

MENTION_PARAMS = {
    "max_results": "100",
    "tweet.fields": "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets",
    "expansions": "author_id",
    "user.fields": "username,name",
}


def parse_time(raw: str | None, default: datetime) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else default


def interactions(body: dict[str, Any], brand_id: str, now: datetime) -> list[Interaction]:
    """The posts of one mentions page as interactions: a reply to the brand, or a mention."""
    users = {u["id"]: u for u in (body.get("includes") or {}).get("users") or ()}
    found = []
    for tweet in body.get("data") or ():
        author = users.get(tweet.get("author_id", ""), {})
        handle = str(author.get("username", ""))
        replied_to = next(
            (
                ref["id"]
                for ref in tweet.get("referenced_tweets") or ()
                if ref.get("type") == "replied_to"
            ),
            "",
        )
        to_brand = bool(replied_to) and tweet.get("in_reply_to_user_id") == brand_id
        found.append(
            Interaction(
                remote_id=str(tweet["id"]),
                kind=InteractionKind.REPLY if to_brand else InteractionKind.MENTION,
                author_id=str(tweet.get("author_id", "")),
                author_name=str(author.get("name", handle)),
                author_handle=handle,
                text=str(tweet.get("text", "")),
                created_at=parse_time(tweet.get("created_at"), now),
                post_remote_id=replied_to if to_brand else "",
                in_reply_to_id=replied_to,
                url=f"https://x.com/{handle or 'i'}/status/{tweet['id']}",
                raw=tweet,
            )
        )
    return found


def samples(
    figures: dict[str, Any], table: dict[str, str], now: datetime, remote_id: str = ""
) -> list[MetricSample]:
    return [
        MetricSample(name=name, value=float(figures[raw]), measured_at=now, remote_id=remote_id)
        for raw, name in table.items()
        if isinstance(figures.get(raw), int | float)
    ]
