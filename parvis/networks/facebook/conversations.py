"""Comments and replies on a Page's posts: polled (``/published_posts`` then
``/{post-id}/comments``) or pushed by the Page's ``feed`` webhook field.

https://developers.facebook.com/docs/graph-api/reference/object/comments/
https://developers.facebook.com/docs/graph-api/webhooks/reference/page/#feed
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from parvis.networks.base import (
    ChannelRef,
    Interaction,
    InteractionKind,
    InteractionPage,
    WebhookItem,
)
from parvis.networks.meta.cursors import is_new, make_cursor, read_cursor
from parvis.networks.meta.graph import GraphClient

logger = logging.getLogger(__name__)

RECENT_POSTS = 25  # the posts whose comments are read at each poll
COMMENT_FIELDS = "id,message,from,created_time,parent{id},permalink_url"


def parse_time(value: object) -> datetime:
    """A Graph time: ISO 8601 with an offset like +0000, or epoch seconds."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC)
    text = str(value or "")
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return datetime.now(UTC)


def _interaction(comment: dict[str, Any], post_id: str) -> Interaction:
    author = comment.get("from") or {}
    parent = (comment.get("parent") or {}).get("id", "")
    return Interaction(
        remote_id=str(comment["id"]),
        kind=InteractionKind.REPLY if parent else InteractionKind.COMMENT,
        author_id=str(author.get("id", "")),
        author_name=str(author.get("name", "")),
        author_handle="",
        text=str(comment.get("message", "")),
        created_at=parse_time(comment.get("created_time")),
        post_remote_id=post_id,
        in_reply_to_id=str(parent),
        url=str(comment.get("permalink_url", "")),
        raw=comment,
    )


async def fetch_comments(graph: GraphClient, channel: ChannelRef, cursor: str) -> InteractionPage:
    """Comments and replies on the Page's recent posts that the cursor has not seen;
    the Page's own answers are left out."""
    since, seen = read_cursor(cursor)
    token = channel.access_token
    posts = await graph.get(
        f"{channel.external_id}/published_posts",
        token=token,
        fields="id,created_time",
        limit=str(RECENT_POSTS),
    )
    found: list[Interaction] = []
    for post in posts.get("data") or ():
        params = {"filter": "stream", "order": "chronological", "fields": COMMENT_FIELDS}
        if since:
            params["since"] = str(since)
        comments = await graph.pages(f"{post['id']}/comments", token=token, params=params)
        for comment in comments:
            item = _interaction(comment, str(post["id"]))
            if item.author_id != channel.external_id and is_new(item, since, seen):
                found.append(item)
    found.sort(key=lambda item: item.created_at)
    return InteractionPage(tuple(found), make_cursor(since, seen, found))


def webhook_items(body: bytes) -> Sequence[WebhookItem]:
    """Comments added on a Page's posts, from a ``page`` delivery's ``feed`` changes."""
    try:
        payload = json.loads(body)
    except ValueError:
        logger.info("A Facebook webhook delivery is not JSON")
        return ()
    if not isinstance(payload, dict) or payload.get("object") != "page":
        return ()
    items: list[WebhookItem] = []
    for entry in payload.get("entry") or ():
        page_id = str(entry.get("id", ""))
        for change in entry.get("changes") or ():
            value = change.get("value") or {}
            if change.get("field") != "feed" or value.get("item") != "comment":
                continue
            if value.get("verb") != "add" or str((value.get("from") or {}).get("id")) == page_id:
                continue
            post_id = str(value.get("post_id", ""))
            parent = str(value.get("parent_id", ""))
            comment = {
                "id": value.get("comment_id", ""),
                "message": value.get("message", ""),
                "from": value.get("from") or {},
                "created_time": value.get("created_time"),
                "parent": {"id": parent} if parent and parent != post_id else {},
            }
            items.append(WebhookItem(page_id, _interaction(comment, post_id)))
    return items
