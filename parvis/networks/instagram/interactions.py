"""Comments, replies and mentions as Parvis's ``Interaction``: from the Graph API's
answers (polling) and from webhook deliveries (``comments`` and ``mentions`` fields).

https://developers.facebook.com/docs/instagram-platform/webhooks
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from parvis.networks.base import Interaction, InteractionKind, WebhookItem

logger = logging.getLogger(__name__)

COMMENT_FIELDS = (
    "id,text,timestamp,username,from,parent_id,replies{id,text,timestamp,username,from,parent_id}"
)
MEDIA_FIELDS = "id,caption,timestamp,permalink,media_type,media_product_type,username"


def when(raw: str) -> datetime:
    """Instagram's ``2026-12-07T16:02:14+0000`` as a datetime (now if unreadable)."""
    try:
        return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S%z")
    except (TypeError, ValueError):
        return datetime.now(UTC)


def comment(body: dict[str, Any], *, media_id: str, permalink: str = "") -> Interaction:
    author = body.get("from") or {}
    username = str(body.get("username") or author.get("username") or "")
    parent = str(body.get("parent_id") or "")
    return Interaction(
        remote_id=str(body.get("id", "")),
        kind=InteractionKind.REPLY if parent else InteractionKind.COMMENT,
        author_id=str(author.get("id") or ""),
        author_name=username,
        author_handle=f"@{username}" if username else "",
        text=str(body.get("text") or ""),
        created_at=when(str(body.get("timestamp", ""))),
        post_remote_id=media_id,
        in_reply_to_id=parent,
        url=permalink,
        raw=body,
    )


def comments_of_media(
    rows: list[dict[str, Any]], *, media_id: str, permalink: str, account_id: str
) -> list[Interaction]:
    """Each comment and reply under one of the brand's posts, but the brand's own."""
    found: list[Interaction] = []
    for row in rows:
        nested = (row.get("replies") or {}).get("data") or ()
        for body in (row, *nested):
            if str((body.get("from") or {}).get("id") or "") == account_id:
                continue  # the brand's own answers are not conversations to handle
            found.append(comment(body, media_id=media_id, permalink=permalink))
    return found


def mention(media: dict[str, Any]) -> Interaction:
    """Another account's post that tags the brand (``/{ig-user-id}/tags``)."""
    username = str(media.get("username") or "")
    return Interaction(
        remote_id=str(media.get("id", "")),
        kind=InteractionKind.MENTION,
        author_id="",
        author_name=username,
        author_handle=f"@{username}" if username else "",
        text=str(media.get("caption") or ""),
        created_at=when(str(media.get("timestamp", ""))),
        url=str(media.get("permalink") or ""),
        raw=media,
    )


def _webhook_comment(account_id: str, value: dict[str, Any]) -> Interaction | None:
    author = value.get("from") or {}
    if str(author.get("id") or "") == account_id:
        return None  # the brand's own comment or answer
    media_id = str((value.get("media") or {}).get("id") or "")
    return comment(
        {**value, "username": author.get("username", ""), "timestamp": ""}, media_id=media_id
    )


def _webhook_mention(value: dict[str, Any]) -> Interaction:
    """A mention in a comment or a caption: the delivery names it, without its text."""
    remote_id = str(value.get("comment_id") or value.get("media_id") or "")
    return Interaction(
        remote_id=remote_id,
        kind=InteractionKind.MENTION,
        author_id="",
        author_name="",
        author_handle="",
        text="",
        created_at=datetime.now(UTC),
        post_remote_id=str(value.get("media_id") or ""),
        raw=value,
    )


def webhook_items(body: bytes) -> list[WebhookItem]:
    """The comments, replies and mentions in a verified delivery."""
    try:
        delivery = json.loads(body)
    except ValueError:
        logger.info("Instagram webhook delivery is not JSON")
        return []
    if not isinstance(delivery, dict) or delivery.get("object") != "instagram":
        return []
    items: list[WebhookItem] = []
    for entry in delivery.get("entry") or ():
        account_id = str(entry.get("id") or "")
        for change in entry.get("changes") or ():
            value = change.get("value") or {}
            if change.get("field") == "comments":
                found = _webhook_comment(account_id, value)
            elif change.get("field") == "mentions":
                found = _webhook_mention(value)
            else:
                continue
            if found is not None and found.remote_id:
                items.append(WebhookItem(account_id, found))
    return items
