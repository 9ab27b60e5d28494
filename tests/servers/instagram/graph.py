"""The Instagram test server's Graph API: ``/{version}/{node}/{edge}``, one host playing
graph.facebook.com (Facebook Login) and graph.instagram.com (Instagram Login).

Nodes: an account (``/media``, ``/media_publish``, ``/content_publishing_limit``,
``/insights``, ``/tags``), a container (its ``status_code``), a media (``/comments``,
``/insights``), a comment (``/replies``, hide, delete), ``me`` and ``me/accounts``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tests.servers.instagram.state import (
    Account,
    Comment,
    Container,
    Media,
    State,
    Token,
    graph_error,
    iso,
)

METRICS_MEDIA = {"views", "reach", "likes", "comments", "shares", "saved", "total_interactions"}
METRICS_ACCOUNT = {"views", "reach", "follower_count", "accounts_engaged", "total_interactions"}
PAGE_SIZE = 25


def error(status: int, message: str, code: int, subcode: int | None = None, **extra) -> Response:
    return JSONResponse(graph_error(message, code, subcode, **extra), status)


def no_object(node: str, method: str = "get") -> Response:
    return error(
        400,
        f"Unsupported {method} request. Object with ID '{node}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation.",
        100,
        33,
        kind="GraphMethodException",
    )


def bad_token(state: State, raw: str) -> Response:
    info = state.tokens.get(raw)
    if info is not None and not info.revoked and info.expires_at is not None:
        return error(400, "Error validating access token: Session has expired.", 190, 463)
    if info is not None and info.revoked:
        return error(
            400,
            "Error validating access token: The session has been invalidated because the "
            "user changed their password or Facebook has changed the session for security "
            "reasons.",
            190,
            460,
        )
    return error(400, "Invalid OAuth access token - Cannot parse access token", 190)


async def params_of(request: Request) -> dict[str, str]:
    values = dict(request.query_params)
    if request.method == "POST":
        values.update(await form_of(request))
    return values


async def form_of(request: Request) -> dict[str, str]:
    """A urlencoded body (Meta's APIs take forms)."""
    return dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))


def paged(request: Request, items: list[dict]) -> dict[str, Any]:
    """A page of ``items`` with Graph's cursor paging."""
    start = int(request.query_params.get("after") or 0)
    limit = int(request.query_params.get("limit") or PAGE_SIZE)
    page = items[start : start + limit]
    body: dict[str, Any] = {"data": page}
    if page:
        body["paging"] = {"cursors": {"before": str(start), "after": str(start + len(page))}}
        if start + limit < len(items):
            body["paging"]["next"] = f"{request.url.path}?after={start + len(page)}"
    return body


# --- Nodes -----------------------------------------------------------------------


def account_json(account: Account) -> dict[str, Any]:
    return {
        "id": account.id,
        "user_id": account.id,
        "username": account.username,
        "name": account.name,
        "followers_count": account.followers_count,
        "profile_picture_url": f"https://cdn.instagram.test/{account.username}.jpg",
    }


def media_json(state: State, media: Media) -> dict[str, Any]:
    body = {
        "id": media.id,
        "caption": media.caption,
        "media_type": media.media_type,
        "media_product_type": media.product_type,
        "permalink": media.permalink,
        "shortcode": media.shortcode,
        "timestamp": iso(media.timestamp),
        "like_count": media.like_count,
        "comments_count": len([c for c in state.comments.values() if c.media_id == media.id]),
        "username": state.accounts[media.owner].username if media.owner in state.accounts else "",
    }
    if media.children:
        body["children"] = {"data": [{"id": child} for child in media.children]}
    return body


def comment_json(state: State, comment: Comment, fields: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": comment.id,
        "text": comment.text,
        "timestamp": iso(comment.timestamp),
        "username": comment.username,
        "from": {"id": comment.from_id, "username": comment.username},
        "hidden": comment.hidden,
        "like_count": comment.like_count,
        "media": {"id": comment.media_id},
    }
    if comment.parent_id:
        body["parent_id"] = comment.parent_id
    if "replies" in fields and not comment.parent_id:
        replies = state.comments_of(comment.media_id, comment.id)
        body["replies"] = {"data": [comment_json(state, r, "") for r in replies]}
    return body


def container_json(container: Container) -> dict[str, Any]:
    body = {"id": container.id, "status_code": container.status_code}
    if container.status_code == "ERROR":
        body["status"] = f"Error: {container.error_subcode}"
    else:
        body["status"] = container.status_code.capitalize().replace("_", " ")
    return body


def owner_allowed(token: Token, owner: str) -> bool:
    return token.kind in ("fb_short", "fb_long") or token.account_id == owner


# --- Edges -----------------------------------------------------------------------


async def _fetchable(url: str, media_type: str) -> bool:
    """Whether Instagram could download the media: a public http(s) URL of the right kind."""
    try:
        async with httpx.AsyncClient(timeout=10, follow_redirects=True) as client:
            response = await client.get(url)
    except httpx.HTTPError:
        return False
    kind = response.headers.get("content-type", "")
    wanted = "image/jpeg" if media_type == "IMAGE" else "video/"
    return response.is_success and kind.startswith(wanted)


async def create_container(state: State, account: Account, params: dict[str, str]) -> Response:
    media_type = params.get("media_type", "IMAGE").upper()
    carousel_item = params.get("is_carousel_item", "").lower() == "true"
    caption = params.get("caption", "")
    if media_type == "CAROUSEL":
        children = tuple(c for c in params.get("children", "").split(",") if c)
        if not 2 <= len(children) <= 10:
            return error(400, "The carousel must contain between 2 and 10 items.", 100, 2207035)
        for child in children:
            item = state.containers.get(child)
            if item is None or not item.is_carousel_item or item.owner != account.id:
                return error(400, f"Invalid carousel child {child}.", 100, 2207036)
            if item.status_code != "FINISHED":
                return error(
                    400,
                    "Media ID is not available",
                    9007,
                    2207027,
                    error_user_msg="The media is not ready for publishing, please wait.",
                )
        container = state.new_container(
            account.id, "CAROUSEL", caption=caption, media_url="", children=children
        )
        return JSONResponse({"id": container.id})
    if media_type in ("REELS", "VIDEO"):
        url = params.get("video_url", "")
        if media_type == "VIDEO" and not carousel_item:
            return error(
                400,
                "The VIDEO media type is no longer supported: use REELS.",
                100,
                2207023,
            )
    elif media_type == "IMAGE":
        url = params.get("image_url", "")
    else:
        return error(400, f"Invalid parameter media_type {media_type}.", 100, 2207023)
    if not url.startswith(("http://", "https://")):
        field = "image_url" if media_type == "IMAGE" else "video_url"
        return error(400, f"(#100) The parameter {field} is required.", 100)
    container = state.new_container(
        account.id,
        media_type,
        caption="" if carousel_item else caption,
        media_url=url,
        is_carousel_item=carousel_item,
    )
    if state.config.fetch_media and not await _fetchable(url, media_type):
        container.error_subcode = 2207052  # the media could not be fetched from the URI
    return JSONResponse({"id": container.id})


def media_publish(state: State, account: Account, params: dict[str, str]) -> Response:
    container = state.containers.get(params.get("creation_id", ""))
    if container is None or container.owner != account.id or container.is_carousel_item:
        return no_object(params.get("creation_id", ""))
    if state.quota_usage(account.id) >= state.config.quota_total:
        return error(
            400,
            "Application request limit reached",
            9,
            2207042,
            is_transient=False,
            error_user_title="Publishing limit reached",
            error_user_msg="You reached maximum number of posts that is allowed to be "
            "published by Content Publishing API.",
        )
    state.read_container(container)  # the expiry applies when publishing too
    if container.status_code == "EXPIRED":
        return error(
            400,
            "The media you are trying to access has expired. Please try to upload again.",
            -2,
            2207020,
        )
    if container.status_code == "PUBLISHED":
        return error(400, "The media has already been published.", 9007, 2207008)
    if container.status_code != "FINISHED":
        return error(
            400,
            "Media ID is not available",
            9007,
            2207027,
            error_user_msg="The media is not ready for publishing, please wait for a moment",
        )
    media = state.publish(container)
    return JSONResponse({"id": media.id})


def account_insights(account: Account, params: dict[str, str]) -> Response:
    names = [m for m in params.get("metric", "").split(",") if m]
    unknown = [m for m in names if m not in METRICS_ACCOUNT]
    if not names or unknown:
        return error(
            400,
            f"(#100) metric[0] must be one of the following values: {sorted(METRICS_ACCOUNT)}",
            100,
        )
    values = {"views": account.views, "reach": account.reach, "follower_count": 12}
    data = [
        {
            "name": name,
            "period": params.get("period", "day"),
            "title": name.replace("_", " ").title(),
            "total_value": {"value": values.get(name, 40)},
            "id": f"{account.id}/insights/{name}/day",
        }
        for name in names
    ]
    return JSONResponse({"data": data})


def media_insights(media: Media, params: dict[str, str]) -> Response:
    names = [m for m in params.get("metric", "").split(",") if m]
    unknown = [m for m in names if m not in METRICS_MEDIA]
    if not names or unknown:
        # What Meta answers for a retired name, such as impressions or plays.
        return error(
            400,
            f"(#100) Starting from version v22.0 and above, the {unknown or names} metric "
            "is no longer supported. metric[0] must be one of the following values: "
            f"{', '.join(sorted(METRICS_MEDIA))}",
            100,
        )
    data = [
        {
            "name": name,
            "period": "lifetime",
            "values": [{"value": media.insights.get(name, 0)}],
            "title": name.title(),
            "id": f"{media.id}/insights/{name}/lifetime",
        }
        for name in names
    ]
    return JSONResponse({"data": data})
